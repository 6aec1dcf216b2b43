"""A child's own allow and block rules."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from guardian.storage.profiles import RuleEntry
from ui.models.table_model import RowTableModel
from ui.styles import BAD_COLOUR, GOOD_COLOUR

ACTION, TARGET, ADDED = range(3)


class RulesModel(RowTableModel[RuleEntry]):
    HEADER_KEYS = ("app.rules.column.action", "app.rules.column.target", "app.rules.column.added")

    def display(self, row: RuleEntry, column: int) -> str | None:
        if column == ACTION:
            return self.language.text(f"app.rules.action.{row.action}")
        if column == TARGET:
            return row.target
        if column == ADDED:
            return row.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return None

    def other_data(self, row: RuleEntry, column: int, role: int) -> Any:
        if column == ACTION and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(BAD_COLOUR if row.action == "block" else GOOD_COLOUR)
        return None
