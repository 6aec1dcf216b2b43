"""Signing up to a social network needs a parent, per profile

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The age presets turn it on under 16 (Decree 147/2024); existing profiles get
# what their preset would have given them.
SOCIAL_PARENT_UNDER_AGE = 16


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("social_signup", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    profiles = sa.table("profiles", sa.column("age", sa.Integer),
                        sa.column("social_signup", sa.Boolean))
    op.execute(profiles.update().where(profiles.c.age < SOCIAL_PARENT_UNDER_AGE)
               .values(social_signup=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("social_signup")
