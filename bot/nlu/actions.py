"""The actions a message can ask for: one validated schema for every NLU engine.

The rules engine builds these models directly; an LLM engine gets `tool_definitions()`
as its tools and turns each tool call back into a model with `action_from_tool_call()`.
`actions_to_json()` renders them exactly as the `salesbot parse` contract prints them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PrivateAttr, TypeAdapter
from pydantic.json_schema import SkipJsonSchema


def _money_out(value: float | Decimal) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


# Local wall time, minute precision: the contract prints "YYYY-MM-DDTHH:MM".
LocalDateTime = Annotated[
    dt.datetime,
    PlainSerializer(lambda v: v.strftime("%Y-%m-%dT%H:%M"), return_type=str, when_used="json"),
]
ClockTime = Annotated[
    dt.time,
    PlainSerializer(lambda v: v.strftime("%H:%M"), return_type=str, when_used="json"),
]
Money = Annotated[
    float,
    Field(ge=0, description="amount in the account currency, e.g. 50000 for '$50k'"),
    PlainSerializer(_money_out, when_used="json"),
]

Stage = Literal["lead", "qualified", "demo", "proposal", "negotiation", "won", "lost"]
DealStatus = Literal["open", "won", "lost"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Not part of the contract: what the engine could not understand, for the executor to ask about.
Unparsed = SkipJsonSchema[str | None]


class Period(BaseModel):
    """An inclusive range of days."""

    model_config = ConfigDict(extra="forbid")

    start: dt.date
    end: dt.date


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # How sure the engine is (0-1), from its learned parts; not part of the contract's
    # JSON (`salesbot parse --explain` shows it), so it is excluded from every dump.
    confidence: SkipJsonSchema[float | None] = Field(None, exclude=True, ge=0, le=1)


class LogActivity(_Action):
    """Record a call, meeting, email or note against a contact and/or account."""

    intent: Literal["log_activity"] = "log_activity"
    kind: Literal["call", "meeting", "email", "note"] = "note"
    contact: str | None = None
    account: str | None = None
    summary: str | None = None
    occurred_on: dt.date | None = Field(None, description="the day it happened; today if not said")
    unparsed_date: Unparsed = None
    # What was said of it, for its note when nothing else is told of it (rules engine).
    _said: str | None = PrivateAttr(None)


class CreateContact(_Action):
    """Add a person to the CRM."""

    intent: Literal["create_contact"] = "create_contact"
    name: str
    account: str | None = None
    title: str | None = Field(None, description="job title, e.g. 'VP Sales'")
    email: str | None = None
    phone: str | None = None


class CreateDeal(_Action):
    """Open a new deal (opportunity) for an account."""

    intent: Literal["create_deal"] = "create_deal"
    account: str | None = None
    title: str | None = None
    amount: Money | None = None
    stage: Stage | None = None
    close_date: dt.date | None = None
    unparsed_date: Unparsed = None


class UpdateDeal(_Action):
    """Change a deal's stage, amount, close date or status (won/lost/reopened)."""

    intent: Literal["update_deal"] = "update_deal"
    account: str | None = Field(None, description="the deal's account or title")
    stage: Stage | None = None
    amount: Money | None = None
    close_date: dt.date | None = None
    status: DealStatus | None = None
    reason: str | None = Field(None, description="why a deal was lost")
    unparsed_date: Unparsed = None


class CreateTask(_Action):
    """Create a task or reminder, optionally about a contact/account."""

    intent: Literal["create_task"] = "create_task"
    title: str
    due: LocalDateTime | None = Field(None, description="local wall time; 09:00 when no time said")
    contact: str | None = None
    account: str | None = None
    unparsed_date: Unparsed = None


class ListTasks(_Action):
    """Show the speaker's tasks."""

    intent: Literal["list_tasks"] = "list_tasks"
    scope: Literal["today", "overdue", "week", "all"] = "all"


class CompleteTask(_Action):
    """Mark a task done, found by (part of) its title."""

    intent: Literal["complete_task"] = "complete_task"
    title: str


class DeleteTask(_Action):
    """Delete a task, found by (part of) its title."""

    intent: Literal["delete_task"] = "delete_task"
    title: str


class ShowTimeline(_Action):
    """Show the activity timeline of a contact or account."""

    intent: Literal["show_timeline"] = "show_timeline"
    contact: str | None = None
    account: str | None = None


class Summarize(_Action):
    """Summarize where things stand with a contact or account."""

    intent: Literal["summarize"] = "summarize"
    contact: str | None = None
    account: str | None = None


class DraftEmail(_Action):
    """Draft (never send) an email to a contact."""

    intent: Literal["draft_email"] = "draft_email"
    contact: str | None = None
    account: str | None = None
    purpose: str | None = None


ActivityKindName = Literal["call", "meeting", "email", "note", "voice_note"]
ChangeKind = Literal["new", "forward", "back", "won", "lost", "amount", "slipped"]
RiskKind = Literal["overdue", "quiet", "stuck", "single_contact", "early_close"]


class ActivityAsk(BaseModel):
    """What to measure about logged activities (calls, meetings, emails, notes)."""

    model_config = ConfigDict(extra="forbid")

    measure: Literal["count", "last_touch", "none"] = Field(
        "count", description="count by kind; the last touch; who/what had none in the period")
    kinds: list[ActivityKindName] | None = Field(None, description="only these kinds; all if null")
    by: Literal["owner", "account", "week", "month"] = "owner"


class PipelineQuery(_Action):
    """Answer a question about the pipeline, forecast or results.

    `period` is the close-date range for deal questions and the time window for
    `activity` and `changes`. Only one of `compare`, `activity`, `changes`, `risk`,
    `scorecard` is used per question.
    """

    intent: Literal["pipeline_query"] = "pipeline_query"
    measure: (
        Literal["count", "amount", "weighted_amount", "win_rate", "avg_amount", "cycle_days"]
        | None
    ) = None
    status: DealStatus | None = None
    period: Period | None = None
    owner: str | None = Field(None, description="'me', a rep's name, or null for everyone")
    stage: Stage | None = None
    group_by: Literal["stage", "owner", "month", "account"] | None = None
    limit: int | None = Field(None, ge=1, description="top N deals")
    # Optional extras (docs/queries.md); the keys above keep their contract meaning.
    min_amount: Money | None = Field(None, description="deals of at least this amount")
    max_amount: Money | None = Field(None, description="deals of at most this amount")
    owners: list[str] | None = Field(None, description="several reps by name ('me' allowed)")
    team: str | None = Field(None, description="'me' or a manager's name: everyone in that team")
    stages: list[Stage] | None = Field(None, description="several stages")
    compare: Period | None = Field(None, description="a second period, answered with deltas")
    activity: ActivityAsk | None = None
    changes: list[ChangeKind] | None = Field(
        None, description="what changed over `period` (default this week); [] for every kind")
    risk: list[RiskKind] | None = Field(
        None, description="open deals at risk, each with its reasons; [] for every reason")
    quiet_days: int | None = Field(None, ge=1, le=3650,
                                   description="'no activity for N days' (risk/activity)")
    scorecard: bool | None = Field(None, description="one rep's numbers (owner, default me)")
    unread: list[str] | None = Field(
        None, description="parts of the question no key here can express or that make no "
        "sense (e.g. 'Q7', 'over -5k'): said back to the user, never guessed at")
    # Not part of the contract: a part the CRM keeps no data for (the offline parser's).
    cannot: SkipJsonSchema[str | None] = None


class HotLeads(_Action):
    """List the leads most worth calling now."""

    intent: Literal["hot_leads"] = "hot_leads"
    limit: int | None = Field(None, ge=1)


class SubscribeDigest(_Action):
    """Post a recurring pipeline digest to a channel."""

    intent: Literal["subscribe_digest"] = "subscribe_digest"
    channel: str | None = Field(None, description="channel name without '#'")
    cadence: Literal["daily", "weekly"] = "daily"
    time: ClockTime | None = None
    weekday: Weekday | None = None
    unparsed_time: Unparsed = None


class UnsubscribeDigest(_Action):
    """Stop a channel's pipeline digest (one cadence, or all of them)."""

    intent: Literal["unsubscribe_digest"] = "unsubscribe_digest"
    channel: str | None = Field(None, description="channel name without '#'")
    cadence: Literal["daily", "weekly"] | None = None


class ListDeals(_Action):
    """List deals: someone's, an account's, or those at a stage or status."""

    intent: Literal["list_deals"] = "list_deals"
    owner: str | None = Field(None, description="'me', a rep's name, or null for everyone")
    account: str | None = None
    stage: Stage | None = None
    status: DealStatus | None = None


class AiAdmin(_Action):
    """Admins only: the model's status and today's usage, turn it on or off for the
    workspace, or list the recent 👎 ratings of its answers."""

    intent: Literal["ai_admin"] = "ai_admin"
    what: Literal["status", "on", "off", "feedback"] = "status"


class Help(_Action):
    """Explain what the assistant can do."""

    intent: Literal["help"] = "help"


class Unknown(_Action):
    """A message the assistant did not understand."""

    intent: Literal["unknown"] = "unknown"
    text: str = ""


Action = Annotated[
    LogActivity
    | CreateContact
    | CreateDeal
    | UpdateDeal
    | CreateTask
    | ListTasks
    | CompleteTask
    | DeleteTask
    | ShowTimeline
    | Summarize
    | DraftEmail
    | PipelineQuery
    | HotLeads
    | SubscribeDigest
    | UnsubscribeDigest
    | ListDeals
    | AiAdmin
    | Help
    | Unknown,
    Field(discriminator="intent"),
]

# Read off the union, so an intent added to `Action` is offered to the model as a tool too.
ACTION_MODELS: tuple[type[_Action], ...] = get_args(get_args(Action)[0])
MODEL_BY_INTENT: dict[str, type[_Action]] = {
    m.model_fields["intent"].default: m for m in ACTION_MODELS
}

_action_adapter: TypeAdapter[Any] = TypeAdapter(Action)


def parse_action(raw: dict[str, Any]) -> Action:
    """Validate one raw dict (e.g. from an LLM) into an action; raises pydantic.ValidationError."""
    return _action_adapter.validate_python(raw)


def action_from_tool_call(name: str, arguments: dict[str, Any]) -> Action:
    """Turn one tool call (function name = intent) into a validated action."""
    if name not in MODEL_BY_INTENT:
        raise ValueError(f"unknown tool {name!r}")
    return parse_action({**arguments, "intent": name})


def action_to_dict(action: Action) -> dict[str, Any]:
    """One action as contract JSON: ISO dates, HH:MM times, unsaid keys left out."""
    return action.model_dump(mode="json", exclude_none=True)


def actions_to_json(actions: Iterable[Action]) -> dict[str, Any]:
    """The contract's output object `{"actions": [...]}`."""
    return {"actions": [action_to_dict(a) for a in actions]}


def tool_definitions() -> list[dict[str, Any]]:
    """OpenAI tool definitions, one function per intent, parameters from the same models."""
    tools = []
    for model in ACTION_MODELS:
        schema = model.model_json_schema()
        schema["properties"].pop("intent", None)
        schema["properties"].pop("confidence", None)
        schema.pop("title", None)
        if "required" in schema:
            schema["required"] = [k for k in schema["required"] if k != "intent"]
        tools.append(
            {
                "type": "function",
                "function": {
                    "name": model.model_fields["intent"].default,
                    "description": (model.__doc__ or "").strip(),
                    "parameters": schema,
                },
            }
        )
    return tools
