"""Read-only answers about one contact or account: timeline, summary and an email draft.

Reading is open to everyone in the workspace, and nothing here writes: an unknown name
is said back as NotFound, never created. Summaries and drafts work offline from what is
logged — quoted notes and CRM facts, each cited by its timeline ref.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from sqlalchemy import or_, select

from bot.assistant import brief_load as load
from bot.assistant import format as fmt
from bot.assistant.brief_facts import FactSheet, NoteRec, build_fact_sheet
from bot.assistant.brief_render import render_brief
from bot.assistant.brief_render import sources as brief_sources
from bot.assistant.context import Ctx, executes, on_press
from bot.assistant.draft_facts import DraftSheet, build_draft_sheet
from bot.assistant.draft_reply import (
    DraftState,
    draft_buttons,
    draft_reply,
    parse_state,
    with_written_body,
    written_body,
)
from bot.assistant.drafts import Draft, Options, mailto, pick_purpose
from bot.assistant.drafts import render as render_draft
from bot.assistant.resolve import clean_name, find_account, find_contact
from bot.assistant.summarize import (
    DealFact,
    describe_deal,
)
from bot.assistant.types import Button, Compose, Reply, Table
from bot.nlu.actions import DraftEmail, ShowTimeline, Summarize
from crm_store.errors import Ambiguous, BadInput, NotFound
from crm_store.models import Account, Contact, Deal, DealStatus
from crm_store.services import activities
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


def deal_fact(deal: Deal) -> DealFact:
    return DealFact(title=deal.title, stage=deal.stage, amount=deal.amount,
                    currency=deal.currency, close_date=deal.close_date, ref=f"deal:{deal.id}")


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
    sheet = brief_sheet(ctx, target)
    reply = Reply(render_brief(sheet, tz=ctx.tz))
    if not sheet.empty:
        reply.context.append("Sources: " + ", ".join(brief_sources(sheet)))
        reply.context.append(QUOTES_LINE)
        if ctx.settings.llm_configured:
            reply.compose = Compose("brief", {
                **sheet.as_data(), "tz": ctx.tz.key, "offline": reply.text,
                "offline_only": [QUOTES_LINE]}, team_id=ctx.team_id, user_id=ctx.user.id)
    return reply


QUOTES_LINE = ("Quotes are the notes' own words; the newest note on a topic replaces older "
               "ones (A = activity, T = task, D = deal, C = contact).")


def brief_sheet(ctx: Ctx, target: Target) -> FactSheet:
    """Read what the brief needs (reads only), then build its fact sheet (pure)."""
    contact = target.contact
    account_id = target.account.id if target.account else None
    team = ctx.team_id
    notes = load.notes_of(ctx.session, team_id=team, contact_id=contact.id if contact else None,
                          account_id=account_id)
    tasks = load.open_tasks_of(ctx.session, team_id=team,
                               contact_id=contact.id if contact else None, account_id=account_id)
    deals = load.deal_records(ctx.session, open_deals(ctx, target))
    people = load.people_of(ctx.session, team_id=team, account_id=account_id, contact=contact)
    return build_fact_sheet(target.label, notes=notes, tasks=tasks, deals=deals, people=people,
                            now=ctx.now, of_contact=contact is not None)


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


@executes("draft_email")
def draft(ctx: Ctx, action: DraftEmail) -> Reply:
    target = find_target(ctx, action.contact, action.account, example="draft a follow-up to Jane")
    deals = open_deals(ctx, target)
    contact = target.contact or recipient(ctx, target.account, deals)
    account = target.account or (contact.account if contact else None)
    notes = _draft_notes(ctx, contact, account)
    talks = [n for n in notes if n.kind in CONVERSATIONS]
    days = (ctx.now - talks[0].at).days if talks else None
    purpose = pick_purpose(action.purpose, days_since_touch=days)
    state = DraftState(contact=contact.id if contact else None,
                       account=account.id if account else None,
                       options=Options(purpose=purpose), at=math.ceil(ctx.now.timestamp()))
    said = []
    if purpose != pick_purpose(action.purpose, days_since_touch=None):
        said.append(f"Last conversation was {days} days ago, so this is a re-engagement email.")
    return _draft_reply(ctx, state, contact, account, deals, notes, now=ctx.now, said=said)


def _draft_notes(ctx: Ctx, contact: Contact | None, account: Account | None) -> list[NoteRec]:
    if contact is not None:
        return load.notes_of(ctx.session, team_id=ctx.team_id, contact_id=contact.id, limit=50)
    return load.notes_of(ctx.session, team_id=ctx.team_id, account_id=account.id, limit=50)


def _draft_reply(ctx: Ctx, state: DraftState, contact: Contact | None, account: Account | None,
                 deals: list[Deal], notes: list[NoteRec], *, now: dt.datetime,
                 said: list[str]) -> Reply:
    """Read what the draft needs, then write it (pure) and wrap it with its buttons."""
    sheet, draft_, deal = _write_draft(ctx, state, contact, account, deals, notes, now=now)
    notes_said = list(said)
    if contact is None:
        notes_said.append(f"No contact on file at {account.name}, so it has no name or address.")
    elif not contact.email:
        notes_said.append(f"No email address on file for {contact.name}.")
    if deal is None and len(deals) > 1:
        notes_said.append(f"{len(deals)} open deals, so I left deal details out.")
    reply = draft_reply(draft_, sheet, state, email=contact.email if contact else None,
                        notes=notes_said)
    if ctx.settings.llm_configured:
        reply.compose = draft_compose(ctx, sheet, draft_, reply.text, state.options,
                                      email=contact.email if contact else None)
    return reply


DRAFT_FACTS = ("first_name", "name", "account", "sender", "anchor", "when", "topics",
               "deliverables", "deliver_by", "day1", "day2", "product", "amount")


def draft_compose(ctx: Ctx, sheet: DraftSheet, shown: Draft, text: str,
                  options: Options, *, email: str | None) -> Compose:
    """What a model may write the draft from: the sheet's customer-safe values, each a
    fact it cites by name, and what it must never say."""
    values = sheet.values()
    facts = [{"id": key, "kind": "draft", "text": values[key]} for key in DRAFT_FACTS
             if key in values]
    if sheet.days_quiet is not None:
        facts.append({"id": "days_quiet", "kind": "draft",
                      "text": f"{sheet.days_quiet} days since the last touch"})
    intro = text.split("\n```", 1)[0]
    return Compose("draft", {
        "subject": sheet.name or sheet.account or "", "now": ctx.now.isoformat(),
        "tz": ctx.tz.key, "purpose": shown.purpose, "tone": options.tone,
        "short": options.short, "example": shown.body, "facts": facts,
        "offline": text, "forbidden": list(sheet.forbidden),
        "frame": {"intro": intro, "subject": shown.subject, "email": email or "",
                  "always": " ".join(x for x in (sheet.sender, sheet.first_name) if x)}},
        team_id=ctx.team_id, user_id=ctx.user.id)


def _write_draft(ctx: Ctx, state: DraftState, contact: Contact | None, account: Account | None,
                 deals: list[Deal], notes: list[NoteRec], *, now: dt.datetime):
    deal = _deal_for(contact, deals)
    about = Target(contact=contact, account=account)
    tasks = load.open_tasks_of(ctx.session, team_id=ctx.team_id,
                               contact_id=contact.id if contact else None,
                               account_id=account.id if account else None) if about.label else []
    people = [c.name for c in ctx.session.scalars(select(Contact).where(
        Contact.team_id == ctx.team_id, Contact.account_id == account.id))] if account else []
    sheet = build_draft_sheet(
        name=contact.name if contact else None, account=account.name if account else None,
        sender=ctx.user.name, notes=[n for n in notes if n.at <= state.drafted_at],
        tasks=tasks, deal_title=deal.title if deal else None,
        deal_amount=deal.amount if deal else None, currency=deal.currency if deal else "USD",
        now=now, tz=ctx.tz, known_names=people)
    return sheet, render_draft(sheet, state.options, now=now), deal


def _draft_target(ctx: Ctx, state: DraftState) -> tuple[Contact | None, Account | None]:
    contact = ctx.session.get(Contact, state.contact) if state.contact else None
    account = ctx.session.get(Account, state.account) if state.account else None
    if (contact is not None and contact.team_id != ctx.team_id) or \
            (account is not None and account.team_id != ctx.team_id) or \
            (contact is None and account is None):
        raise NotFound("That contact is no longer in the CRM.")
    return contact, account or (contact.account if contact else None)


def _redraft(ctx: Ctx, state: DraftState) -> Reply:
    contact, account = _draft_target(ctx, state)
    target = Target(contact=contact, account=account)
    deals = open_deals(ctx, target)
    return _draft_reply(ctx, state, contact, account, deals,
                        _draft_notes(ctx, contact, account), now=ctx.now, said=[])


@on_press("draft_again")
def press_draft_again(ctx: Ctx, value: str) -> Reply:
    """Another version: the next alternatives of the same draft."""
    return _redraft(ctx, parse_state(value))


@on_press("draft_shorter", "draft_formal", "draft_casual")
def press_draft_style(ctx: Ctx, value: str) -> Reply:
    """Shorter, More formal, More casual: the options ride in the value already."""
    return _redraft(ctx, parse_state(value))


def _draft_as_shown(ctx: Ctx, state: DraftState,
                    ) -> tuple[Contact | None, Account | None, Draft, Deal | None]:
    """The draft a button was pressed on, written again from its state as it was shown:
    (contact, account, the draft, its deal)."""
    contact, account = _draft_target(ctx, state)
    deals = open_deals(ctx, Target(contact=contact, account=account))
    _, shown, deal = _write_draft(ctx, state, contact, account, deals,
                                  _draft_notes(ctx, contact, account), now=state.drafted_at)
    return contact, account, shown, deal


def _as_written(shown: Draft, value: str) -> Draft:
    """The draft as the rep saw it: with the body a model wrote, when the button has it."""
    body = written_body(value)
    return replace(shown, body=body) if body else shown


@on_press("draft_log")
def press_draft_log(ctx: Ctx, value: str) -> Reply:
    """Log as sent: the draft as shown becomes an email activity, with Undo."""
    contact, account, shown, deal = _draft_as_shown(ctx, parse_state(value))
    shown = _as_written(shown, value)
    activities.log_activity(ctx.session, actor=ctx.user, team_id=ctx.team_id, kind="email",
                            body=f"Sent: {shown.subject}\n\n{shown.body}", occurred_at=ctx.now,
                            contact=contact, account_id=account.id if account else None,
                            deal=deal, source_ref=ctx.permalink)
    whom = contact.name if contact else account.name
    reply = Reply(f"Logged the email to *{whom}* as sent.", wrote=True)
    batch = ctx.session.info.get("audit_batch")
    if batch:
        reply.buttons.append(Button("Undo", "undo", batch))
    return reply


@on_press("draft_mail")
def press_draft_mail(ctx: Ctx, value: str) -> Reply:
    """Open in mail: Slack opens the link itself; the terminal shows it. Buttons stay."""
    state = parse_state(value)
    contact, _, shown, _ = _draft_as_shown(ctx, state)
    shown = _as_written(shown, value)
    url = mailto(contact.email if contact else None, shown)
    # Slack has opened the link already; the terminal has no link buttons, so it is
    # said once here, and the draft keeps its buttons either way.
    email = contact.email if contact else None
    buttons = draft_buttons(state, shown, email=email)
    if written_body(value):  # the model's words stay on the buttons
        buttons = with_written_body(buttons, shown, email=email) or buttons
    return Reply("Opened the draft in your mail app.",
                 context=[f"If nothing opened, copy this link: {url}"], buttons=buttons)
