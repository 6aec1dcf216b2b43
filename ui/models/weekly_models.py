"""The weekly summary's tables: time by kind of site, top sites, blocked attempts.

Rows are the summary's frozen dataclasses, computed on a worker; durations,
kinds of site and reasons are worded by `ReportText` in the app's language.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from guardian.reports import BlockGroup, CategoryTime, ReportText, SiteTime
from ui.language import Language
from ui.models.table_model import RowTableModel

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class _ReportModel[Row](RowTableModel[Row]):
    NUMBER_COLUMNS: tuple[int, ...] = ()

    def __init__(self, language: Language, parent: QObject | None = None) -> None:
        super().__init__(language, parent)

    @property
    def text(self) -> ReportText:
        return ReportText(self.language.code)

    def other_data(self, row: Row, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMBER_COLUMNS:
            return RIGHT
        return None


class CategoryTimeModel(_ReportModel[CategoryTime]):
    KIND, TIME, PREVIOUS = range(3)
    HEADER_KEYS = ("report.weekly.col.kind", "report.weekly.col.time",
                   "report.weekly.col.previous")
    NUMBER_COLUMNS = (TIME, PREVIOUS)

    def display(self, row: CategoryTime, column: int) -> str | None:
        if column == self.KIND:
            return self.text.category(row.category)
        if column == self.TIME:
            return self.text.duration(row.minutes)
        if column == self.PREVIOUS:
            return self.text.duration(row.previous_minutes)
        return None


class SiteTimeModel(_ReportModel[SiteTime]):
    SITE, TIME, VISITS = range(3)
    HEADER_KEYS = ("report.weekly.col.site", "report.weekly.col.time",
                   "report.weekly.col.visits")
    NUMBER_COLUMNS = (TIME, VISITS)

    def display(self, row: SiteTime, column: int) -> str | None:
        if column == self.SITE:
            return row.site
        if column == self.TIME:
            return self.text.duration(row.minutes)
        if column == self.VISITS:
            return str(row.visits)
        return None

    def tooltip(self, row: SiteTime, column: int) -> str | None:
        return self.text.category(row.category) if column == self.SITE else None


class BlockGroupModel(_ReportModel[BlockGroup]):
    WHY, ATTEMPTS, DAYS, EXAMPLES = range(4)
    HEADER_KEYS = ("report.weekly.col.why", "report.weekly.col.attempts",
                   "report.weekly.col.days", "report.weekly.col.examples")
    NUMBER_COLUMNS = (ATTEMPTS, DAYS)

    def display(self, row: BlockGroup, column: int) -> str | None:
        if column == self.WHY:
            return self.text.why(row)
        if column == self.ATTEMPTS:
            return str(row.count)
        if column == self.DAYS:
            return str(row.days)
        if column == self.EXAMPLES:
            return ", ".join(row.examples)
        return None

    def tooltip(self, row: BlockGroup, column: int) -> str | None:
        return ", ".join(row.examples) if column == self.EXAMPLES else None
