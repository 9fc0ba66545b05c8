"""activities: the workspace-by-time index covers the lead scan

Replaces ix_activities_team_time (team_id, occurred_at) with an index that also carries
contact_id, account_id, deal_id, kind and signal_marks, so a whole-workspace rescore reads
the index alone instead of one table row per activity. Queries on (team_id, occurred_at)
use it as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 03:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_activities_team_time', table_name='activities')
    op.create_index('ix_activities_team_scan', 'activities',
                    ['team_id', 'occurred_at', 'contact_id', 'account_id', 'deal_id', 'kind',
                     'signal_marks'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_activities_team_scan', table_name='activities')
    op.create_index('ix_activities_team_time', 'activities', ['team_id', 'occurred_at'],
                    unique=False)
