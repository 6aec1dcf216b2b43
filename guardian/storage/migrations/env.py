"""Alembic environment: Guardian runs migrations itself, on the connection it opened."""

from __future__ import annotations

from alembic import context

from guardian.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Guardian's migrations run from guardian.storage.database.open_database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
