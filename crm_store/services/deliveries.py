"""Exactly-once outgoing messages: a worker claims an occurrence by its key, then sends.

The claim is an INSERT that only one process can win (the key is unique); a claim
whose lease expired — the worker died before sending — can be taken over, so nothing
is lost and, short of a crash between send and finish, nothing goes out twice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from crm_store.models import Delivery, OutboundDelivery, utcnow

LEASE = dt.timedelta(minutes=5)


def claim(session: Session, *, team_id: str, key: str, kind: str, worker: str,
          now: dt.datetime | None = None, lease: dt.timedelta = LEASE) -> bool:
    """True when this worker now owns the occurrence `key` and must send it."""
    now = now or utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = session.scalar(
        insert(OutboundDelivery)
        .values(team_id=team_id, key=key, kind=kind, state=Delivery.CLAIMED, claimed_by=worker,
                lease_expires_at=now + lease, attempts=1, created_at=now)
        .on_conflict_do_nothing(index_elements=["team_id", "key"])
        .returning(OutboundDelivery.id)
    )
    if inserted is not None:
        return True
    taken_over = session.execute(
        update(OutboundDelivery)
        .where(and_(OutboundDelivery.team_id == team_id, OutboundDelivery.key == key,
                    OutboundDelivery.state == Delivery.CLAIMED,
                    OutboundDelivery.lease_expires_at < now))
        .values(claimed_by=worker, lease_expires_at=now + lease,
                attempts=OutboundDelivery.attempts + 1)
    )
    return taken_over.rowcount == 1


def finish(session: Session, *, team_id: str, key: str, worker: str, sent: bool,
           detail: str | None = None, now: dt.datetime | None = None) -> bool:
    """Record the outcome; False when the claim had been taken over meanwhile."""
    result = session.execute(
        update(OutboundDelivery)
        .where(OutboundDelivery.team_id == team_id, OutboundDelivery.key == key,
               OutboundDelivery.claimed_by == worker,
               OutboundDelivery.state == Delivery.CLAIMED)
        .values(state=Delivery.SENT if sent else Delivery.SKIPPED, sent_at=now or utcnow(),
                lease_expires_at=None, detail=detail)
    )
    return result.rowcount == 1
