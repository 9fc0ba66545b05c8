"""nlu_examples: corrections people made in the Edit… form, kept as labelled examples

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 15:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import crm_store.models

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('nlu_examples',
    sa.Column('id', sa.Integer().with_variant(sa.BigInteger(), 'postgresql'), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_key', sa.String(length=400), nullable=False),
    sa.Column('original', sa.JSON(), nullable=False),
    sa.Column('corrected', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer().with_variant(sa.BigInteger(), 'postgresql'),
              nullable=True),
    sa.Column('created_at', crm_store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nlu_examples')),
    )
    op.create_index('ix_nlu_examples_key', 'nlu_examples', ['team_id', 'text_key'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_nlu_examples_key', table_name='nlu_examples')
    op.drop_table('nlu_examples')
