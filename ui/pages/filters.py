"""Filters: every `guardian proxy` sharing this database (a school's PCs) and its health.

The list is read on a worker every few seconds while the page is shown; a
filter that stops beating turns "silent" here within `STALE_AFTER`. A retired
PC's filter can be forgotten (as `guardian filters forget MACHINE`); a filter
that is still running registers itself again at its next start.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from guardian.storage.filters import HEALTHS, FilterStatus, forget_filter, list_filters
from ui.language import Language
from ui.models.filters_model import FiltersModel
from ui.pages.page import Page
from ui.tasks import Tasks, error_sentence

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
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected_changed())
        self.empty = QLabel(wordWrap=True)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.forget_button = QPushButton()
        self.forget_button.clicked.connect(self.forget_selected)
        self.forget_button.setEnabled(False)
        self.status = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.forget_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.timer.start(refresh_ms)
        self._loaded_once = False
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.intro.setText(tr("app.filters.intro"))
        self.empty.setText(tr("app.filters.none"))
        self.refresh_button.setText(tr("app.filters.refresh"))
        self.forget_button.setText(tr("app.filters.forget"))
        self.forget_button.setToolTip(tr("app.filters.forget_tip"))
        self.model.retranslate()
        self._show_summary()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self.tasks.query(list_filters, self._loaded, owner=self)

    def _loaded(self, statuses: list[FilterStatus]) -> None:
        chosen = self.selected()
        self._loaded_once = True
        self.model.set_rows(statuses)
        if chosen is not None:  # keep the parent's selection across the periodic refresh
            for row, status in enumerate(statuses):
                if status.id == chosen.id:
                    self.table.selectRow(row)
        self._selected_changed()
        self._show_summary()

    def selected(self) -> FilterStatus | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _selected_changed(self) -> None:
        chosen = self.selected()
        # A running filter would only come back: forgetting is for PCs that are gone.
        self.forget_button.setEnabled(chosen is not None and chosen.health in ("stopped", "silent"))

    def forget_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        name = chosen.name

        def forgotten(_: int) -> None:
            self.status.setText(self.language.text("app.filters.forgotten", machine=name))
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.status.setText(error_sentence(exc, self.language))

        self.tasks.write(lambda session: forget_filter(session, name), forgotten,
                         failed, owner=self)

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
