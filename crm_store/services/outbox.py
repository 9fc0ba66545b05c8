"""The outbox: replies that could not be delivered when written, sent later exactly once.

A drain claims due rows (FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE
that re-checks the state on SQLite, which serializes writers) and commits the claim
before sending, so no transaction stays open while Slack is called and two processes
never take the same row. A claim whose lease expired — the sender died — is taken
again, so nothing is lost; short of a crash between send and finish, nothing is doubled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from crm_store.models import OutboxMessage, OutboxState, utcnow

LEASE = dt.timedelta(minutes=5)


class Undeliverable(Exception):
    """The chat service refused the message for good (channel gone, app removed).

    Here, below both the Slack notifier that raises it and the scheduler's drain that
    stops retrying on it, so neither has to import the other."""


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, detached from the session that claimed it."""

    id: int
    team_id: str
    channel: str
    thread_ts: str | None
    text: str
    blocks: list[Any] | None
    source_id: str | None
    attempts: int  # including the claim that returned it
    created_at: dt.datetime


def enqueue(session: Session, *, team_id: str, channel: str, text: str,
            blocks: list[Any] | None = None, thread_ts: str | None = None,
            source_id: str | None = None, error: str | None = None,
            now: dt.datetime | None = None, delay: dt.timedelta = dt.timedelta(0)) -> int:
    """Keep a rendered message to send later (first try after `delay`); returns its id."""
    now = now or utcnow()
    message = OutboxMessage(team_id=team_id, channel=channel, thread_ts=thread_ts, text=text,
                            blocks=blocks, source_id=source_id, state=OutboxState.PENDING,
                            attempts=0, next_attempt_at=now + delay, last_error=error,
                            created_at=now)
    session.add(message)
    session.flush()
    return message.id


def _claimable(now: dt.datetime):
    return or_(and_(OutboxMessage.state == OutboxState.PENDING,
                    OutboxMessage.next_attempt_at <= now),
               and_(OutboxMessage.state == OutboxState.CLAIMED,
                    OutboxMessage.lease_expires_at < now))


def claim_due(session: Session, *, worker: str, now: dt.datetime | None = None,
              limit: int = 50, lease: dt.timedelta = LEASE) -> list[Outgoing]:
    """Claim up to `limit` messages due now for `worker`, oldest first."""
    now = now or utcnow()
    candidates = (select(OutboxMessage.id).where(_claimable(now))
                  .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), _claimable(now))
        .values(state=OutboxState.CLAIMED, claimed_by=worker, lease_expires_at=now + lease,
                attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id, OutboxMessage.team_id, OutboxMessage.channel,
                   OutboxMessage.thread_ts, OutboxMessage.text, OutboxMessage.blocks,
                   OutboxMessage.source_id, OutboxMessage.attempts, OutboxMessage.created_at)
    )
    rows = [Outgoing(*row) for row in claimed]
    return sorted(rows, key=lambda m: m.id)


def _finish(session: Session, message_id: int, worker: str, **values: Any) -> bool:
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker,
               OutboxMessage.state == OutboxState.CLAIMED)
        .values(lease_expires_at=None, **values)
    )
    return result.rowcount == 1


def mark_sent(session: Session, *, message_id: int, worker: str,
              now: dt.datetime | None = None) -> bool:
    """Record that it went out; False when the claim had been taken over meanwhile."""
    return _finish(session, message_id, worker, state=OutboxState.SENT, sent_at=now or utcnow())


def retry_later(session: Session, *, message_id: int, worker: str, at: dt.datetime,
                error: str) -> bool:
    """Put it back to be tried again at `at`."""
    return _finish(session, message_id, worker, state=OutboxState.PENDING, next_attempt_at=at,
                   last_error=error[:2000])


def give_up(session: Session, *, message_id: int, worker: str, error: str) -> bool:
    """Stop trying: Slack refused it for good, or it has waited too long."""
    return _finish(session, message_id, worker, state=OutboxState.FAILED,
                   last_error=error[:2000])


def waiting(session: Session, *, team_id: str | None = None) -> list[OutboxMessage]:
    """Messages not yet sent nor given up on, oldest first."""
    query = select(OutboxMessage).where(
        OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.CLAIMED)))
    if team_id is not None:
        query = query.where(OutboxMessage.team_id == team_id)
    return list(session.scalars(query.order_by(OutboxMessage.id)))
