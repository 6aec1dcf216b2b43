"""Overview: is the filter running (start, stop, why it stopped), and each child's day so far."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.storage.activity import counts_since
from guardian.storage.profiles import list_profiles
from ui.language import Language
from ui.models.today_model import TodayModel, TodayRow
from ui.pages.page import Page
from ui.styles import BAD_COLOUR, GOOD_COLOUR, WAIT_COLOUR
from ui.supervisor import FilterState, FilterStatus
from ui.tasks import Tasks, technical_detail

REFRESH_MS = 30_000  # today's counts move while the page is open
STATUS_COLOURS = {
    FilterStatus.RUNNING: GOOD_COLOUR, FilterStatus.ATTACHED: GOOD_COLOUR,
    FilterStatus.STARTING: WAIT_COLOUR, FilterStatus.RESTARTING: WAIT_COLOUR,
    FilterStatus.STOPPING: WAIT_COLOUR,
}


def today_rows(session: Session, since: datetime) -> list[TodayRow]:
    counts = {c.profile_id: c for c in counts_since(session, since)}
    rows = []
    for profile in list_profiles(session):
        found = counts.get(profile.id)
        rows.append(TodayRow(profile.name, found.requests if found else 0,
                             found.blocked if found else 0))
    if None in counts:
        rows.append(TodayRow(None, counts[None].requests, counts[None].blocked))
    return rows


def local_midnight() -> datetime:
    return datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)


class OverviewPage(Page):
    TITLE_KEY = "app.nav.overview"
    OBJECT_NAME = "overview"
    start_requested = Signal()
    stop_requested = Signal()

    def __init__(self, language: Language, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self._state: FilterState | None = None

        self.filter_box = QGroupBox()
        self.status = QLabel(wordWrap=True)
        font = QFont(self.status.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.status.setFont(font)
        self.details = QLabel(wordWrap=True)
        self.keeps_running = QLabel(wordWrap=True)
        self.start_button, self.stop_button = QPushButton(), QPushButton()
        self.start_button.clicked.connect(self.start_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self.exit_label = QLabel(wordWrap=True)
        self.exit_output = QPlainTextEdit(readOnly=True, maximumBlockCount=50)
        self.exit_output.setMaximumHeight(150)
        self.exit_output.setFont(QFont("monospace"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self.filter_box)
        box.addWidget(self.status)
        box.addWidget(self.details)
        box.addLayout(buttons)
        box.addWidget(self.keeps_running)
        box.addWidget(self.exit_label)
        box.addWidget(self.exit_output)

        self.today_box = QGroupBox()
        self.model = TodayModel(language, self)
        self.table = QTableView(self)
        self.table.setAlternatingRowColors(True)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.empty = QLabel(wordWrap=True)
        today = QVBoxLayout(self.today_box)
        today.addWidget(self.table)
        today.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.today_box, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.timer.start(REFRESH_MS)
        self.show_filter_state(FilterState(FilterStatus.STOPPED, "127.0.0.1", 8080))
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.language.text
        self.filter_box.setTitle(tr("app.overview.filter"))
        self.start_button.setText(tr("app.overview.start"))
        self.stop_button.setText(tr("app.overview.stop"))
        self.keeps_running.setText(tr("app.overview.keeps_running"))
        self.today_box.setTitle(tr("app.overview.today"))
        self.empty.setText(tr("app.overview.no_children"))
        self.model.retranslate()
        if self._state is not None:
            self.show_filter_state(self._state)

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        since = local_midnight()
        self.tasks.query(lambda session: today_rows(session, since), self._loaded, owner=self)

    def _loaded(self, rows: list[TodayRow]) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)

    def show_filter_state(self, state: FilterState) -> None:
        self._state = state
        tr = self.language.text
        self.status.setText(tr(f"app.filter.status.{state.status.value}", address=state.address))
        colour = STATUS_COLOURS.get(state.status, BAD_COLOUR)
        self.status.setStyleSheet(f"color: {colour};")
        details = []
        tooltip = ""
        if state.status in (FilterStatus.STOPPED, FilterStatus.STOPPING):
            details.append(tr("app.overview.address", address=state.address))
        if state.health is not None:
            details.append(tr("app.overview.version", version=state.health.version))
            if not state.health.ok:
                error = state.health.error or "?"
                details.append(tr("app.overview.policy_unavailable",
                                  error=technical_detail(error, self.language)))
                tooltip = error
        if state.started_elsewhere:
            details.append(tr("app.overview.started_elsewhere"))
        if state.restarts:
            details.append(tr("app.overview.restarts", count=state.restarts))
        self.details.setText("\n".join(details))
        self.details.setToolTip(tooltip)
        up_or_busy = state.status not in (FilterStatus.STOPPED, FilterStatus.ADDRESS_TAKEN)
        self.start_button.setEnabled(not up_or_busy)
        self.stop_button.setEnabled(up_or_busy and state.status != FilterStatus.STOPPING)
        exit_ = state.last_exit
        self.exit_label.setVisible(exit_ is not None)
        self.exit_output.setVisible(bool(exit_ and exit_.output))
        if exit_ is not None:
            when = exit_.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            key = "app.overview.exited" if exit_.code is not None else "app.overview.vanished"
            self.exit_label.setText(tr(key, time=when, code=exit_.code))
            self.exit_output.setPlainText("\n".join(exit_.output))
