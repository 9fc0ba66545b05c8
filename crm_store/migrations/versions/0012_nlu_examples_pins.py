"""nlu_examples.pinned: the records a person picked for a message's names

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('nlu_examples') as batch:
        batch.add_column(sa.Column('pinned', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('nlu_examples') as batch:
        batch.drop_column('pinned')
