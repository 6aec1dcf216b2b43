"""The children of the household, one row per profile."""

from __future__ import annotations

from guardian.presets import preset_for_age
from guardian.storage.profiles import ProfileSummary
from ui.language import Language
from ui.models.table_model import RowTableModel

NAME, AGE, PRESET, LANGUAGE, REACH, BLOCKED, RULES = range(7)


def reach_text(language: Language, ports: tuple[int, ...], clients: tuple[str, ...],
               is_default: bool) -> str:
    """How a child's traffic reaches the filter, in words."""
    parts = [language.text("app.reach.port", port=p) for p in ports]
    parts += [language.text("app.reach.client", client=c) for c in clients]
    if is_default:
        parts.append(language.text("app.reach.default"))
    return ", ".join(parts) or language.text("app.reach.none")


def preset_text(language: Language, age: int) -> str:
    return language.text(f"app.preset.{preset_for_age(age).key}")


class ChildrenModel(RowTableModel[ProfileSummary]):
    HEADER_KEYS = (
        "app.children.column.name", "app.children.column.age", "app.children.column.preset",
        "app.children.column.language", "app.children.column.reach",
        "app.children.column.blocked", "app.children.column.rules",
    )

    def display(self, row: ProfileSummary, column: int) -> str | None:
        cells = {
            NAME: lambda: row.name,
            AGE: lambda: str(row.age),
            PRESET: lambda: preset_text(self.language, row.age),
            LANGUAGE: lambda: self.language.language_name(row.language),
            REACH: lambda: reach_text(self.language, row.ports, row.clients, row.is_default),
            BLOCKED: lambda: self.language.text("app.children.blocked_count",
                                              count=len(row.blocked_categories)),
            RULES: lambda: str(row.rule_count),
        }
        cell = cells.get(column)
        return cell() if cell else None

    def tooltip(self, row: ProfileSummary, column: int) -> str | None:
        if column == BLOCKED:
            return "\n".join(self.language.category(code) for code in row.blocked_categories)
        return None
