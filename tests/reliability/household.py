"""A household set up through Guardian's own command line, and reading what the filter stored.

The commands run in this process (`guardian.cli.main`), exactly as a parent
types them; the proxy under test runs in its own process and sees the same
data folder. The log is read with the standard `sqlite3` module, read-only,
so that a test checks what is on disk and not what Guardian thinks it wrote.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from guardian.cli import main as cli_main

# Hosts the household blocks: a category list, an Adblock list and a parent's rule.
CASINO = "casino.example"
POKER = "poker.example"
RULE_BLOCKED = "blocked.example"
BLOCKED_HOSTS = (CASINO, POKER, RULE_BLOCKED)


@dataclass
class CliOutcome:
    code: int
    out: str
    err: str


def guardian_cli(data_dir: Path, *args: str) -> CliOutcome:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(["--data-dir", str(data_dir), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return CliOutcome(code, out.getvalue(), err.getvalue())


def ok(data_dir: Path, *args: str) -> str:
    result = guardian_cli(data_dir, *args)
    assert result.code == 0, result.err
    return result.out


def make_household(root: Path, *, age: int = 9) -> Path:
    """An (the default profile) with a gambling list, an Adblock list and one block rule."""
    data_dir = root / "data"
    ok(data_dir, "profile", "add", "An", "--age", str(age), "--language", "vi", "--default")
    domains = root / "gambling.txt"
    domains.write_text(f"# casinos\n{CASINO}\n")
    ok(data_dir, "lists", "import", str(domains), "--category", "gambling")
    adblock = root / "gambling-abp.txt"
    adblock.write_text(f"[Adblock Plus 2.0]\n||{POKER}^\n")
    ok(data_dir, "lists", "import", str(adblock), "--category", "gambling")
    ok(data_dir, "rule", "add", "An", "block", RULE_BLOCKED)
    return data_dir


def read_only(database: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)


def log_counts(data_dir: Path) -> dict[str, int]:
    """Rows in request_log by decision ("allow", "block")."""
    with contextlib.closing(read_only(data_dir / "guardian.db")) as connection:
        rows = connection.execute(
            "SELECT decision, count(*) FROM request_log GROUP BY decision").fetchall()
    return {decision: count for decision, count in rows}


def log_total(data_dir: Path) -> int:
    return sum(log_counts(data_dir).values())


def integrity(database: Path) -> str:
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
