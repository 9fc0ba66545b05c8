"""Read-only answers about one contact or account: timeline, summary and an email draft.

Reading is open to everyone in the workspace, and nothing here writes: an unknown name
is said back as NotFound, never created. Summaries and drafts work offline from what is
logged — quoted notes and CRM facts, each cited by its timeline ref.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from bot.assistant import format as fmt
from bot.assistant.context import Ctx, executes
from bot.assistant.drafts import (
    PURPOSE_LABELS,
    DraftFacts,
    draft_email,
    missing_labels,
    pick_purpose,
    quote_note,
)
from bot.assistant.drafts import first_name as first_name_of
from bot.assistant.resolve import clean_name, find_account, find_contact
from bot.assistant.summarize import (
    NOTE_KINDS,
    DealFact,
    TaskFact,
    build_summary,
    describe_deal,
    render_summary,
    short_day,
)
from bot.assistant.types import Reply, Table
from bot.nlu.actions import DraftEmail, ShowTimeline, Summarize
from crm_store.errors import Ambiguous, BadInput, NotFound
from crm_store.models import Account, Contact, Deal, DealStatus, Task, TaskStatus
from crm_store.services.timeline import TimelineItem, timeline

TIMELINE_ROWS = 15
SCAN = 500  # timeline items read for counting and summarizing
NOTE_WIDTH = 140
WHAT_WORDS = {"voice_note": "voice note", "stage": "deal update"}
CONVERSATIONS = {"call", "meeting", "email"}  # a note is not something the customer was part of


@dataclass(frozen=True)
class Target:
    """Whom a question is about: a contact (with their account, if any) or an account."""

    contact: Contact | None
    account: Account | None

    @property
    def label(self) -> str:
        if self.contact is not None:
            where = f" ({self.account.name})" if self.account else ""
            return f"{self.contact.name}{where}"
        return self.account.name if self.account else ""

    def timeline(self, ctx: Ctx, *, limit: int, include_tasks: bool = True) -> list[TimelineItem]:
        if self.contact is not None:
            return timeline(ctx.session, team_id=ctx.team_id, contact_id=self.contact.id,
                            limit=limit, include_tasks=include_tasks)
        return timeline(ctx.session, team_id=ctx.team_id, account_id=self.account.id,
                        limit=limit, include_tasks=include_tasks)


def find_target(ctx: Ctx, contact_name: str | None, account_name: str | None, *,
                example: str) -> Target:
    """The contact or account a read names; NotFound (nothing created) when unknown."""
    if not contact_name and not account_name:
        raise BadInput(f"Who about? Name a contact or an account, e.g. '{example}'.")
    account = find_account(ctx, account_name) if account_name else None
    if account_name and account is None:
        raise NotFound(f"I don't have an account called '{clean_name(account_name)}' in the "
                       "CRM, so there is nothing to show. Check the spelling?")
    if not contact_name:
        return Target(contact=None, account=account)
    contact = find_contact(ctx, contact_name, account=account)
    if contact is not None:
        return Target(contact=contact, account=contact.account or account)
    if account is None:
        # "summarize Northwind" may reach us with the company in the contact slot.
        account = find_account(ctx, contact_name)
        if account is not None:
            return Target(contact=None, account=account)
        raise NotFound(f"I don't have a contact or an account called "
                       f"'{clean_name(contact_name)}' in the CRM, so there is nothing to show. "
                       "Check the spelling, or log a call with them first.")
    raise NotFound(f"I don't have anyone called '{clean_name(contact_name)}' at {account.name} "
                   "in the CRM, so there is nothing to show. Check the spelling?")


def open_deals(ctx: Ctx, target: Target) -> list[Deal]:
    """Open deals of the contact (or their account) or of the account, soonest close first."""
    if target.contact is not None:
        where = Deal.contact_id == target.contact.id
        if target.contact.account_id:
            where = or_(where, Deal.account_id == target.contact.account_id)
    else:
        where = Deal.account_id == target.account.id
    return list(ctx.session.scalars(
        select(Deal).where(Deal.team_id == ctx.team_id, Deal.status == DealStatus.OPEN, where)
        .order_by(Deal.close_date.is_(None), Deal.close_date, Deal.id)))


def next_task(ctx: Ctx, target: Target) -> Task | None:
    """The open task due soonest about this contact (or their account at large) or account."""
    if target.contact is not None:
        where = Task.contact_id == target.contact.id
        if target.contact.account_id:
            where = or_(where, and_(Task.contact_id.is_(None),
                                    Task.account_id == target.contact.account_id))
    else:
        account_id = target.account.id
        where = or_(Task.account_id == account_id,
                    Task.contact_id.in_(select(Contact.id).where(Contact.account_id == account_id)),
                    Task.deal_id.in_(select(Deal.id).where(Deal.account_id == account_id)))
    return ctx.session.scalar(
        select(Task).where(Task.team_id == ctx.team_id, Task.status == TaskStatus.OPEN, where)
        .order_by(Task.due_at.is_(None), Task.due_at, Task.id).limit(1))


def deal_fact(deal: Deal) -> DealFact:
    return DealFact(title=deal.title, stage=deal.stage, amount=deal.amount,
                    currency=deal.currency, close_date=deal.close_date, ref=f"deal:{deal.id}")


def task_fact(task: Task | None) -> TaskFact | None:
    if task is None:
        return None
    return TaskFact(title=task.title, due_at=task.due_at, ref=f"task:{task.id}",
                    assignee=task.assignee.name if task.assignee else None)


def header(ctx: Ctx, target: Target, deals: list[Deal]) -> list[str]:
    """Who they are, whose they are, and their open deals."""
    record = target.contact or target.account
    about = []
    if target.contact is not None and target.contact.title:
        about.append(target.contact.title)
    if target.contact is not None and target.account is not None:
        about.append(target.account.name)
    if target.contact is not None and target.contact.email:
        about.append(target.contact.email)
    if record.owner is not None:
        about.append(f"owner {record.owner.name}")
    lines = [f"*{record.name}*" + (f" — {', '.join(about)}" if about else "")]
    for deal in deals:
        lines.append(f"• Open deal: {describe_deal(deal_fact(deal), ctx.tz, now=ctx.now)}")
    if not deals:
        lines.append("No open deals.")
    return lines


def _row(ctx: Ctx, item: TimelineItem, *, of_contact: bool) -> tuple[str, str, str, str]:
    """When, What, Note, By: one timeline item as the reader sees it."""
    text, by = item.text, item.author
    if item.due_at is not None:
        text += f" (due {fmt.moment(item.due_at, ctx.tz, now=ctx.now)})"
    text = " ".join(text.split())
    if len(text) > NOTE_WIDTH:
        text = text[:NOTE_WIDTH - 1].rstrip() + "…"
    return (fmt.moment(item.at, ctx.tz, now=ctx.now), _what(item, of_contact=of_contact), text,
            by or "—")


def _what(item: TimelineItem, *, of_contact: bool) -> str:
    what = WHAT_WORDS.get(item.kind, item.kind)
    if item.kind == "stage" and item.deal:
        what += f" ({item.deal})"
    elif item.contact and not of_contact:
        what += f" with {item.contact}"
    return what


@executes("show_timeline")
def show_timeline(ctx: Ctx, action: ShowTimeline) -> Reply:
    target = find_target(ctx, action.contact, action.account, example="timeline Acme")
    items = target.timeline(ctx, limit=SCAN)
    lines = header(ctx, target, open_deals(ctx, target))
    if not items:
        return Reply("\n".join(lines) + "\nNothing logged yet: no calls, meetings, notes or "
                     "tasks.")
    of_contact = target.contact is not None
    rows = tuple(_row(ctx, item, of_contact=of_contact) for item in items[:TIMELINE_ROWS])
    total = f"{len(items)}+" if len(items) >= SCAN else str(len(items))
    return Reply("\n".join(lines), table=Table(("When", "What", "Note", "By"), rows),
                 context=[f"Showing {len(rows)} of {total}, newest first."])


@executes("summarize")
def summarize(ctx: Ctx, action: Summarize) -> Reply:
    target = find_target(ctx, action.contact, action.account, example="summarize Acme")
    items = target.timeline(ctx, limit=SCAN, include_tasks=False)
    summary = build_summary(target.label, items, deals=[deal_fact(d) for d in open_deals(
        ctx, target)], next_task=task_fact(next_task(ctx, target)), now=ctx.now,
        of_contact=target.contact is not None)
    reply = Reply(render_summary(summary, tz=ctx.tz, now=ctx.now))
    if summary.refs:
        reply.context.append("Sources: " + ", ".join(summary.refs))
    if summary.sentences:
        reply.context.append("Quoted from logged notes, nothing added; "
                             "newer notes weigh more.")
    return reply


def recipient(ctx: Ctx, account: Account, deals: list[Deal]) -> Contact | None:
    """Whom an email 'to Acme' goes to: the one contact, or the deal's point of contact."""
    people = list(ctx.session.scalars(
        select(Contact).where(Contact.team_id == ctx.team_id, Contact.account_id == account.id)
        .order_by(Contact.name)))
    by_id = {c.id: c for c in people}
    if ctx.pinned.get("contact") in by_id:
        return by_id[ctx.pinned["contact"]]
    if len(people) <= 1:
        return people[0] if people else None
    points = {d.contact_id for d in deals if d.contact_id in by_id}
    if len(points) == 1:
        return by_id[points.pop()]
    raise Ambiguous(f"Who at {account.name} should the email go to?",
                    [(c.id, c.name) for c in people[:5]], field="contact")


def _deal_for(contact: Contact | None, deals: list[Deal]) -> Deal | None:
    """The one open deal the email is about; None rather than a guess among several."""
    if len(deals) == 1:
        return deals[0]
    theirs = [d for d in deals if contact is not None and d.contact_id == contact.id]
    return theirs[0] if len(theirs) == 1 else None


def _by_day(ctx: Ctx, moment: dt.datetime) -> str:
    return f"{ctx.local(moment):%A}, {short_day(moment, ctx.tz, now=ctx.now)}"


@executes("draft_email")
def draft(ctx: Ctx, action: DraftEmail) -> Reply:
    target = find_target(ctx, action.contact, action.account, example="draft a follow-up to Jane")
    deals = open_deals(ctx, target)
    contact = target.contact or recipient(ctx, target.account, deals)
    account = target.account or (contact.account if contact else None)
    about = Target(contact=contact, account=account)
    notes = [i for i in about.timeline(ctx, limit=50, include_tasks=False)
             if i.kind in NOTE_KINDS]
    last = notes[0] if notes else None
    days = (ctx.now - last.at).days if last else None
    purpose = pick_purpose(action.purpose, days_since_touch=days)
    went_quiet = purpose != pick_purpose(action.purpose, days_since_touch=None)
    deal = _deal_for(contact, deals)
    task = next_task(ctx, about)
    facts = DraftFacts(
        name=contact.name if contact else None,
        first_name=first_name_of(contact.name) if contact else None,
        account=account.name if account else None,
        sender=ctx.user.name,
        last_date=short_day(last.at, ctx.tz, now=ctx.now) if last else None,
        last_kind=last.kind if last and last.kind in CONVERSATIONS else None,
        last_note=quote_note(last.text) if last else None,
        deal_title=deal.title if deal else None,
        deal_stage=deal.stage if deal else None,
        deal_amount=fmt.money(deal.amount, deal.currency) if deal and deal.amount else None,
        close_date=short_day(deal.close_date, ctx.tz, now=ctx.now)
        if deal and deal.close_date else None,
        next_step=task.title if task else None,
        next_step_due=_by_day(ctx, task.due_at) if task and task.due_at else None,
    )
    result = draft_email(purpose, facts)
    to = f"*{contact.name}*" + (f" ({account.name})" if account else "") if contact \
        else f"*{account.name}*"
    reply = Reply(f"Here is a draft {PURPOSE_LABELS[purpose]} email to {to}:\n"
                  f"```\n{result.text}\n```")
    if contact is not None and contact.email:
        reply.fields.append(("To", f"{contact.name} <{contact.email}>"))
    reply.context.append("Draft only: I have not sent anything. Copy it into your email and "
                         "edit as you like.")
    if contact is None:
        reply.context.append(f"No contact on file at {account.name}, so it has no name "
                             "or address.")
    elif not contact.email:
        reply.context.append(f"No email address on file for {contact.name}.")
    if went_quiet:
        reply.context.append(f"Last touch was {days} days ago, so this is a re-engagement "
                             "email.")
    if deal is None and len(deals) > 1:
        reply.context.append(f"{len(deals)} open deals, so I left deal details out.")
    left_out = [m for m in missing_labels(result) if m != "an open deal" or len(deals) < 2]
    if left_out:
        reply.context.append("Left out, not in the CRM: " + ", ".join(left_out) + ".")
    sources = [s for s in (last.ref if last else None, f"deal:{deal.id}" if deal else None,
                           f"task:{task.id}" if task else None) if s]
    if sources:
        reply.context.append("Based on: " + ", ".join(sources))
    return reply
