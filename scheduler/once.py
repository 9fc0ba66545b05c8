"""One direct message, sent once across every process, with no transaction open while
Slack is called: claim and commit, send, then record it as sent."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from bot.assistant.types import Reply
from crm_store.db import Database
from crm_store.services import deliveries
from scheduler.notify import Notifier

log = logging.getLogger(__name__)

Compose = Callable[[Session], "tuple[Any, Reply] | None"]  # (recipient, reply), or nothing


def dm_once(db: Database, notifier: Notifier, *, team_id: str, key: str, kind: str,
            worker: str, now: dt.datetime, compose: Compose) -> bool:
    """Claim `key`, compose the DM from the store in that same short transaction, send
    it once the claim is committed, then finish; True when a message went out.

    `compose` returns (recipient, reply) — a recipient safe to use after the session
    closed, such as a Snapshot — or None when there is nothing to say (recorded as
    skipped). A send that fails is not finished: the claim's lease runs out and a
    later pass tries again.
    """
    with db.session() as session:
        if not deliveries.claim(session, team_id=team_id, key=key, kind=kind, worker=worker,
                                now=now):
            return False
        message = compose(session)
    if message is not None:
        recipient, reply = message
        try:
            notifier.dm(recipient, reply)
        except Exception:  # noqa: BLE001 - Slack down: the lease brings it back
            log.exception("%s not sent; a later pass tries again", key)
            return False
    with db.session() as session:
        deliveries.finish(session, team_id=team_id, key=key, worker=worker,
                          sent=message is not None, now=now)
    return message is not None
