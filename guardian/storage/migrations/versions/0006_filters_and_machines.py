"""Several filters on one database: the filter registry, profiles attributed to a machine

Revision ID: 0006
Revises: 0005
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "filters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("problem", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filters")),
        sa.UniqueConstraint("name", "address", name="uq_filters_name_address"),
    )
    with op.batch_alter_table("attributions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_attributions_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_attributions_kind"), "kind IN ('port', 'client', 'machine')")


def downgrade() -> None:
    op.execute("DELETE FROM attributions WHERE kind = 'machine'")
    with op.batch_alter_table("attributions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_attributions_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_attributions_kind"),
                                         "kind IN ('port', 'client')")
    op.drop_table("filters")
