"""Safe search and content settings per profile, search terms in the log, a child's details

Revision ID: 0004
Revises: 0003
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("safe_search", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column("youtube", sa.String(length=10), nullable=False,
                                      server_default="strict"))
        batch_op.add_column(sa.Column("unsafe_search", sa.String(length=8), nullable=False,
                                      server_default="block"))
        batch_op.add_column(sa.Column("scan_threshold", sa.Integer(), nullable=False,
                                      server_default="100"))
        batch_op.add_column(sa.Column("details_send_anyway", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("request_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search", sa.String(length=300), nullable=True))
    op.create_table(
        "profile_details",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=False),
        sa.Column("id_number", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"],
                                name=op.f("fk_profile_details_profile_id_profiles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_profile_details")),
    )


def downgrade() -> None:
    op.drop_table("profile_details")
    with op.batch_alter_table("request_log", schema=None) as batch_op:
        batch_op.drop_column("search")
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        for column in ("details_send_anyway", "scan_threshold", "unsafe_search", "youtube",
                       "safe_search"):
            batch_op.drop_column(column)
