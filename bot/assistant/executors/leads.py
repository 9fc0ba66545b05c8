"""Hot leads: the top N scores with their reasons and a Draft button."""

from __future__ import annotations

from bot.assistant import format as fmt
from bot.assistant.context import EXECUTORS, Ctx, executes, on_press
from bot.assistant.types import Button, Reply, Table
from bot.nlu.actions import DraftEmail, HotLeads
from crm_store.errors import BadInput, NotFound
from crm_store.models import Contact
from crm_store.services import leads

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
REASONS_SHOWN = 3


def reasons_text(reasons: list[tuple[str, int]], n: int = REASONS_SHOWN) -> str:
    """'Budget approved (2 days ago) +12 · Last touch today (call) +20'."""
    top = sorted(reasons, key=lambda r: -abs(r[1]))[:n]
    return " · ".join(f"{text} {points:+d}" for text, points in top) or "—"


def build_hot_leads_reply(found: list[leads.HotLead], *, asked: int) -> Reply:
    """The ranked table and one Draft email button per lead (pure)."""
    if not found:
        return Reply("No hot leads yet: nobody has recent activity or buying signals. "
                     "Log your calls and meetings and I'll rank who to call next.")
    rows = tuple(
        (str(i), lead.contact.name + (f" ({lead.contact.account.name})"
                                      if lead.contact.account else ""),
         str(lead.score), lead.owner.name if lead.owner else "—", reasons_text(lead.reasons))
        for i, lead in enumerate(found, 1))
    best = found[0]
    count = fmt.plural(len(found), "hot lead")
    text = f"Top {count} right now" if len(found) >= asked else f"{count} right now (all I have)"
    reply = Reply(f"{text} — top: *{best.contact.name}* at {best.score}/100.",
                  table=Table(("#", "Lead", "Score", "Owner", "Why"), rows))
    reply.buttons = [Button(f"Draft email: {lead.contact.name}"[:75],
                            f"draft_email:{lead.contact.id}", str(lead.contact.id))
                     for lead in found]
    reply.context.append("Score 0–100 from recency, activity, buying signals, stage, deal size "
                         "and replies; older signals count for less.")
    return reply


@executes("hot_leads")
def hot_leads(ctx: Ctx, action: HotLeads) -> Reply:
    limit = min(action.limit or DEFAULT_LIMIT, MAX_LIMIT)
    leads.ensure_fresh(ctx.session, team_id=ctx.team_id, now=ctx.now)
    found = leads.top_leads(ctx.session, team_id=ctx.team_id, limit=limit)
    reply = build_hot_leads_reply(found, asked=limit)
    if action.limit and action.limit > MAX_LIMIT:
        reply.context.append(f"I show at most {MAX_LIMIT}.")
    return reply


@on_press("draft_email")
def press_draft_email(ctx: Ctx, value: str) -> Reply:
    """The Draft email button on a hot lead: hand over to the draft_email executor."""
    try:
        contact_id = int(value)
    except ValueError:
        raise BadInput("That button is broken; say 'draft an email to NAME'.") from None
    contact = ctx.session.get(Contact, contact_id)
    if contact is None or contact.team_id != ctx.team_id:
        raise NotFound("That contact no longer exists.")
    draft = EXECUTORS.get("draft_email")  # built elsewhere; looked up when pressed
    if draft is None:
        return Reply(f"I can't draft emails yet — for now, write to *{contact.name}* yourself"
                     + (f" at {contact.email}." if contact.email else "."), ok=False)
    ctx.pinned["contact"] = contact.id  # the button names one person: no fuzzy match
    if contact.account_id:
        ctx.pinned["account"] = contact.account_id
    return draft(ctx, DraftEmail(contact=contact.name,
                                 account=contact.account.name if contact.account else None,
                                 purpose="follow up"))
