"""Carry the steps out, one report line each; or, in a dry run, only describe them.

The runner stops a step at its first failing action (later steps still run: a
missing browser must not keep the service from being installed) and never raises
for a command that fails: the report says what failed and why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from guardian.os_integration.actions import (
    Action,
    CopyFile,
    Outcome,
    Run,
    Step,
    WriteFile,
    describe,
)

CommandRunner = Callable[[Sequence[str]], tuple[int, str]]


def run_command(argv: Sequence[str]) -> tuple[int, str]:
    """Run a command; its exit code and its output (stdout and stderr)."""
    result = subprocess.run(list(argv), capture_output=True, text=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    return result.returncode, (result.stdout + result.stderr).strip()


def apply_steps(steps: Iterable[Step], *, dry_run: bool = False, windows: bool = False,
                run: CommandRunner = run_command,
                report: Callable[[str], None] | None = None) -> list[Outcome]:
    outcomes = []
    for step in steps:
        if step.skip is not None:
            outcome = Outcome(step.title, "skipped", step.skip)
        elif dry_run:
            outcome = Outcome(step.title, "dry run")
        else:
            outcome = _carry_out(step, run)
        outcomes.append(outcome)
        if report is not None:
            report(outcome.line())
            if dry_run and step.skip is None:
                for action in step.actions:
                    report("    " + describe(action, windows))
    return outcomes


def _carry_out(step: Step, run: CommandRunner) -> Outcome:
    for action in step.actions:
        why = _perform(action, run)
        if why is not None:
            return Outcome(step.title, "failed", why)
    return Outcome(step.title, "done")


def _perform(action: Action, run: CommandRunner) -> str | None:
    """Do one action; None on success, else one line saying why it failed."""
    try:
        if isinstance(action, Run):
            code, output = run(action.argv)
            if code not in action.ok_codes:
                last = output.splitlines()[-1] if output else "no output"
                return f"{action.argv[0]} exited with {code}: {last}"
        elif isinstance(action, WriteFile):
            path = Path(action.path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(action.text, encoding=action.encoding, newline="")
            os.chmod(path, action.mode)
        elif isinstance(action, CopyFile):
            target = Path(action.target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(action.source, target)
            os.chmod(target, action.mode)
        else:
            Path(action.path).unlink(missing_ok=True)
    except FileNotFoundError as exc:
        return f"{exc.filename or exc}: not found"
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
