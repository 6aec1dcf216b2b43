"""A child's content categories: blocked or not, and the rules of the code behind each.

The check box is the category's blocked state. Ticking it changes the row at
once and reports `block_toggled`; the page stores the change and reloads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from guardian.conduct import Catalog
from ui.language import Language
from ui.models.table_model import Index, RowTableModel

CATEGORY, RULES = range(2)


@dataclass(frozen=True, slots=True)
class CategoryRow:
    code: str
    blocked: bool


class CategoriesModel(RowTableModel[CategoryRow]):
    HEADER_KEYS = ("app.rules.column.category", "app.rules.column.code_rules")
    block_toggled = Signal(str, bool)

    def __init__(self, language: Language, catalog: Catalog,
                 parent: QObject | None = None) -> None:
        super().__init__(language, parent)
        self._catalog = catalog

    def display(self, row: CategoryRow, column: int) -> str | None:
        if column == CATEGORY:
            return self.language.category(row.code)
        if column == RULES:
            return ", ".join(self._catalog.category(row.code).rules)
        return None

    def tooltip(self, row: CategoryRow, column: int) -> str | None:
        if column == CATEGORY:
            return self.language.text(f"category.{row.code}.why")
        if column == RULES:
            basis = self._catalog.category(row.code)
            law = self.language.text("app.rules.law", words=basis.law.get(self.language.code),
                                   basis=basis.basis)
            return "\n".join([law] + [
                f"{rule.id} ({rule.article}): {rule.text.get(self.language.code)}"
                for rule in self._catalog.rules_for_category(row.code)])
        return None

    def other_data(self, row: CategoryRow, column: int, role: int) -> Any:
        if column == CATEGORY and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if row.blocked else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == CATEGORY:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or index.column() != CATEGORY or role != Qt.ItemDataRole.CheckStateRole:
            return False
        blocked = Qt.CheckState(value) == Qt.CheckState.Checked
        if blocked == row.blocked:
            return True
        self._rows[index.row()] = replace(row, blocked=blocked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.block_toggled.emit(row.code, blocked)
        return True
