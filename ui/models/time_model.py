"""A child's daily budgets, each with today's minutes used and the rule of the code it serves."""

from __future__ import annotations

from dataclasses import dataclass

from guardian.presets import SETTING_RULES
from ui.models.table_model import RowTableModel

TARGET, MINUTES, USED, RULES = range(4)


@dataclass(frozen=True, slots=True)
class BudgetRow:
    scope: str  # "total" | "category" | "site" | "each_site"
    key: str
    minutes: int
    used: int | None  # None: not counted per budget (each site of a category)


def budget_rules(scope: str, key: str, game_law: str = "Decree 147/2024") -> str:
    """The rules a budget serves: Decree 147/2024 for games, PARENT-5 for the others."""
    if key == "games" and scope in ("category", "each_site"):
        setting = "games_total_minutes" if scope == "category" else "per_game_minutes"
        return " · ".join((game_law, *SETTING_RULES[setting]))
    if scope == "total":
        return " · ".join(SETTING_RULES["daily_total_minutes"])
    return "PARENT-5"


class BudgetsModel(RowTableModel[BudgetRow]):
    HEADER_KEYS = ("app.time.column.target", "app.time.column.minutes",
                   "app.time.column.used", "app.time.column.rules")

    def display(self, row: BudgetRow, column: int) -> str | None:
        tr = self.language.text
        if column == TARGET:
            if row.scope == "total":
                return tr("app.time.scope.total")
            if row.scope == "category":
                return tr("app.time.target.category", name=self.language.category(row.key))
            if row.scope == "each_site":
                return tr("app.time.target.each_site", name=self.language.category(row.key))
            return row.key
        if column == MINUTES:
            return tr("app.time.minutes", n=row.minutes)
        if column == USED:
            if row.used is None:
                return "—"
            return tr("app.time.used", used=row.used, minutes=row.minutes)
        if column == RULES:
            return budget_rules(row.scope, row.key, tr("app.time.game_law"))
        return None
