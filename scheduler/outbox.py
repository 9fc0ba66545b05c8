"""Draining the outbox: replies Slack would not take when written go out once it is back.

Each pass claims the due messages and commits the claim, then sends them one by one
outside any transaction, then records each outcome: sent; refused for good (not
retried); or failed again, tried later with a growing pause until it is a day old,
when it is given up on and logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Protocol, runtime_checkable

from crm_store.db import Database
from crm_store.models import utcnow
from crm_store.services import outbox
from crm_store.services.outbox import Undeliverable

log = logging.getLogger(__name__)
GIVE_UP_AFTER = dt.timedelta(hours=24)
FIRST_PAUSE = dt.timedelta(seconds=30)
LONGEST_PAUSE = dt.timedelta(minutes=15)


@runtime_checkable
class OutboxSender(Protocol):
    def send_stored(self, team_id: str, channel: str, *, text: str,
                    blocks: list[Any] | None, thread_ts: str | None,
                    written_at: dt.datetime) -> None:
        """Send a kept message; Undeliverable when it can never go, anything else: later."""


def pause_after(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed try: 30 s, doubling, at most 15 min."""
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def drain_outbox(db: Database, sender: OutboxSender, *, worker: str,
                 now: dt.datetime | None = None, batch: int = 50,
                 give_up_after: dt.timedelta = GIVE_UP_AFTER) -> int:
    """Send every message due in the outbox; returns how many went out."""
    sent = 0
    while True:
        moment = now or utcnow()
        with db.session() as session:
            claimed = outbox.claim_due(session, worker=worker, now=moment, limit=batch)
        for message in claimed:
            sent += _send(db, sender, message, worker=worker, now=moment,
                          give_up_after=give_up_after)
        if len(claimed) < batch:
            return sent


def _send(db: Database, sender: OutboxSender, message: outbox.Outgoing, *, worker: str,
          now: dt.datetime, give_up_after: dt.timedelta) -> int:
    try:
        sender.send_stored(message.team_id, message.channel, text=message.text,
                           blocks=message.blocks, thread_ts=message.thread_ts,
                           written_at=message.created_at)
    except Undeliverable as refused:
        log.error("outbox message %s to %s/%s refused for good, not retried: %s",
                  message.id, message.team_id, message.channel, refused)
        with db.session() as session:
            outbox.give_up(session, message_id=message.id, worker=worker, error=str(refused))
        return 0
    except Exception as error:  # noqa: BLE001 - anything else may pass: tried again later
        reason = f"{type(error).__name__}: {error}"
        with db.session() as session:
            if now - message.created_at >= give_up_after:
                log.error("outbox message %s to %s/%s given up after %d tries since %s: %s",
                          message.id, message.team_id, message.channel, message.attempts,
                          message.created_at.isoformat(), reason)
                outbox.give_up(session, message_id=message.id, worker=worker, error=reason)
            else:
                log.warning("outbox message %s not sent (try %d), again later: %s",
                            message.id, message.attempts, reason)
                outbox.retry_later(session, message_id=message.id, worker=worker,
                                   at=now + pause_after(message.attempts), error=reason)
        return 0
    with db.session() as session:
        if not outbox.mark_sent(session, message_id=message.id, worker=worker, now=now):
            log.warning("outbox message %s was sent after its claim had expired", message.id)
    log.info("outbox message %s sent to %s/%s after %d tries", message.id, message.team_id,
             message.channel, message.attempts)
    return 1
