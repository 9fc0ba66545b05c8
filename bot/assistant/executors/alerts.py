"""The Claim and Snooze buttons of a hot-lead alert (Draft email lives with the leads)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.assistant import format as fmt
from bot.assistant.context import Ctx, on_press
from bot.assistant.permissions import check_can_change
from bot.assistant.types import Button, Reply
from bot.render.buttons import lead_buttons  # noqa: F401 - re-exported for old importers
from crm_store.errors import BadInput, NotFound
from crm_store.models import Contact, Deal, DealStatus, LeadScore
from crm_store.services import contacts, deals

SNOOZE = dt.timedelta(days=7)


def _lead(ctx: Ctx, value: str) -> Contact | Deal:
    """The contact ('12') or deal ('deal:12') a button names, locked for this unit of work."""
    model, _, raw = value.rpartition(":")
    try:
        record_id = int(raw)
    except ValueError:
        raise BadInput("That button is broken; say 'hot leads' to see the list.") from None
    cls = Deal if model == "deal" else Contact
    # Locked, so two people pressing Claim at once are served one after the other.
    record = ctx.session.get(cls, record_id, with_for_update=True)
    if record is None or record.team_id != ctx.team_id:
        raise NotFound("That lead no longer exists.")
    return record


def _name(record: Contact | Deal) -> str:
    return record.name if isinstance(record, Contact) else f"the deal {record.title}"


@on_press("lead_claim")
def press_claim(ctx: Ctx, value: str) -> Reply:
    """Make the presser the owner of the lead (audited, undoable)."""
    record = _lead(ctx, value)
    name = _name(record)
    if record.owner_id == ctx.user.id:
        return Reply(f"You already own {name}.")
    check_can_change(ctx.session, ctx.user, owner=record.owner, what=name[0].upper() + name[1:])
    if isinstance(record, Contact):
        contacts.update_contact(ctx.session, actor=ctx.user, contact=record, owner_id=ctx.user.id)
    else:
        if record.status != DealStatus.OPEN:
            return Reply(f"{name[0].upper() + name[1:]} is already {record.status.value}.",
                         ok=False)
        deals.update_deal(ctx.session, actor=ctx.user, deal=record, owner_id=ctx.user.id,
                          now=ctx.now)
    reply = Reply(f"You own {name} now. Alerts about them come to you from here on.", wrote=True)
    batch = ctx.session.info.get("audit_batch")
    if batch:
        reply.buttons.append(Button("Undo", "undo", batch))
    return reply


@on_press("lead_snooze")
def press_snooze(ctx: Ctx, value: str) -> Reply:
    """No hot-lead alerts about this lead for a week."""
    record = _lead(ctx, value)
    name = _name(record)
    check_can_change(ctx.session, ctx.user, owner=record.owner, what=name[0].upper() + name[1:])
    entity_type = "contact" if isinstance(record, Contact) else "deal"
    row = ctx.session.scalar(select(LeadScore).where(
        LeadScore.team_id == ctx.team_id, LeadScore.entity_type == entity_type,
        LeadScore.entity_id == record.id))
    if row is None:  # never scored yet: remember the snooze for when it is
        row = LeadScore(team_id=ctx.team_id, entity_type=entity_type, entity_id=record.id,
                        score=0, reasons={}, computed_at=ctx.now)
        ctx.session.add(row)
    until = ctx.now + SNOOZE
    row.snoozed_until = until
    return Reply(f"Snoozed: no hot-lead alerts about {name} until "
                 f"{fmt.moment(until, ctx.tz, now=ctx.now)}.", wrote=True)
