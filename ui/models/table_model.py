"""What every Guardian table model shares: rows of frozen dataclasses, translated headers.

A subclass names its columns (constants, and the message key of each header)
and says how a row shows in a cell; rows come in through `set_rows()`, inside
a model reset, from a page that loaded them on a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.language import Language

Index = QModelIndex | QPersistentModelIndex


class RowTableModel[Row](QAbstractTableModel):
    HEADER_KEYS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, language: Language, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self._rows: list[Row] = []

    @property
    def rows(self) -> Sequence[Row]:
        return tuple(self._rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def retranslate(self) -> None:
        if self.HEADER_KEYS:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.HEADER_KEYS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.HEADER_KEYS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADER_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADER_KEYS)):
            return self.language.text(self.HEADER_KEYS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        return self.other_data(row, index.column(), role)

    def display(self, row: Row, column: int) -> str | None:
        raise NotImplementedError

    def tooltip(self, row: Row, column: int) -> str | None:
        return None

    def other_data(self, row: Row, column: int, role: int) -> Any:
        return None
