"""Opening the database: engine set-up, migrations at start-up, sessions.

SQLite is configured once here, on every new connection: foreign keys on,
WAL so the proxy's log writes and the app's reads do not block each other,
`synchronous=NORMAL` (safe with WAL: a crash loses no committed transaction;
a power cut may lose the last ones) and a busy timeout so that two writers
wait for each other instead of failing with "database is locked".

PostgreSQL (a school's or a larger household's one database for several
filters) goes through psycopg 3: `postgresql://` URLs are read as
`postgresql+psycopg://`; connections are checked before use (a restarted
server is not an error), opening one gives up after `CONNECT_TIMEOUT_S`, and
each session speaks UTC (times are stored timezone-aware either way).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, make_url, select
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from guardian.categories import CATEGORIES
from guardian.errors import StorageError
from guardian.storage.models import Category
from guardian.storage.settings import TOKEN_SECRET, get_setting, set_setting
from guardian.tokens import new_secret

BUSY_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_S = 10
SUPPORTED = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"


def create_db_engine(url: str) -> Engine:
    """An engine with Guardian's connection settings for `url`.

    Raises StorageError for a URL that is not SQLite or PostgreSQL, or whose
    driver is not installed.
    """
    try:
        parsed = make_url(normalize_url(url))
    except ArgumentError:
        raise StorageError(f"{_describe(url)!r} is not a database URL; use {SUPPORTED}") from None
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            engine = create_engine(
                parsed,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            )
            event.listen(engine, "connect", _configure_sqlite)
            return engine
        if backend == "postgresql":
            return create_engine(
                parsed, pool_pre_ping=True,
                connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                              "options": "-c timezone=UTC",
                              "application_name": "guardian"},
            )
    except (ArgumentError, ImportError) as exc:
        raise StorageError(f"cannot use the database {_describe(url)}: {exc}") from exc
    raise StorageError(f"Guardian stores its data in SQLite or PostgreSQL, not {backend}; "
                       f"use {SUPPORTED}")


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean PostgreSQL through psycopg 3, the driver
    Guardian ships with (SQLAlchemy's default would be psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _configure_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        try:
            with self.sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"the database refused the change: {_short(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open `url`, bring its schema up to date and seed the category table.

    Raises StorageError with one clear sentence when the database cannot be
    opened or migrated; nothing stored is touched in that case.
    """
    _prepare_sqlite_file(url)
    engine = create_db_engine(url)
    try:
        if migrate:
            with engine.connect() as connection:
                _migrate(connection)
        sessions = sessionmaker(engine, expire_on_commit=False)
        with sessions.begin() as session:
            _seed_categories(session)
            _seed_token_secret(session)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(f"cannot open the database ({_describe(url)}): {_short(exc)}") from exc
    return Database(engine, sessions)


def _prepare_sqlite_file(url: str) -> None:
    """Create the SQLite file owner-only before SQLite does it with the umask."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix or ":memory:" in url:
        return
    path = Path(url[len(prefix) :])
    if not path.parent.is_dir():
        raise StorageError(f"cannot open the database: the folder {path.parent} does not exist")
    if not path.exists():
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise StorageError(f"cannot create the database {path}: {exc.strerror}") from exc


def _migrate(connection: Connection) -> None:
    """Bring the schema up to date.

    On SQLite a migration that changes a table in a way ALTER TABLE cannot
    (Alembic's batch mode) copies it, drops the original and renames the
    copy. With foreign keys on, that drop deletes every row that refers to
    the table (ON DELETE CASCADE): a profile's attributions, rules and log
    attribution would go. So foreign keys are off while migrating (SQLite
    ignores the pragma inside a transaction: it is set before), and
    `foreign_key_check` afterwards turns a row left pointing nowhere into
    one clear error. With Python's sqlite3 driver a transaction begins at the
    first data change, not at DDL, so schema changes before it are already
    kept: the check reports, it cannot promise to undo.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        with connection.begin():
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            broken = sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first()
            if broken:
                raise StorageError(f"upgrading the database left rows in {broken[0]} that "
                                   "refer to missing ones")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("guardian.storage") / "migrations"))
    return config


def _seed_categories(session: Session) -> None:
    known = set(session.scalars(select(Category.code)))
    session.add_all(Category(code=code) for code in CATEGORIES if code not in known)


def _seed_token_secret(session: Session) -> None:
    if not get_setting(session, TOKEN_SECRET):
        set_setting(session, TOKEN_SECRET, new_secret())


def _describe(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :]
    return url.split("@")[-1]  # never show a password


def is_postgresql(url: str) -> bool:
    return normalize_url(url).startswith("postgresql")


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0][:200]
