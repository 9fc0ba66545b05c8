"""ai_settings, ai_usage, ai_feedback: the model's kill switch, budgets, usage and ratings

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 16:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm_store.models

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ID = sa.Integer().with_variant(sa.BigInteger(), 'postgresql')


def upgrade() -> None:
    op.create_table('ai_settings',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('daily_tokens', sa.Integer(), nullable=True),
    sa.Column('updated_by', ID, nullable=True),
    sa.Column('updated_at', crm_store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_ai_settings')),
    )
    op.create_table('ai_usage',
    sa.Column('id', ID, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', ID, nullable=True),
    sa.Column('prompt', sa.String(length=64), nullable=False),
    sa.Column('prompt_tokens', sa.Integer(), nullable=False),
    sa.Column('completion_tokens', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('created_at', crm_store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_usage')),
    )
    op.create_index('ix_ai_usage_team_time', 'ai_usage', ['team_id', 'created_at'])
    op.create_index('ix_ai_usage_user_time', 'ai_usage', ['team_id', 'user_id', 'created_at'])
    op.create_table('ai_feedback',
    sa.Column('id', ID, nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', ID, nullable=True),
    sa.Column('prompt', sa.String(length=64), nullable=False),
    sa.Column('rating', sa.String(length=8), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('created_at', crm_store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_feedback')),
    )
    op.create_index('ix_ai_feedback_team_time', 'ai_feedback', ['team_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_ai_feedback_team_time', table_name='ai_feedback')
    op.drop_table('ai_feedback')
    op.drop_index('ix_ai_usage_user_time', table_name='ai_usage')
    op.drop_index('ix_ai_usage_team_time', table_name='ai_usage')
    op.drop_table('ai_usage')
    op.drop_table('ai_settings')
