"""Shared fixtures: a data folder, an opened database, the CLI in-process.

Test helpers are part of the design: one-line factories for profiles,
requests and flows live here and in `tests/proxy_harness.py`.

Storage tests run on both back ends: a test module marked `both_backends`
gets each test that uses `data_dir` (or `db`) once on SQLite and once on
PostgreSQL, each with a fresh database. The PostgreSQL server is the one at
GUARDIAN_TEST_POSTGRES_URL (an administrator's URL: the tests create and drop
databases), or else a throwaway server these fixtures start from the Debian
binaries (`tests/postgres_server.py`). Without either the PostgreSQL runs
skip, saying why, unless GUARDIAN_REQUIRE_POSTGRES=1 (CI), which fails them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from guardian.datadir import DataDir, resolve_data_dir
from guardian.storage.database import Database, open_database
from tests.postgres_server import PostgresServer, PostgresUnavailable

POSTGRES_URL_ENV = "GUARDIAN_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "GUARDIAN_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")

for _name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_name, None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each test of a `both_backends` module that opens a database runs on both back ends."""
    if ("backend" in metafunc.fixturenames
            and metafunc.definition.get_closest_marker("both_backends")
            and not metafunc.definition.get_closest_marker("sqlite_only")):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """"sqlite" unless the test is parametrized over both back ends."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """An administrator's URL on a PostgreSQL server: the env var's, or a throwaway server's."""
    if os.environ.get(POSTGRES_URL_ENV):
        yield os.environ[POSTGRES_URL_ENV]
        return
    try:
        server = PostgresServer().start()
    except PostgresUnavailable as exc:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"PostgreSQL is required here ({REQUIRE_POSTGRES_ENV}=1): {exc}")
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> Iterator[str]:
    """A database migrated once; each test's database is a copy of it (fast)."""
    from tests.postgres_databases import create_database, drop_database

    name = f"guardian_template_{uuid.uuid4().hex[:8]}"
    url = create_database(postgres_admin_url, name)
    open_database(url).close()  # migrates and seeds: PostgreSQL migrations run here
    yield name
    drop_database(postgres_admin_url, name)


@pytest.fixture
def postgres_url(postgres_admin_url: str, postgres_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test; dropped after it."""
    from tests.postgres_databases import create_database, drop_database

    name = f"guardian_test_{uuid.uuid4().hex[:12]}"
    url = create_database(postgres_admin_url, name, template=postgres_template)
    yield url
    drop_database(postgres_admin_url, name)


@pytest.fixture
def data_dir(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> DataDir:
    root = tmp_path / "guardian-data"
    if backend == "postgresql":
        return resolve_data_dir(root, request.getfixturevalue("postgres_url")).ensure()
    return resolve_data_dir(root).ensure()


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
        database = [] if data_dir.database_path else ["--database-url", data_dir.database_url]
        try:
            code = cli_main(["--data-dir", str(data_dir.root), *database, *args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
