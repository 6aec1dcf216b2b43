"""The children's requests (a site, or more time) and their reports of pages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from guardian.storage.access_requests import ReportInfo, RequestInfo
from ui.models.table_model import RowTableModel
from ui.styles import BAD_COLOUR, GOOD_COLOUR, WAIT_COLOUR

CHILD, WHAT, MESSAGE, WHEN, STATUS = range(5)
REPORT_CHILD, REPORT_PAGE, REPORT_CATEGORY, REPORT_NOTE, REPORT_WHEN = range(5)
STATUS_COLOURS = {"pending": WAIT_COLOUR, "approved": GOOD_COLOUR, "denied": BAD_COLOUR}


def when(moment: object) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")  # type: ignore[attr-defined]


class RequestsModel(RowTableModel[RequestInfo]):
    HEADER_KEYS = ("app.requests.column.child", "app.requests.column.what",
                   "app.requests.column.message", "app.requests.column.when",
                   "app.requests.column.status")

    def display(self, row: RequestInfo, column: int) -> str | None:
        tr = self.language.text
        if column == CHILD:
            return row.profile
        if column == WHAT:
            if row.kind == "site":
                return tr("app.requests.what.site", host=row.host)
            return tr("app.requests.what.time", limit=self._limit(row))
        if column == MESSAGE:
            return row.message
        if column == WHEN:
            return when(row.created_at)
        if column == STATUS:
            status = tr(f"app.requests.status.{row.status}")
            if row.answer:
                key = self._answer_key(row.answer)
                answer = tr(f"app.requests.answer.{key}", answer=row.answer).replace("&", "")
                status += f" ({answer})"
            return status
        return None

    def tooltip(self, row: RequestInfo, column: int) -> str | None:
        if column == MESSAGE and row.message:
            return row.message
        if column == WHAT and row.path and row.path != "/":
            return row.host + row.path
        return None

    def other_data(self, row: RequestInfo, column: int, role: int) -> Any:
        if column == STATUS and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(STATUS_COLOURS.get(row.status, WAIT_COLOUR))
        return None

    def _limit(self, row: RequestInfo) -> str:
        tr = self.language.text
        if row.scope == "total":
            return tr("app.time.scope.total")
        if row.scope == "hours":
            return tr("app.requests.limit.hours")
        if row.scope == "category" and row.key:
            return self.language.category(row.key)
        return row.key or row.category or row.scope

    @staticmethod
    def _answer_key(answer: str) -> str:
        return {"15m": "minutes15", "60m": "hour", "today": "today",
                "always": "always"}.get(answer, "other")


class ReportsModel(RowTableModel[ReportInfo]):
    HEADER_KEYS = ("app.requests.column.child", "app.requests.column.page",
                   "app.requests.column.category", "app.requests.column.note",
                   "app.requests.column.when")

    def display(self, row: ReportInfo, column: int) -> str | None:
        if column == REPORT_CHILD:
            return row.profile or "—"
        if column == REPORT_PAGE:
            return row.host + (row.path if row.path != "/" else "")
        if column == REPORT_CATEGORY:
            return self.language.category(row.category) if row.category else "—"
        if column == REPORT_NOTE:
            return row.note
        if column == REPORT_WHEN:
            return when(row.created_at)
        return None
