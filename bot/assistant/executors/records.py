"""Log activities; create and update contacts and deals."""

from __future__ import annotations

import datetime as dt

from bot.assistant import format as fmt
from bot.assistant.context import Ctx, executes
from bot.assistant.permissions import check_can_change
from bot.assistant.resolve import (
    clean_name,
    find_contact,
    resolve_account,
    resolve_contact,
    resolve_deal,
)
from bot.assistant.types import Reply
from bot.nlu.actions import CreateContact, CreateDeal, LogActivity, UpdateDeal
from crm_store.errors import BadInput
from crm_store.models import Account, Contact, Deal, DealStatus
from crm_store.services import activities, contacts, deals, leads

KIND_WORDS = {"call": "a call", "meeting": "a meeting", "email": "an email", "note": "a note",
              "voice_note": "a voice note"}


def check_date(ctx: Ctx, action) -> None:
    """Dates the engine could not read are said back, never guessed."""
    unparsed = getattr(action, "unparsed_date", None)
    if unparsed:
        raise BadInput(f"I couldn't tell when '{unparsed}' is. Try a day like 'Friday', "
                       "'next Tuesday', 'Dec 3' or 'in 2 weeks'.")


def people(ctx: Ctx, contact_name: str | None, account_name: str | None,
           ) -> tuple[Contact | None, Account | None]:
    """The contact and account a message names, found or created."""
    account = resolve_account(ctx, account_name) if account_name else None
    contact = resolve_contact(ctx, contact_name, account=account) if contact_name else None
    if contact is not None:
        if account is None and contact.account_id:
            account = contact.account
        elif account is not None and contact.account_id is None:
            # Putting them at the account changes the contact: the owner's call.
            check_can_change(ctx.session, ctx.user, owner=contact.owner,
                             what=f"{contact.name} (no account yet)",
                             hint=f"To log it without putting them at {account.name}, "
                                  f"leave out the account.")
            contacts.update_contact(ctx.session, actor=ctx.user, contact=contact,
                                    account_id=account.id)
    return contact, account


def _only_open_deal(ctx: Ctx, account: Account | None) -> Deal | None:
    if account is None:
        return None
    found = deals.find_deals(ctx.session, team_id=ctx.team_id, account_id=account.id,
                             status=DealStatus.OPEN)
    return found[0] if len(found) == 1 else None


def _who(contact: Contact | None, account: Account | None) -> str:
    if contact and account:
        return f"*{contact.name}* ({account.name})"
    return f"*{(contact or account).name}*"


@executes("log_activity")
def log_activity(ctx: Ctx, action: LogActivity) -> Reply:
    check_date(ctx, action)
    if not action.contact and not action.account:
        raise BadInput("Who was it with? For example: 'called Jane at Acme, she wants pricing'.")
    contact, account = people(ctx, action.contact, action.account)
    today = ctx.local_now.date()
    day = action.occurred_on or today
    if day > today:
        raise BadInput(f"{fmt.day(day, today=today)} hasn't happened yet; to plan it, say "
                       f"'remind me to … {fmt.day(day, today=today)}'.")
    occurred_at = ctx.now if day == today else ctx.to_utc(
        dt.datetime.combine(day, dt.time(12, 0)))
    transcript = ctx.transcript
    # Spoken and not said to be a call, meeting or email: a voice note.
    kind = "voice_note" if transcript and action.kind == "note" else action.kind
    summary = action.summary or f"{kind.replace('_', ' ').capitalize()} logged"
    activity = activities.log_activity(
        ctx.session, actor=ctx.user, team_id=ctx.team_id, kind=kind, body=summary,
        occurred_at=occurred_at, contact=contact, account_id=account.id if account else None,
        deal=_only_open_deal(ctx, account), source_ref=ctx.permalink, transcript=transcript,
    )
    if contact is not None:  # the scheduler rescores it within seconds, then alerts
        leads.request_rescore(ctx.session, team_id=ctx.team_id, contact_id=contact.id)
    when = fmt.day(day, today=today)
    text = f"Logged {KIND_WORDS[kind]} with {_who(contact, account)} {when}"
    if action.summary:
        text += f": “{action.summary}”"
    reply = Reply(text + ".", wrote=True)
    if activity.deal is not None:
        reply.context.append(f"On the deal {activity.deal.title} ({activity.deal.stage}).")
    return reply


@executes("create_contact")
def create_contact(ctx: Ctx, action: CreateContact) -> Reply:
    account = resolve_account(ctx, action.account) if action.account else None
    existing = find_contact(ctx, action.name, account=account)
    if existing is not None and existing.name.lower() == clean_name(action.name).lower():
        return Reply(f"I already have *{existing.name}*"
                     f"{' at ' + existing.account.name if existing.account else ''}.", ok=False)
    contact, created = contacts.get_or_create_contact(
        ctx.session, actor=ctx.user, team_id=ctx.team_id, name=clean_name(action.name),
        account_id=account.id if account else None, title=action.title, email=action.email,
        phone=action.phone,
    )
    if not created:  # added by another message a moment ago
        return Reply(f"I already have *{contact.name}*"
                     f"{' at ' + account.name if account else ''}.", ok=False)
    details = [d for d in (action.title, action.email, action.phone) if d]
    text = f"Added *{contact.name}*" + (f" at {account.name}" if account else "")
    return Reply(text + (f" — {', '.join(details)}" if details else "") + ".", wrote=True)


@executes("create_deal")
def create_deal(ctx: Ctx, action: CreateDeal) -> Reply:
    check_date(ctx, action)
    if not action.account and not action.title:
        raise BadInput("Which account is the deal with? e.g. 'new deal Acme 50k, demo stage'.")
    account = resolve_account(ctx, action.account) if action.account else None
    title = action.title or f"{account.name} deal"
    deal = deals.create_deal(
        ctx.session, actor=ctx.user, team_id=ctx.team_id, title=title,
        account_id=account.id if account else None, amount=action.amount,
        stage=action.stage or "lead", close_date=action.close_date, owner_id=ctx.user.id,
        now=ctx.now,
    )
    today = ctx.local_now.date()
    parts = [deal.stage, fmt.money(deal.amount, deal.currency)]
    if deal.close_date:
        parts.append(f"closing {fmt.day(deal.close_date, today=today)}")
    return Reply(f"New deal *{deal.title}*: {', '.join(parts)}.", wrote=True)


@executes("update_deal")
def update_deal(ctx: Ctx, action: UpdateDeal) -> Reply:
    check_date(ctx, action)
    deal = resolve_deal(ctx, action.account)
    check_can_change(ctx.session, ctx.user, owner=deal.owner, what=f"The deal {deal.title}")
    before = (deal.stage, deal.amount, deal.close_date, deal.status)
    changed = deals.update_deal(
        ctx.session, actor=ctx.user, deal=deal, stage=action.stage, amount=action.amount,
        close_date=action.close_date, status=action.status, reason=action.reason, now=ctx.now,
    )
    if not changed:
        return Reply(f"*{deal.title}* is already like that — nothing to change.", ok=True)
    if deal.contact_id is not None:  # its stage and size count in the contact's score
        leads.request_rescore(ctx.session, team_id=ctx.team_id, contact_id=deal.contact_id)
    return Reply(_describe_update(deal, before, ctx.local_now.date()), wrote=True)


def _describe_update(deal: Deal, before, today: dt.date) -> str:
    stage, amount, close_date, status = before
    changes = []
    if deal.status != status and deal.status == DealStatus.WON:
        changes.append(f"marked *won* 🎉 ({fmt.money(deal.amount, deal.currency)})")
    elif deal.status != status and deal.status == DealStatus.LOST:
        reason = f" — {deal.lost_reason}" if deal.lost_reason else ""
        changes.append(f"marked *lost*{reason}")
    elif deal.status != status:
        changes.append(f"reopened at {deal.stage}")
    elif deal.stage != stage:
        changes.append(f"moved {stage} → *{deal.stage}* ({deal.probability}%)")
    if deal.amount != amount:
        changes.append(f"amount {fmt.money(amount, deal.currency)} → "
                       f"*{fmt.money(deal.amount, deal.currency)}*")
    if deal.close_date != close_date and deal.status == DealStatus.OPEN:
        changes.append(f"close date → *{fmt.day(deal.close_date, today=today)}*")
    return f"*{deal.title}*: " + "; ".join(changes) + "."
