"""The filters sharing the database: one row per machine and address, with its health."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from guardian.storage.filters import FilterStatus
from ui.models.table_model import RowTableModel
from ui.styles import BAD_COLOUR, GOOD_COLOUR, WAIT_COLOUR

MACHINE, ADDRESS, HEALTH, LAST_SEEN, VERSION = range(5)
HEALTH_COLOURS = {"ok": GOOD_COLOUR, "problem": BAD_COLOUR, "silent": BAD_COLOUR,
                  "stopped": WAIT_COLOUR}


class FiltersModel(RowTableModel[FilterStatus]):
    HEADER_KEYS = (
        "app.filters.column.machine", "app.filters.column.address",
        "app.filters.column.health", "app.filters.column.last_seen",
        "app.filters.column.version",
    )

    def display(self, row: FilterStatus, column: int) -> str | None:
        tr = self.language.text
        if column == MACHINE:
            return row.name
        if column == ADDRESS:
            return row.address
        if column == HEALTH:
            return tr(f"app.filters.health.{row.health}")
        if column == LAST_SEEN:
            seconds = int(row.seen_ago.total_seconds())
            if seconds < 120:
                return tr("app.filters.seconds_ago", count=seconds)
            if seconds < 7200:
                return tr("app.filters.minutes_ago", count=seconds // 60)
            return row.last_seen.astimezone().strftime("%Y-%m-%d %H:%M")
        if column == VERSION:
            return row.version
        return None

    def tooltip(self, row: FilterStatus, column: int) -> str | None:
        if column == HEALTH:
            return row.problem or self.language.text(f"app.filters.health_tip.{row.health}")
        return None

    def other_data(self, row: FilterStatus, column: int, role: int) -> Any:
        if column == HEALTH and role == Qt.ItemDataRole.ForegroundRole:
            return QColor(HEALTH_COLOURS[row.health])
        return None
