"""Screen time: budgets, allowed hours, grants, active minutes, ask-a-parent requests,
reports; rules that expire

Revision ID: 0003
Revises: 0002

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('path', sa.String(length=2048), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=253), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('site', 'time')", name=op.f('ck_access_requests_kind')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'denied')", name=op.f('ck_access_requests_status')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_access_requests_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_requests')),
    sa.UniqueConstraint('nonce', name=op.f('uq_access_requests_nonce'))
    )
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.create_index('ix_access_requests_status', ['status'], unique=False)

    op.create_table('active_minutes',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('minute', sa.DateTime(timezone=True), nullable=False),
    sa.Column('site', sa.String(length=253), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_active_minutes_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'minute', 'site', name=op.f('pk_active_minutes'))
    )
    with op.batch_alter_table('active_minutes', schema=None) as batch_op:
        batch_op.create_index('ix_active_minutes_minute', ['minute'], unique=False)

    op.create_table('allowed_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint('start_minute BETWEEN 0 AND 1439 AND end_minute BETWEEN 0 AND 1440', name=op.f('ck_allowed_hours_minutes')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_allowed_hours_weekday')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_allowed_hours_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allowed_hours'))
    )
    op.create_table('budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=253), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint("scope IN ('total', 'category', 'site', 'each_site')", name=op.f('ck_budgets_scope')),
    sa.CheckConstraint('minutes >= 0 AND minutes <= 1440', name=op.f('ck_budgets_minutes')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_budgets_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets')),
    # Named for its table: PostgreSQL keeps index names per schema, and the
    # rules table's constraint is already called 'target' (SQLite databases made
    # before keep that name here too; it is only a name).
    sa.UniqueConstraint('profile_id', 'scope', 'key', name='uq_budgets_target')
    )
    op.create_table('time_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=253), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_time_grants_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_grants'))
    )
    with op.batch_alter_table('time_grants', schema=None) as batch_op:
        batch_op.create_index('ix_time_grants_profile_day', ['profile_id', 'day'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('path', sa.String(length=2048), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_reports_profile_id_profiles'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('nonce', name=op.f('uq_reports_nonce'))
    )
    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('time_grants', schema=None) as batch_op:
        batch_op.drop_index('ix_time_grants_profile_day')

    op.drop_table('reports')
    op.drop_table('time_grants')
    op.drop_table('budgets')
    op.drop_table('allowed_hours')
    with op.batch_alter_table('active_minutes', schema=None) as batch_op:
        batch_op.drop_index('ix_active_minutes_minute')

    op.drop_table('active_minutes')
    with op.batch_alter_table('access_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_access_requests_status')

    op.drop_table('access_requests')
