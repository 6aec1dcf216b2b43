"""The request log, a page at a time.

The model holds the rows loaded so far. When the view scrolls near the end
Qt asks `canFetchMore()`/`fetchMore()`; the model then reports `more_wanted`
and the page loads the next page on a worker (keyset on time and id) and
hands it to `append_rows()`. The model never touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor

from guardian.storage.activity import ActivityRecord
from ui.language import Language
from ui.models.table_model import Index, RowTableModel
from ui.styles import BAD_COLOUR

TIME, CHILD, DECISION, HOST, PATH, REASON, METHOD, STATUS, SIZE = range(9)
BLOCK_COLOUR = QColor(BAD_COLOUR)


class ActivityModel(RowTableModel[ActivityRecord]):
    HEADER_KEYS = (
        "app.activity.column.time", "app.activity.column.child", "app.activity.column.decision",
        "app.activity.column.host", "app.activity.column.path", "app.activity.column.reason",
        "app.activity.column.method", "app.activity.column.status", "app.activity.column.size",
    )
    more_wanted = Signal()

    def __init__(self, language: Language, parent: QObject | None = None) -> None:
        super().__init__(language, parent)
        self._has_more = False
        self._loading = False

    @property
    def has_more(self) -> bool:
        return self._has_more

    def set_rows(self, rows: Sequence[ActivityRecord], has_more: bool = False) -> None:
        self._has_more, self._loading = has_more, False
        super().set_rows(rows)

    def append_rows(self, rows: Sequence[ActivityRecord], has_more: bool) -> None:
        self._loading = False
        self._has_more = has_more
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def set_loading(self, loading: bool) -> None:
        self._loading = loading

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._loading = True
            self.more_wanted.emit()

    def display(self, row: ActivityRecord, column: int) -> str | None:
        if column == TIME:
            return row.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column == CHILD:
            return row.profile or "—"
        if column == DECISION:
            return self.language.tr_known((f"app.decision.{row.decision}",), row.decision)
        if column == HOST:
            return row.host
        if column == PATH:
            return row.path
        if column == REASON:
            reason = self.language.tr_known(
                (f"app.reason.{row.reason}", f"reason.{row.reason}"), row.reason)
            if row.category:
                category = self.language.tr_known((f"category.{row.category}",), row.category)
                return f"{reason}: {category}"
            return reason
        if column == METHOD:
            return row.method
        if column == STATUS:
            return str(row.status) if row.status is not None else "—"
        if column == SIZE:
            return _size(row.bytes)
        return None

    def tooltip(self, row: ActivityRecord, column: int) -> str | None:
        if column in (HOST, PATH):
            return row.host + row.path
        if column == REASON:
            return self.display(row, REASON)
        return None

    def other_data(self, row: ActivityRecord, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.decision == "block":
            return BLOCK_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (STATUS, SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"
