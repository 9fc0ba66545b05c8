"""The model's place in a workspace: the admins' switch, token budgets, usage and ratings.

A model call is bracketed by two short transactions, never one held across it:
`reserve` checks the switch and the budgets and books the call's estimated tokens (so
calls running at the same time cannot all spend the last of a budget), and `settle`
replaces the estimate with what the endpoint counted. A call whose process died keeps
its estimate: the budget errs on the side of spending less.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.models import AiFeedback, AiSetting, AiUsage, User, utcnow

PENDING = "pending"
RATINGS = ("up", "down")
EXCERPT = 200


@dataclass(frozen=True)
class Limits:
    """The defaults a workspace has until an admin changes them (from the settings)."""

    daily_tokens: int
    user_calls_per_hour: int


@dataclass(frozen=True)
class Status:
    """What `/crm ai status` and the admin's App Home show."""

    enabled: bool
    daily_tokens: int
    used_today: int
    calls_today: int
    fallbacks_today: int
    top_users: tuple[tuple[str, int], ...]  # (name, tokens today), most first

    @property
    def left_today(self) -> int:
        return max(0, self.daily_tokens - self.used_today)


def day_start(now: dt.datetime) -> dt.datetime:
    """Budgets are per UTC day."""
    return now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def enabled(session: Session, *, team_id: str) -> bool:
    row = session.get(AiSetting, team_id)
    return row is None or row.enabled


def set_enabled(session: Session, *, team_id: str, on: bool, by: int | None) -> bool:
    """Turn the model on or off for a workspace; returns whether that changed anything."""
    row = session.get(AiSetting, team_id)
    if row is None:
        row = AiSetting(team_id=team_id, enabled=True)
        session.add(row)
    changed = row.enabled != on
    row.enabled, row.updated_by, row.updated_at = on, by, utcnow()
    session.flush()
    return changed


def reserve(session: Session, *, team_id: str, user_id: int | None, prompt: str, need: int,
            limits: Limits, now: dt.datetime) -> int | str:
    """Book a call of about `need` tokens: the usage row's id, or why it may not be made
    (switched off, today's budget spent, this person's hourly calls used up)."""
    row = session.get(AiSetting, team_id, with_for_update=True)  # serializes bookings
    if row is not None and not row.enabled:
        return "an admin has turned the model off for this workspace"
    budget = row.daily_tokens if row is not None and row.daily_tokens is not None \
        else limits.daily_tokens
    used = _tokens_since(session, team_id=team_id, since=day_start(now))
    if used + need > budget:
        return f"today's model budget ({budget:,} tokens) is spent"
    calls = session.scalar(select(func.count()).select_from(AiUsage).where(
        AiUsage.team_id == team_id, AiUsage.user_id == user_id,
        AiUsage.created_at >= now - dt.timedelta(hours=1)))
    if user_id is not None and calls >= limits.user_calls_per_hour:
        return f"you've used your {limits.user_calls_per_hour} model answers for this hour"
    usage = AiUsage(team_id=team_id, user_id=user_id, prompt=prompt, prompt_tokens=need,
                    completion_tokens=0, outcome=PENDING, created_at=now)
    session.add(usage)
    session.flush()
    return usage.id


def settle(session: Session, usage_id: int, *, prompt_tokens: int, completion_tokens: int,
           outcome: str) -> None:
    """What the call really cost (as the endpoint counted it) and how it ended."""
    usage = session.get(AiUsage, usage_id)
    if usage is None:
        return
    usage.prompt_tokens, usage.completion_tokens = prompt_tokens, completion_tokens
    usage.outcome = outcome[:32]


def status(session: Session, *, team_id: str, limits: Limits, now: dt.datetime) -> Status:
    row = session.get(AiSetting, team_id)
    since = day_start(now)
    today = (AiUsage.team_id == team_id, AiUsage.created_at >= since)
    calls, fallbacks = session.execute(select(
        func.count(), func.count().filter(AiUsage.outcome.like("fallback%"))).where(*today)).one()
    spent = AiUsage.prompt_tokens + AiUsage.completion_tokens
    top = session.execute(
        select(func.coalesce(User.name, "someone"), func.sum(spent))
        .select_from(AiUsage).outerjoin(User, User.id == AiUsage.user_id).where(*today)
        .group_by(User.name).order_by(func.sum(spent).desc()).limit(5)).all()
    return Status(enabled=row is None or row.enabled,
                  daily_tokens=row.daily_tokens if row is not None and row.daily_tokens
                  is not None else limits.daily_tokens,
                  used_today=_tokens_since(session, team_id=team_id, since=since),
                  calls_today=calls, fallbacks_today=fallbacks,
                  top_users=tuple((name, int(tokens or 0)) for name, tokens in top))


def record_feedback(session: Session, *, team_id: str, user_id: int | None, prompt: str,
                    rating: str, excerpt: str) -> AiFeedback:
    if rating not in RATINGS:
        raise ValueError(f"a rating is one of {RATINGS}")
    feedback = AiFeedback(team_id=team_id, user_id=user_id, prompt=prompt[:64], rating=rating,
                          excerpt=" ".join(excerpt.split())[:EXCERPT])
    session.add(feedback)
    session.flush()
    return feedback


def recent_feedback(session: Session, *, team_id: str, rating: str = "down",
                    limit: int = 10) -> list[tuple[AiFeedback, str | None]]:
    """The latest ratings of one kind, newest first, with who gave them."""
    return [(feedback, name) for feedback, name in session.execute(
        select(AiFeedback, User.name).outerjoin(User, User.id == AiFeedback.user_id)
        .where(AiFeedback.team_id == team_id, AiFeedback.rating == rating)
        .order_by(AiFeedback.id.desc()).limit(limit)).all()]


def _tokens_since(session: Session, *, team_id: str, since: dt.datetime) -> int:
    return int(session.scalar(
        select(func.coalesce(func.sum(AiUsage.prompt_tokens + AiUsage.completion_tokens), 0))
        .where(AiUsage.team_id == team_id, AiUsage.created_at >= since)) or 0)
