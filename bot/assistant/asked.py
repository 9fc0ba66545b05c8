"""What a pipeline question was read as: whose deals, which ones, when — said back first.

`Whose` is decided here too, because the words and the permission are one decision:
a rep sees their own numbers (company-wide totals aside), a manager their team's, an
admin everyone's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.assistant import format as fmt
from bot.assistant.context import Ctx
from bot.assistant.permissions import report_owner_ids, team_ids
from bot.assistant.resolve import resolve_user
from bot.nlu.actions import Period, PipelineQuery
from crm_store.errors import Forbidden
from crm_store.models import Role, User
from crm_store.services.users import team_of

KIND_WORDS = {"call": "calls", "meeting": "meetings", "email": "emails", "note": "notes",
              "voice_note": "voice notes"}
CHANGE_WORDS = {"new": "new deals", "forward": "stage moves forward",
                "back": "stage moves back", "won": "deals won", "lost": "deals lost",
                "amount": "amount changes", "slipped": "close dates pushed out"}
RISK_WORDS = {"overdue": "close date passed", "quiet": "no recent activity",
              "stuck": "longer in a stage than usual", "single_contact": "a single contact",
              "early_close": "closing soon at an early stage"}


@dataclass(frozen=True)
class Whose:
    """The owners a question covers (None: everyone) and how to say it."""

    owner_ids: tuple[int, ...] | None
    people: str  # "everyone", "you", "Diego Ruiz", "your team (4 people)"
    asked: User | None = None  # one named person, when one was named
    many: bool = False

    @property
    def words(self) -> str:
        """The reading's last part: 'all owners', 'owner: you', 'owners: your team (4)'."""
        if self.owner_ids is None:
            return "all owners"
        return f"owner{'s' if self.many else ''}: {self.people}"


def whose(ctx: Ctx, action: PipelineQuery, *, personal: bool = False) -> Whose:
    """Whose numbers: the named rep(s) or team, else the asker's default scope.

    `personal`: per-rep figures (activity, changes, risks, scorecards), which a rep sees
    for themself only; company-wide totals stay open to everyone.
    """
    user = ctx.user
    if action.owners:
        people = [resolve_user(ctx, name) for name in action.owners]
        ids: set[int] = set()
        for person in people:
            ids.update(report_owner_ids(ctx.session, user, asked=person))
        names = _and([_first_or_you(p, user) for p in people])
        return Whose(tuple(sorted(ids)), names, people[0] if len(people) == 1 else None,
                     many=len(people) > 1)
    if action.team:
        lead = resolve_user(ctx, action.team)
        if user.role != Role.ADMIN and lead.id not in team_ids(ctx.session, user):
            raise Forbidden(f"{lead.name}'s team numbers are for {lead.name.split()[0]}, "
                            "their manager and admins.")
        members = tuple(sorted(u.id for u in team_of(ctx.session, manager=lead)))
        who = "your team" if lead.id == user.id else f"{lead.name}'s team"
        return Whose(members, f"{who} ({fmt.plural(len(members), 'person', 'people')})",
                     many=True)
    if action.owner:
        asked = resolve_user(ctx, action.owner)
        ids_ = report_owner_ids(ctx.session, user, asked=asked)
        return Whose(ids_, "you" if asked.id == user.id else asked.name, asked)
    if user.role == Role.ADMIN:
        return Whose(None, "everyone")
    if user.role == Role.MANAGER:
        members = tuple(sorted(team_ids(ctx.session, user)))
        return Whose(members, f"your team ({fmt.plural(len(members), 'person', 'people')})",
                     many=True)
    if personal:
        return Whose((user.id,), "you (reps see their own numbers)", user)
    return Whose(None, "everyone")


def _first_or_you(person: User, user: User) -> str:
    return "you" if person.id == user.id else person.name


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def money_range(low: float | Decimal | None, high: float | Decimal | None) -> str:
    """'over $50,000', 'under $10,000', 'between $10,000 and $50,000', ''."""
    if low is not None and high is not None:
        return f"between {_dollars(low)} and {_dollars(high)}"
    if low is not None:
        return f"of {_dollars(low)} or more"
    if high is not None:
        return f"of {_dollars(high)} or less"
    return ""


def _dollars(value: float | Decimal) -> str:
    return f"${float(value):,.0f}"


def stage_words(action: PipelineQuery, labels: dict[str, str]) -> str:
    """'in Negotiation', 'in Demo or Proposal', ''."""
    keys = action.stages or ([action.stage] if action.stage else [])
    if not keys:
        return ""
    names = [labels.get(k, k) for k in keys]
    return "in " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1])


def period_verb(status: str | None) -> str:
    """How a deal's close date reads for its status: 'closed' once won or lost."""
    return "closed" if status in ("won", "lost") else "closing"


def status_words(status: str | None) -> str:
    """'open deals', 'won deals', or a plain warning that every status is mixed in."""
    return {"open": "open deals", "won": "won deals", "lost": "lost deals"}.get(
        status or "", "deals of every status (open, won and lost)")


def reading(*parts: str) -> str:
    """The reading line: the non-empty parts, comma-separated, as one sentence."""
    return "Reading: " + ", ".join(p.strip() for p in parts if p and p.strip()) + "."


def not_used(action: PipelineQuery, used: set[str]) -> list[str]:
    """The keys the question set that this answer does not use, in words."""
    said = {
        "measure": action.measure and f"the measure '{action.measure.replace('_', ' ')}'",
        "status": action.status and f"'{action.status}'",
        "stage": action.stage and f"the stage '{action.stage}'",
        "stages": action.stages and f"the stages {', '.join(action.stages)}",
        "group_by": action.group_by and f"'by {action.group_by}'",
        "limit": action.limit and f"'top {action.limit}'",
        "min_amount": action.min_amount is not None and f"'over ${action.min_amount:,.0f}'",
        "max_amount": action.max_amount is not None and f"'under ${action.max_amount:,.0f}'",
        "compare": action.compare and "the second period",
        "quiet_days": action.quiet_days and f"'{action.quiet_days} days'",
    }
    return [words for key, words in said.items() if words and key not in used]


def local_bounds(ctx: Ctx, period: Period) -> tuple[dt.datetime, dt.datetime]:
    """A period of local days as UTC moments [start, end)."""
    start = ctx.to_utc(dt.datetime.combine(period.start, dt.time()))
    end = ctx.to_utc(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()))
    return start, end
