"""The steps an install is made of: pure data, carried out by `runner.apply_steps`."""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class Run:
    """A command. `ok_codes` other than 0 let an undo pass when there is nothing to undo."""

    argv: tuple[str, ...]
    ok_codes: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class WriteFile:
    path: PurePath
    text: str
    mode: int = 0o644
    encoding: str = "utf-8"


@dataclass(frozen=True)
class CopyFile:
    source: PurePath
    target: PurePath
    mode: int = 0o644


@dataclass(frozen=True)
class RemoveFile:
    path: PurePath


Action = Run | WriteFile | CopyFile | RemoveFile


@dataclass(frozen=True)
class Step:
    """One line of the report: what it does, how, or why it cannot be done here."""

    title: str
    actions: tuple[Action, ...] = ()
    skip: str | None = None


def skipped(title: str, why: str) -> Step:
    return Step(title, skip=why)


@dataclass(frozen=True)
class Outcome:
    title: str
    status: str  # "done" | "skipped" | "failed" | "dry run"
    detail: str = ""

    def line(self) -> str:
        return f"{self.status}: {self.title}" + (f" ({self.detail})" if self.detail else "")


def show_command(argv: tuple[str, ...], windows: bool) -> str:
    return subprocess.list2cmdline(argv) if windows else shlex.join(argv)


def describe(action: Action, windows: bool = False) -> str:
    """An action as the dry run prints it."""
    if isinstance(action, Run):
        return "$ " + show_command(action.argv, windows)
    if isinstance(action, WriteFile):
        body = "".join(f"\n        | {line}" for line in action.text.splitlines())
        return f"write {action.path} (mode {action.mode:o}):{body}"
    if isinstance(action, CopyFile):
        return f"copy {action.source} -> {action.target}"
    return f"remove {action.path}"
