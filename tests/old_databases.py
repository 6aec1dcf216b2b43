"""A SQLite database as an older Guardian left it: the schema at a revision, and some rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from guardian.storage.database import Database, _alembic_config, open_database


@contextmanager
def upgraded_from(tmp_path: Path, revision: str, statements: Iterable[str]) -> Iterator[Database]:
    """Write `statements` into a database at `revision`, then open it as Guardian does now."""
    url = f"sqlite:///{tmp_path}/old.db"
    engine = create_engine(url)
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()
    db = open_database(url)
    try:
        yield db
    finally:
        db.close()
