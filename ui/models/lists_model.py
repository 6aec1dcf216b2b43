"""The imported category lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from guardian.list_import import ImportedList
from ui.models.table_model import RowTableModel

CATEGORY, LOCATION, FORMAT, DOMAINS, URLS, BAD_LINES, IMPORTED = range(7)
NUMBERS = (DOMAINS, URLS, BAD_LINES)


class ListsModel(RowTableModel[ImportedList]):
    HEADER_KEYS = (
        "app.lists.column.category", "app.lists.column.location", "app.lists.column.format",
        "app.lists.column.domains", "app.lists.column.urls", "app.lists.column.bad_lines",
        "app.lists.column.imported",
    )

    def display(self, row: ImportedList, column: int) -> str | None:
        if column == CATEGORY:
            return self.language.category(row.category)
        if column == LOCATION:
            return row.location
        if column == FORMAT:
            return self.language.tr_known((f"app.lists.format_{row.format}",), row.format)
        if column == DOMAINS:
            return f"{row.domains:,}"
        if column == URLS:
            return f"{row.urls:,}"
        if column == BAD_LINES:
            return f"{row.bad_lines:,}"
        if column == IMPORTED:
            return row.imported_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return None

    def tooltip(self, row: ImportedList, column: int) -> str | None:
        return row.location if column == LOCATION else None

    def other_data(self, row: ImportedList, column: int, role: int) -> Any:
        if column in NUMBERS and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
