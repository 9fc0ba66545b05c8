"""Morning lists of overdue tasks, and weekly nudges about deals that went quiet."""

from __future__ import annotations

import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.assistant import format as fmt
from bot.assistant.types import Reply, Table
from crm_store.db import Database
from crm_store.models import Activity, Deal, DealStatus, User, utcnow
from crm_store.services import tasks
from scheduler.notify import Notifier
from scheduler.once import dm_once
from scheduler.snapshot import Snapshot

MORNING = (dt.time(8, 0), dt.time(12, 0))  # the daily list goes out in this local window


def _in_morning(user: User, now: dt.datetime, start: dt.time) -> dt.date | None:
    """The user's local date when their clock is within the morning window, else None."""
    local = now.astimezone(ZoneInfo(user.tz or "UTC"))
    return local.date() if start <= local.time() < MORNING[1] else None


def overdue_lists(db: Database, notifier: Notifier, *, worker: str,
                  now: dt.datetime | None = None) -> int:
    """Each morning (08:00 local), each rep with overdue tasks gets the list, once."""
    now = now or utcnow()
    sent = 0
    with db.session(readonly=True) as session:
        users = list(session.scalars(select(User).where(User.is_active.is_(True))))
    for user in users:
        day = _in_morning(user, now, MORNING[0])
        if day is None:
            continue
        sent += dm_once(db, notifier, team_id=user.team_id, kind="overdue", worker=worker,
                        key=f"overdue:{user.id}:{day.isoformat()}", now=now,
                        compose=partial(_overdue_message, user=Snapshot(user), user_id=user.id,
                                        now=now))
    return sent


def _overdue_message(session, *, user: Snapshot, user_id: int, now: dt.datetime):
    overdue = tasks.open_tasks(session, team_id=user.team_id, assignee_ids=[user_id],
                               scope="overdue", now=now, tz=user.tz or "UTC")
    reply = build_overdue_list(overdue, tz=ZoneInfo(user.tz or "UTC"), now=now)
    return None if reply is None else (user, reply)


def build_overdue_list(overdue: list, *, tz, now: dt.datetime) -> Reply | None:
    """The morning message, or None when nothing is overdue."""
    if not overdue:
        return None
    rows = tuple((fmt.moment(t.due_at, tz, now=now), t.title,
                  (t.contact.name if t.contact else "") or (t.account.name if t.account else ""))
                 for t in overdue[:20])
    reply = Reply(f"Good morning! You have {fmt.plural(len(overdue), 'overdue task')}:",
                  table=Table(("Was due", "Task", "About"), rows))
    if len(overdue) > 20:
        reply.context.append(f"And {len(overdue) - 20} more — say 'overdue tasks' to see all.")
    return reply


def stale_deal_nudges(db: Database, notifier: Notifier, *, worker: str, quiet_days: int,
                      now: dt.datetime | None = None) -> int:
    """Once a week, each owner hears about their open deals with no activity for N days."""
    now = now or utcnow()
    sent = 0
    with db.session(readonly=True) as session:
        stale = quiet_deals(session, now=now, quiet_days=quiet_days)
        owners = {d.owner_id: d.owner for d, _ in stale if d.owner is not None}
        by_owner = {oid: [(d, t) for d, t in stale if d.owner_id == oid] for oid in owners}
        owners = {oid: Snapshot(u) for oid, u in owners.items() if u.is_active}
        details = {oid: [(d.title, d.stage, d.amount, d.currency, t) for d, t in items]
                   for oid, items in by_owner.items()}
    for owner_id, owner in owners.items():
        local = now.astimezone(ZoneInfo(owner.tz or "UTC"))
        if not MORNING[0] <= local.time() < MORNING[1]:
            continue
        year, week, _ = local.isocalendar()
        nudge = build_stale_nudge(details[owner_id], quiet_days=quiet_days, now=now)
        sent += dm_once(db, notifier, team_id=owner.team_id, kind="stale", worker=worker,
                        key=f"stale:{owner_id}:{year}-W{week:02d}", now=now,
                        compose=lambda _, owner=owner, nudge=nudge: (owner, nudge))
    return sent


def quiet_deals(session, *, now: dt.datetime, quiet_days: int) -> list[tuple[Deal, dt.datetime]]:
    """Open deals whose account and deal had no activity for `quiet_days` (with last touch)."""
    cutoff = now - dt.timedelta(days=quiet_days)
    by_account = dict(session.execute(
        select(Activity.account_id, func.max(Activity.occurred_at))
        .where(Activity.account_id.is_not(None)).group_by(Activity.account_id)).all())
    by_deal = dict(session.execute(
        select(Activity.deal_id, func.max(Activity.occurred_at))
        .where(Activity.deal_id.is_not(None)).group_by(Activity.deal_id)).all())
    found = []
    for deal in session.scalars(select(Deal).where(Deal.status == DealStatus.OPEN,
                                                   Deal.created_at < cutoff)):
        touches = [t for t in (by_account.get(deal.account_id), by_deal.get(deal.id)) if t]
        last = max(touches, default=deal.created_at)
        if last.tzinfo is None:  # aggregates skip the column type on some backends
            last = last.replace(tzinfo=dt.UTC)
        if last < cutoff:
            found.append((deal, last))
    return sorted(found, key=lambda pair: pair[1])


def build_stale_nudge(deals: list, *, quiet_days: int, now: dt.datetime) -> Reply:
    rows = tuple((title, stage, fmt.money(amount, currency), f"{(now - last).days} days")
                 for title, stage, amount, currency, last in deals[:15])
    return Reply(f"These deals have gone quiet (no activity for {quiet_days}+ days). "
                 "A quick check-in keeps them moving:",
                 table=Table(("Deal", "Stage", "Amount", "Quiet for"), rows))
