"""unique name keys for accounts and contacts

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 13:00:00

Adds `name_key` (the name single-spaced and lower-cased, crm_store.models.name_key) to
accounts and contacts, with unique indexes: an account per workspace, a contact per
workspace and account (no account counting as one). Two messages naming the same new
account at once then make one account, not two that every later mention asks about.

Existing duplicates are kept, not merged: the first (lowest id) gets the plain key and
each later one the key plus "  #2", "  #3"… (two spaces, which no real key contains).
Merging would have to re-point deals, activities, tasks, tags, scores and the audit
trail, and guess which values win; keeping both leaves every record and its history
where it was, still found by name (the assistant asks which one, as before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BATCH = 1_000
TABLES = ("accounts", "contacts")


def key_of(name: str | None) -> str:
    """crm_store.models.name_key as of this revision (a migration must not follow later code)."""
    return " ".join((name or "").split()).lower()


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        # NOT NULL needs a default to be added in place on SQLite (no table rebuild, which
        # would lose the lower(name) expression indexes); PostgreSQL drops it below.
        op.add_column(table, sa.Column('name_key', sa.String(length=220), nullable=False,
                                       server_default=''))
    _backfill(conn, "accounts", scope=lambda row: row.team_id)
    _backfill(conn, "contacts", scope=lambda row: (row.team_id, row.account_id or 0))
    if conn.dialect.name == "postgresql":
        for table in TABLES:
            op.alter_column(table, 'name_key', server_default=None)
    op.create_index('uq_accounts_team_name_key', 'accounts', ['team_id', 'name_key'],
                    unique=True)
    op.create_index('uq_contacts_team_account_name_key', 'contacts',
                    ['team_id', sa.text('coalesce(account_id, 0)'), 'name_key'], unique=True)


def _backfill(conn: sa.Connection, table_name: str, *, scope) -> None:  # noqa: ANN001
    table = sa.table(table_name, sa.column("id", sa.BigInteger),
                     sa.column("team_id", sa.String), sa.column("name", sa.String),
                     sa.column("name_key", sa.String),
                     *([sa.column("account_id", sa.BigInteger)]
                       if table_name == "contacts" else []))
    read = (sa.select(table).where(table.c.id > sa.bindparam("after"))
            .order_by(table.c.id).limit(BATCH))
    write = (sa.update(table).where(table.c.id == sa.bindparam("row_id"))
             .values(name_key=sa.bindparam("key")))
    taken: dict[object, set[str]] = {}
    after = 0
    while rows := conn.execute(read, {"after": after}).all():
        updates = []
        for row in rows:
            keys = taken.setdefault(scope(row), set())
            base = key = key_of(row.name)
            n = 1
            while key in keys:  # a later duplicate: reachable under a suffixed key
                n += 1
                key = f"{base}  #{n}"
            keys.add(key)
            updates.append({"row_id": row.id, "key": key})
        conn.execute(write, updates)
        after = rows[-1].id


def downgrade() -> None:
    op.drop_index('uq_contacts_team_account_name_key', table_name='contacts')
    op.drop_index('uq_accounts_team_name_key', table_name='accounts')
    for table in TABLES:
        if op.get_bind().dialect.name == "sqlite":
            # In place (SQLite ≥ 3.35): a batch rebuild would drop the expression indexes.
            op.execute(f"ALTER TABLE {table} DROP COLUMN name_key")
        else:
            op.drop_column(table, 'name_key')
