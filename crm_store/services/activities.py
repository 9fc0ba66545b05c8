"""Activities: calls, meetings, emails, notes and voice notes on the timeline."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Activity, ActivityKind, Contact, Deal, User, utcnow
from crm_store.scoring import note_marks
from crm_store.services import audit, touches

MAX_BODY = 20_000


def log_activity(session: Session, *, actor: User | None, team_id: str,
                 kind: ActivityKind | str, body: str, occurred_at: dt.datetime | None = None,
                 contact: Contact | None = None, account_id: int | None = None,
                 deal: Deal | None = None, source_ref: str | None = None,
                 transcript: str | None = None) -> Activity:
    """Record an activity; it lands on the contact's, account's and deal's timelines."""
    body = body.strip()
    if not body:
        raise BadInput("An activity needs a few words on what happened.")
    if len(body) > MAX_BODY:
        raise BadInput(f"That note is {len(body):,} characters; keep it under {MAX_BODY:,}.")
    try:
        kind = ActivityKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in ActivityKind)
        raise BadInput(f"'{kind}' is not a kind of activity; use {kinds}.") from None
    if account_id is None and contact is not None:
        account_id = contact.account_id
    if account_id is None and deal is not None:
        account_id = deal.account_id
    activity = Activity(
        team_id=team_id, kind=kind, body=body, occurred_at=occurred_at or utcnow(),
        author_id=getattr(actor, "id", None), contact_id=contact.id if contact else None,
        account_id=account_id, deal_id=deal.id if deal else None, source_ref=source_ref,
        transcript=transcript, signal_marks=note_marks(body),  # matched once, here
    )
    audit.created(session, activity, actor=actor)
    touches.touched(session, at=activity.occurred_at, account_id=account_id,
                    deal_id=activity.deal_id)
    return activity
