"""Requests: what the children asked for (a site, more time) and the pages they reported.

Pending requests come first, with the same answers as `guardian requests
approve`: 15 minutes, an hour, the rest of today, or always; or deny. The
page looks for new requests every few seconds on a worker and says so with
`requests_arrived` (ui/app.py shows the notification).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from guardian.storage.access_requests import (
    ReportInfo,
    RequestInfo,
    approve_request,
    deny_request,
    list_reports,
    list_requests,
)
from guardian.storage.settings import HOUSEHOLD_TIMEZONE, get_setting
from guardian.zones import household_zone
from ui.language import Language
from ui.models.requests_model import ReportsModel, RequestsModel
from ui.pages.page import Page
from ui.styles import error_label
from ui.tasks import Tasks, error_sentence
from ui.widgets.table_view import table

POLL_MS = 4000
ANSWERS = ("15m", "60m", "today", "always")
ANSWER_KEYS = {"15m": "minutes15", "60m": "hour", "today": "today", "always": "always"}


@dataclass(frozen=True, slots=True)
class Inbox:
    pending: tuple[RequestInfo, ...]
    answered: tuple[RequestInfo, ...]
    reports: tuple[ReportInfo, ...]


def load_inbox(session: Session) -> Inbox:
    requests = list_requests(session)
    return Inbox(tuple(r for r in requests if r.status == "pending"),
                 tuple(r for r in requests if r.status != "pending"),
                 tuple(list_reports(session)))


def approve(session: Session, request_id: int, answer: str) -> RequestInfo:
    zone = household_zone(get_setting(session, HOUSEHOLD_TIMEZONE))
    return approve_request(session, request_id, answer, datetime.now(UTC), zone)


class RequestsPage(Page):
    TITLE_KEY = "app.requests.title"
    OBJECT_NAME = "requests"
    requests_arrived = Signal(list)  # the new pending RequestInfo
    reports_arrived = Signal(list)  # the new ReportInfo: a child reported a harmful page
    request_answered = Signal()
    pending_counted = Signal(int)

    def __init__(self, language: Language, tasks: Tasks, *, poll_ms: int = POLL_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self.tasks = tasks
        self._known: set[int] | None = None  # pending ids already seen; None before the first load
        self._known_reports: set[int] | None = None  # report ids, the same way
        self._polling = False
        self._generation = 0  # only the latest look counts
        self.pending_count = 0

        self.tabs = QTabWidget()
        requests_tab, reports_tab = QWidget(), QWidget()
        self.pending_box, self.answered_box = QGroupBox(), QGroupBox()
        self.pending = RequestsModel(language, self)
        self.pending_view = table(self.pending, self)
        self.none_pending = QLabel(wordWrap=True)
        self.answer_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        self.approve_label = QLabel()
        buttons.addWidget(self.approve_label)
        for answer in ANSWERS:
            button = QPushButton()
            button.clicked.connect(lambda _checked=False, answer=answer: self._approve(answer))
            self.answer_buttons[answer] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.deny_button = QPushButton()
        self.deny_button.clicked.connect(self._deny)
        buttons.addWidget(self.deny_button)
        self.error = error_label()
        pending = QVBoxLayout(self.pending_box)
        pending.addWidget(self.none_pending)
        pending.addWidget(self.pending_view, 1)
        pending.addLayout(buttons)
        pending.addWidget(self.error)
        self.answered = RequestsModel(language, self)
        self.answered_view = table(self.answered, self)
        answered = QVBoxLayout(self.answered_box)
        answered.addWidget(self.answered_view)
        requests_layout = QVBoxLayout(requests_tab)
        requests_layout.addWidget(self.pending_box, 3)
        requests_layout.addWidget(self.answered_box, 2)

        self.reports_help = QLabel(wordWrap=True)
        self.reports = ReportsModel(language, self)
        self.reports_view = table(self.reports, self)
        reports_layout = QVBoxLayout(reports_tab)
        reports_layout.addWidget(self.reports_help)
        reports_layout.addWidget(self.reports_view, 1)
        self.tabs.addTab(requests_tab, "")
        self.tabs.addTab(reports_tab, "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.pending_view.selectionModel().selectionChanged.connect(
            lambda *_: self._enable_buttons())

        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)
        self.retranslate()
        self._enable_buttons()

    @property
    def title(self) -> str:
        title = self.language.text(self.TITLE_KEY)
        return f"{title} ({self.pending_count})" if self.pending_count else title

    def retranslate(self) -> None:
        tr = self.language.text
        self.tabs.setTabText(0, tr("app.requests.requests_tab"))
        self.tabs.setTabText(1, tr("app.requests.reports_tab"))
        self.pending_box.setTitle(tr("app.requests.pending"))
        self.answered_box.setTitle(tr("app.requests.answered"))
        self.none_pending.setText(tr("app.requests.none_pending"))
        self.approve_label.setText(tr("app.requests.approve_for"))
        for answer, button in self.answer_buttons.items():
            button.setText(tr(f"app.requests.answer.{ANSWER_KEYS[answer]}", answer=answer))
        self.deny_button.setText(tr("app.requests.deny"))
        self.reports_help.setText(tr("app.requests.reports_help"))
        for model in (self.pending, self.answered, self.reports):
            model.retranslate()

    def start_polling(self) -> None:
        """Look for new requests every few seconds (from when the parent has logged in)."""
        self.timer.start()
        self.poll()

    def refresh(self) -> None:
        self.poll()

    def poll(self, *, again: bool = False) -> None:
        """Load the inbox on a worker; `again` after a change, so no older look wins."""
        if self._polling and not again:
            return  # the last look has not come back yet
        self._polling = True
        self._generation += 1
        generation = self._generation
        self.tasks.query(load_inbox, lambda inbox: self._loaded(generation, inbox),
                         self._poll_failed, owner=self)

    def _poll_failed(self, exc: BaseException) -> None:
        self._polling = False
        self.error.setText(error_sentence(exc, self.language))
        self.error.show()

    def _loaded(self, generation: int, inbox: Inbox) -> None:
        if generation != self._generation:
            return
        self._polling = False
        chosen = self._selected()
        self.pending.set_rows(inbox.pending)
        self.answered.set_rows(inbox.answered)
        self.reports.set_rows(inbox.reports)
        if chosen is not None:
            for row, request in enumerate(inbox.pending):
                if request.id == chosen.id:
                    self.pending_view.selectRow(row)
        self.none_pending.setVisible(not inbox.pending)
        self._enable_buttons()
        ids = {r.id for r in inbox.pending}
        new = [r for r in inbox.pending if self._known is not None and r.id not in self._known]
        self._known = ids
        if len(ids) != self.pending_count:
            self.pending_count = len(ids)
            self.pending_counted.emit(self.pending_count)
        if new:
            self.requests_arrived.emit(new)
        reported = [r for r in inbox.reports
                    if self._known_reports is not None and r.id not in self._known_reports]
        self._known_reports = {r.id for r in inbox.reports}
        if reported:
            self.reports_arrived.emit(reported)

    def notification(self, new: list[RequestInfo]) -> str:
        """One sentence for the desktop: who asked for what."""
        if len(new) == 1:
            what = self.pending.display(new[0], 1) or ""
            return self.language.text("app.requests.arrived_one", child=new[0].profile, what=what)
        return self.language.text("app.requests.arrived_many", count=len(new))

    def report_notification(self, new: list[ReportInfo]) -> str:
        """One sentence for the desktop: which child reported which page."""
        if len(new) == 1:
            report = new[0]
            return self.language.text("app.requests.reported_one", child=report.profile or "?",
                                      page=f"{report.host}{report.path}")
        return self.language.text("app.requests.reported_many", count=len(new))

    def _selected(self) -> RequestInfo | None:
        rows = self.pending_view.selectionModel().selectedRows()
        return self.pending.row_at(rows[0].row()) if rows else None

    def select_request(self, request_id: int) -> None:
        for row, request in enumerate(self.pending.rows):
            if request.id == request_id:
                self.pending_view.selectRow(row)

    def _enable_buttons(self) -> None:
        chosen = self._selected() is not None
        for button in (*self.answer_buttons.values(), self.deny_button):
            button.setEnabled(chosen)

    def _answered(self, _info: RequestInfo) -> None:
        self.request_answered.emit()
        self.poll(again=True)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(error_sentence(exc, self.language))
        self.error.show()
        self.poll(again=True)

    def _approve(self, answer: str) -> None:
        request = self._selected()
        if request is None:
            return
        self.error.hide()
        self.tasks.write(lambda session: approve(session, request.id, answer),
                         self._answered, self._failed, owner=self)

    def _deny(self) -> None:
        request = self._selected()
        if request is None:
            return
        self.error.hide()
        self.tasks.write(lambda session: deny_request(session, request.id, datetime.now(UTC)),
                         self._answered, self._failed, owner=self)
