"""Filters: every `guardian proxy` sharing this database (a school's PCs) and its health.

The list is read on a worker every few seconds while the page is shown; a
filter that stops beating turns "silent" here within `STALE_AFTER`.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from guardian.storage.filters import HEALTHS, FilterStatus, list_filters
from ui.language import Language
from ui.models.filters_model import FiltersModel
from ui.pages.page import Page
from ui.tasks import Tasks

REFRESH_MS = 5_000  # as often as the filters beat


class FiltersPage(Page):
    TITLE_KEY = "app.filters.title"
    OBJECT_NAME = "filters"

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None,
                 refresh_ms: int = REFRESH_MS) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self.intro = QLabel(wordWrap=True)
        self.summary = QLabel(wordWrap=True)
        self.model = FiltersModel(language, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.empty = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.timer.start(refresh_ms)
        self._loaded_once = False
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.intro.setText(tr("app.filters.intro"))
        self.empty.setText(tr("app.filters.none"))
        self.model.retranslate()
        self._show_summary()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.tasks.query(list_filters, self._loaded, owner=self)

    def _loaded(self, statuses: list[FilterStatus]) -> None:
        self._loaded_once = True
        self.model.set_rows(statuses)
        self._show_summary()

    def _show_summary(self) -> None:
        rows = self.model.rows
        self.empty.setVisible(self._loaded_once and not rows)
        self.table.setVisible(bool(rows))
        self.summary.setVisible(bool(rows))
        if rows:
            counts = Counter(row.health for row in rows)
            parts = [self.language.text(f"app.filters.count.{health}", count=counts[health])
                     for health in HEALTHS if counts[health]]
            self.summary.setText(", ".join(parts))
