"""Today at a glance: one row per child with their requests and blocks since midnight."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from ui.models.table_model import RowTableModel

CHILD, REQUESTS, BLOCKED = range(3)


@dataclass(frozen=True, slots=True)
class TodayRow:
    child: str | None  # None: devices set up for no child
    requests: int
    blocked: int


class TodayModel(RowTableModel[TodayRow]):
    HEADER_KEYS = (
        "app.overview.column.child", "app.overview.column.requests",
        "app.overview.column.blocked",
    )

    def display(self, row: TodayRow, column: int) -> str | None:
        if column == CHILD:
            return row.child if row.child is not None else self.language.text(
                "app.overview.unassigned")
        if column == REQUESTS:
            return f"{row.requests:,}"
        if column == BLOCKED:
            return f"{row.blocked:,}"
        return None

    def other_data(self, row: TodayRow, column: int, role: int) -> Any:
        if column != CHILD and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
