"""The steps of an install or uninstall and how each went, in the app's language.

The steps come from `guardian.os_integration` with English titles and reasons
(the command line prints them). Here each known kind of step and reason gets
its translation; the English original, with the commands, is the tooltip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ui.models.table_model import RowTableModel
from ui.styles import BAD_COLOUR, GOOD_COLOUR, WAIT_COLOUR

STEP, RESULT, DETAIL = range(3)
STATUS_COLOURS = {"done": GOOD_COLOUR, "failed": BAD_COLOUR, "skipped": WAIT_COLOUR}
# (pattern on the English title, message key); a browser's name is kept as it is.
STEP_KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key) for pattern, key in (
        (r"^start at boot", "service"),
        (r"^stop starting at boot", "service_remove"),
        (r"^trust the CA in the system store", "ca_system"),
        (r"^remove the CA from the system store", "ca_system_remove"),
        (r"^trust the CA in (?P<browser>[A-Za-z]+( and [A-Za-z]+)?)", "ca_browser"),
        (r"^remove the CA from (?P<browser>[A-Za-z]+( and [A-Za-z]+)?)", "ca_browser_remove"),
        (r"^point .* at the filter", "proxy"),
        (r"^remove the filter from", "proxy_remove"),
    ))
REASONS: tuple[tuple[str, str], ...] = (
    ("needs an administrator", "admin"),
    ("administrator", "admin"),
    ("needs root", "root"),
    ("systemd is not running", "no_systemd"),
    ("no --user", "no_user"),
    ("no Firefox profile", "no_firefox"),
    ("no network service", "no_network_service"),
    ("not found", "tool_missing"),
    ("exited with", "command_failed"),
)


@dataclass(frozen=True, slots=True)
class StepRow:
    title: str  # English, from the core
    status: str  # "waiting" | "running" | "done" | "skipped" | "failed" | "dry run"
    detail: str = ""  # English, from the core: why skipped or failed
    commands: tuple[str, ...] = ()


class InstallStepsModel(RowTableModel[StepRow]):
    HEADER_KEYS = ("app.install.column.step", "app.install.column.result",
                   "app.install.column.detail")

    def step_words(self, title: str) -> str:
        if self.language.code == "en":
            return title
        for pattern, key in STEP_KINDS:
            found = pattern.match(title)
            if found:
                return self.language.text(f"app.install.step.{key}", **found.groupdict())
        return self.language.text("app.install.step.other")

    def reason_words(self, detail: str) -> str:
        if not detail or self.language.code == "en":
            return detail
        for words, key in REASONS:
            if words in detail:
                return self.language.text(f"app.install.reason.{key}")
        return self.language.text("app.error.technical")

    def display(self, row: StepRow, column: int) -> str | None:
        if column == STEP:
            return self.step_words(row.title)
        if column == RESULT:
            return self.language.text(f"app.install.status.{row.status.replace(' ', '_')}")
        if column == DETAIL:
            return self.reason_words(row.detail)
        return None

    def tooltip(self, row: StepRow, column: int) -> str | None:
        lines = [row.title] + ([row.detail] if row.detail else []) + list(row.commands)
        return "\n".join(lines)

    def other_data(self, row: StepRow, column: int, role: int) -> Any:
        if column == RESULT and role == Qt.ItemDataRole.ForegroundRole:
            colour = STATUS_COLOURS.get(row.status)
            return QColor(colour) if colour else None
        return None

    def update_row(self, number: int, row: StepRow) -> None:
        self._rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(self.HEADER_KEYS) - 1))
