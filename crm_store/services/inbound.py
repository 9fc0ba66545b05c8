"""Idempotency keys of inbound events (Slack deliveries, terminal messages, presses)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from crm_store.models import ProcessedEvent, utcnow


def first_delivery(session: Session, *, team_id: str, key: str) -> bool:
    """Record `key` in the caller's transaction; False when it is already recorded.

    An INSERT that does nothing on conflict rather than one that fails: a retried
    delivery is expected, not an error, and must not abort the transaction or log as
    one. A concurrent delivery of the same key waits for the first to commit (then
    this is False) or roll back (then this one records it).
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    recorded = session.scalar(
        insert(ProcessedEvent).values(team_id=team_id, key=key[:200], created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["team_id", "key"])
        .returning(ProcessedEvent.id)
    )
    return recorded is not None
