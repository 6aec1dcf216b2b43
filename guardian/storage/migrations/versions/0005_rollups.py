"""Daily rollups for the weekly summary: site usage, hourly minutes, blocks, searches

Revision ID: 0005
Revises: 0004
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _profile_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"],
                                   name=op.f(f"fk_{table}_profile_id_profiles"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "daily_site_usage",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("site", sa.String(length=253), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        _profile_fk("daily_site_usage"),
        sa.PrimaryKeyConstraint("profile_id", "day", "site", name=op.f("pk_daily_site_usage")),
    )
    op.create_table(
        "hourly_minutes",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name=op.f("ck_hourly_minutes_hour")),
        _profile_fk("hourly_minutes"),
        sa.PrimaryKeyConstraint("profile_id", "day", "hour", "category",
                                name=op.f("pk_hourly_minutes")),
    )
    op.create_table(
        "daily_blocks",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("site", sa.String(length=253), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        _profile_fk("daily_blocks"),
        sa.PrimaryKeyConstraint("profile_id", "day", "reason", "category", "site",
                                name=op.f("pk_daily_blocks")),
    )
    op.create_table(
        "daily_searches",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("term", sa.String(length=300), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        _profile_fk("daily_searches"),
        sa.PrimaryKeyConstraint("profile_id", "day", "term", name=op.f("pk_daily_searches")),
    )


def downgrade() -> None:
    op.drop_table("daily_searches")
    op.drop_table("daily_blocks")
    op.drop_table("hourly_minutes")
    op.drop_table("daily_site_usage")
