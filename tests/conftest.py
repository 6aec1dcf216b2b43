"""Shared fixtures: a data folder, an opened database, the CLI in-process.

Test helpers are part of the design: one-line factories for profiles,
requests and flows live here and in `tests/proxy_harness.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from guardian.datadir import DataDir, resolve_data_dir
from guardian.storage.database import Database, open_database

for _name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_name, None)


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return resolve_data_dir(tmp_path / "guardian-data").ensure()


@pytest.fixture
def db(data_dir: DataDir) -> Iterator[Database]:
    database = open_database(data_dir.database_url)
    yield database
    database.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(data_dir: DataDir, capsys: pytest.CaptureFixture[str]):
    """Run `guardian --data-dir <tmp> ARGS...` in this process."""

    from guardian.cli import main as cli_main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            code = cli_main(["--data-dir", str(data_dir.root), *args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
