"""Initial schema: profiles, attribution, categories, rules, lists, request log

Revision ID: 0001
Revises: (none)

"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('categories',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_categories'))
    )
    op.create_table('policy_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_state'))
    )
    op.execute(
        sa.text("INSERT INTO policy_state (id, version, changed_at) VALUES (1, 1, :now)")
        .bindparams(now=datetime.now(UTC))
    )
    op.create_table('profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('age', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('age >= 0 AND age < 130', name=op.f('ck_profiles_age_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profiles')),
    sa.UniqueConstraint('name', name=op.f('uq_profiles_name'))
    )
    op.create_table('attributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.CheckConstraint("kind IN ('port', 'client')", name=op.f('ck_attributions_kind')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_attributions_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attributions')),
    sa.UniqueConstraint('kind', 'value', name='kind_value')
    )
    op.create_table('list_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=2048), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('domain_count', sa.Integer(), nullable=False),
    sa.Column('url_count', sa.Integer(), nullable=False),
    sa.Column('bad_lines', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['categories.code'], name=op.f('fk_list_sources_category_code_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_sources')),
    sa.UniqueConstraint('location', 'category_code', name='location_category')
    )
    op.create_table('profile_categories',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=32), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['categories.code'], name=op.f('fk_profile_categories_category_code_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_profile_categories_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'category_code', name=op.f('pk_profile_categories'))
    )
    op.create_table('request_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('time', sa.DateTime(timezone=True), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('path', sa.String(length=2048), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_request_log_profile_id_profiles'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_log'))
    )
    with op.batch_alter_table('request_log', schema=None) as batch_op:
        batch_op.create_index('ix_request_log_profile_time', ['profile_id', 'time'], unique=False)
        batch_op.create_index('ix_request_log_time', ['time'], unique=False)

    op.create_table('rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('path', sa.String(length=2048), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('allow', 'block')", name=op.f('ck_rules_action')),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_rules_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rules')),
    sa.UniqueConstraint('profile_id', 'action', 'host', 'path', name='target')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('rules')
    with op.batch_alter_table('request_log', schema=None) as batch_op:
        batch_op.drop_index('ix_request_log_time')
        batch_op.drop_index('ix_request_log_profile_time')

    op.drop_table('request_log')
    op.drop_table('profile_categories')
    op.drop_table('list_sources')
    op.drop_table('attributions')
    op.drop_table('profiles')
    op.drop_table('policy_state')
    op.drop_table('categories')
