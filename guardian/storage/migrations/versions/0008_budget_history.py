"""The total daily budget's changes, so a past week's summary shows the budget it had

Revision ID: 0008
Revises: 0007
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Budgets set before the history was kept count from the beginning.
SINCE_ALWAYS = "1970-01-01"


def upgrade() -> None:
    op.create_table(
        "total_budget_changes",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["profile_id"], ["profiles.id"],
                                name=op.f("fk_total_budget_changes_profile_id_profiles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("profile_id", "day", name=op.f("pk_total_budget_changes")),
    )
    op.execute(
        "INSERT INTO total_budget_changes (profile_id, day, minutes) "
        f"SELECT profile_id, '{SINCE_ALWAYS}', minutes FROM budgets WHERE scope = 'total'")


def downgrade() -> None:
    op.drop_table("total_budget_changes")
