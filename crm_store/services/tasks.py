"""Tasks and reminders, including the claim that makes each reminder go out once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import Row, and_, bindparam, or_, select, text, update
from sqlalchemy.orm import Session, selectinload

from crm_store.errors import BadInput
from crm_store.models import Account, Contact, Deal, Delivery, Task, TaskStatus, User, utcnow
from crm_store.services import audit

SCOPES = ("today", "overdue", "week", "coming", "all")
COMING_DAYS = 7  # "coming": overdue, today and the six days after, whatever the weekday


def create_task(session: Session, *, actor: User | None, team_id: str, title: str,
                due_at: dt.datetime | None = None, remind_at: dt.datetime | None = None,
                assignee_id: int | None = None, contact_id: int | None = None,
                account_id: int | None = None, deal_id: int | None = None,
                now: dt.datetime | None = None) -> Task:
    """A new open task; it reminds at `remind_at`, or at its due time when not given."""
    title = " ".join(title.split())
    if not title:
        raise BadInput("A task needs a title.")
    task = Task(
        team_id=team_id, title=title[:500], due_at=due_at, remind_at=remind_at or due_at,
        assignee_id=assignee_id if assignee_id is not None else getattr(actor, "id", None),
        created_by_id=getattr(actor, "id", None), contact_id=contact_id,
        account_id=account_id, deal_id=deal_id, delivery=Delivery.PENDING,
        created_at=now or utcnow(), updated_at=now or utcnow(),
    )
    audit.created(session, task, actor=actor)
    return task


def complete_task(session: Session, *, actor: User | None, task: Task,
                  now: dt.datetime | None = None) -> bool:
    """Mark a task done; its pending reminder will not go out."""
    if task.status == TaskStatus.DONE:
        return False
    return audit.updated(session, task, actor=actor, changes={
        "status": TaskStatus.DONE, "completed_at": now or utcnow(),
    })


def snooze_task(session: Session, *, actor: User | None, task: Task,
                until: dt.datetime) -> bool:
    """Remind again at `until` (moving the due time when it was earlier)."""
    if task.status != TaskStatus.OPEN:
        raise BadInput(f"'{task.title}' is already {task.status.value}.")
    changes = {"remind_at": until, "delivery": Delivery.PENDING, "claimed_by": None,
               "lease_expires_at": None, "delivered_at": None}
    if task.due_at is None or task.due_at < until:
        changes["due_at"] = until
    return audit.updated(session, task, actor=actor, changes=changes)


def scope_window(scope: str, *, now: dt.datetime, tz: str) -> dt.datetime | None:
    """The moment before which tasks due fall in `scope`, in the user's zone; None = all."""
    if scope not in SCOPES:
        raise BadInput(f"'{scope}' is not a task list; try {', '.join(SCOPES)}.")
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    if scope == "today":  # due today, and anything still overdue
        return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), zone)
    if scope == "overdue":
        return now
    if scope == "week":  # through Sunday
        return dt.datetime.combine(today + dt.timedelta(days=7 - today.weekday()), dt.time(), zone)
    if scope == "coming":
        return dt.datetime.combine(today + dt.timedelta(days=COMING_DAYS), dt.time(), zone)
    return None


def open_tasks(session: Session, *, team_id: str, assignee_ids: list[int] | None,
               scope: str = "all", now: dt.datetime | None = None, tz: str = "UTC") -> list[Task]:
    """Open tasks of the assignees (everyone when None) in a scope, soonest due first."""
    end = scope_window(scope, now=now or utcnow(), tz=tz)
    query = (select(Task).where(Task.team_id == team_id, Task.status == TaskStatus.OPEN)
             .options(selectinload(Task.contact), selectinload(Task.account)))
    if assignee_ids is not None:
        query = query.where(Task.assignee_id.in_(assignee_ids))
    if end is not None:
        query = query.where(Task.due_at < end)
    return list(session.scalars(query.order_by(Task.due_at.is_(None), Task.due_at, Task.id)))


def _claimable(now: dt.datetime):
    return and_(
        Task.status == TaskStatus.OPEN,
        Task.remind_at <= now,
        or_(Task.delivery == Delivery.PENDING,
            and_(Task.delivery == Delivery.CLAIMED, Task.lease_expires_at < now)),
    )


def claim_due_reminders(session: Session, *, worker: str, now: dt.datetime | None = None,
                        lease: dt.timedelta = dt.timedelta(minutes=5), limit: int = 100,
                        assignee_id: int | None = None) -> list[int]:
    """Claim up to `limit` due reminders for `worker`; returns the claimed task ids.

    PostgreSQL locks the rows with FOR UPDATE SKIP LOCKED so concurrent workers take
    disjoint sets; SQLite serializes writers and the conditional UPDATE re-checks
    the state. A claim whose lease expires (a crashed worker) is claimed again.
    """
    now = now or utcnow()
    candidates = select(Task.id).where(_claimable(now)).order_by(Task.remind_at).limit(limit)
    if assignee_id is not None:
        candidates = candidates.where(Task.assignee_id == assignee_id)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    return sorted(session.scalars(
        update(Task)
        .where(Task.id.in_(ids), _claimable(now))
        .values(delivery=Delivery.CLAIMED, claimed_by=worker, lease_expires_at=now + lease,
                delivery_attempts=Task.delivery_attempts + 1)
        .returning(Task.id)
    ))


def tasks_to_remind(session: Session, *, task_ids: list[int]) -> list[Row]:
    """What the reminders of these tasks show, as plain rows, earliest first: the task
    (id, title, due_at, remind_at), its assignee (assignee_id, team_id, slack_user_id,
    name, tz, is_active) and what it is about (contact_name, account_name, deal_title,
    deal_stage)."""
    return list(session.connection().execute(_TO_REMIND, {"ids": task_ids}))


_TO_REMIND = (
    select(Task.id, Task.title, Task.due_at, Task.remind_at, Task.assignee_id, Task.team_id,
           User.slack_user_id, User.name, User.tz, User.is_active,
           Contact.name.label("contact_name"), Account.name.label("account_name"),
           Deal.title.label("deal_title"), Deal.stage.label("deal_stage"))
    .outerjoin(User, User.id == Task.assignee_id)
    .outerjoin(Contact, Contact.id == Task.contact_id)
    .outerjoin(Account, Account.id == Task.account_id)
    .outerjoin(Deal, Deal.id == Task.deal_id)
    .where(Task.id.in_(bindparam("ids", expanding=True)))
    .order_by(Task.remind_at, Task.id)
)


def finish_reminders(session: Session, *, task_ids: list[int], worker: str, sent: bool,
                     now: dt.datetime | None = None) -> int:
    """Record the outcome of claimed reminders; returns how many were still this worker's."""
    if session.get_bind().dialect.name == "postgresql":
        # Losing this record in a database crash only lets the lease expire: the same as a
        # worker dying between send and finish. Not worth a disk flush per reminder.
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    result = session.execute(
        update(Task)
        .where(Task.id.in_(task_ids), Task.claimed_by == worker,
               Task.delivery == Delivery.CLAIMED)
        .values(delivery=Delivery.SENT if sent else Delivery.SKIPPED,
                delivered_at=now or utcnow(), lease_expires_at=None)
    )
    return result.rowcount


def finish_reminder(session: Session, *, task_id: int, worker: str, sent: bool,
                    now: dt.datetime | None = None) -> bool:
    """Record the outcome of one claimed reminder; False when the claim was lost meanwhile."""
    return finish_reminders(session, task_ids=[task_id], worker=worker, sent=sent, now=now) == 1


def delete_task(session: Session, *, actor: User | None, task: Task) -> None:
    """Delete a task; audited with its last values, so undo brings it back whole."""
    audit.deleted(session, task, actor=actor)
