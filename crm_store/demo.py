"""A believable demo company in the CRM: deterministic from a seed, relative to `now`.

`plan_demo` (in `crm_store.demo_data.plan`) is pure: it decides every user, account,
contact, deal (with its stage history), activity and task from a seeded
`random.Random`. `seed_demo` writes the plan with bulk INSERTs (one per table), which
is what keeps `salesbot demo` to a few seconds. Seeding is not a user command, so it
writes no audit rows; the values are the ones the services would write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from crm_store.db import Database
from crm_store.demo_data import words
from crm_store.demo_data.plan import plan_demo
from crm_store.demo_data.records import DAY, DemoPlan, PlannedTask
from crm_store.errors import BadInput
from crm_store.models import (
    LOCAL_TEAM,
    Account,
    Activity,
    AuditEntry,
    Contact,
    Deal,
    DealStageChange,
    Delivery,
    LeadScore,
    Role,
    Tag,
    Tagging,
    Task,
    TaskStatus,
    User,
    utcnow,
)
from crm_store.scoring import note_marks
from crm_store.services import deals, touches
from crm_store.services.pipelines import default_pipeline, stage_map

__all__ = ["TERMINAL_USER_ID", "DemoSummary", "clear_workspace", "has_data", "plan_demo",
           "seed_demo"]

TERMINAL_USER_ID = words.REPS[0][1]  # the rep the terminal plays: "UREP1", Sam Rivera


@dataclass(frozen=True)
class DemoSummary:
    """What `seed_demo` wrote."""

    team_id: str
    users: int
    accounts: int
    contacts: int
    deals: int
    stage_changes: int
    activities: int
    tasks: int
    open_tasks: int
    hot_contacts: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.users} users, {self.accounts:,} accounts, {self.contacts:,} contacts, "
                f"{self.deals:,} deals, {self.activities:,} activities, {self.tasks:,} tasks")


# --- public API ---------------------------------------------------------------------


def has_data(session: Session, team_id: str) -> bool:
    """True when the workspace holds any accounts, contacts, deals, activities or tasks."""
    return any(
        session.scalar(select(exists().where(model.team_id == team_id)))
        for model in (Account, Contact, Deal, Activity, Task)
    )


def clear_workspace(session: Session, *, team_id: str) -> None:
    """Delete the workspace's CRM records, scores and audit trail.

    Users, pipelines, digest subscriptions and processed-event keys stay: they are
    the workspace's set-up, not its data.
    """
    session.execute(delete(Tagging).where(
        Tagging.tag_id.in_(select(Tag.id).where(Tag.team_id == team_id))))
    for model in (LeadScore, Tag, Task, Activity, DealStageChange, Deal, Contact, Account,
                  AuditEntry):
        session.execute(delete(model).where(model.team_id == team_id))


def seed_demo(db_or_session: Database | Session, *, team_id: str = LOCAL_TEAM,
              now: dt.datetime | None = None, seed: int = 7,
              scale: float = 1.0) -> DemoSummary:
    """Fill an empty workspace with the demo company; BadInput when it already has data."""
    if isinstance(db_or_session, Database):
        with db_or_session.session() as session:
            return seed_demo(session, team_id=team_id, now=now, seed=seed, scale=scale)
    session = db_or_session
    if has_data(session, team_id):
        raise BadInput(f"The workspace '{team_id}' already has CRM data; clear it first.")
    plan = plan_demo(now=now or utcnow(), seed=seed, scale=scale)
    return _write(session, plan, team_id=team_id)


# --- writing ------------------------------------------------------------------------


def _write(session: Session, plan: DemoPlan, *, team_id: str) -> DemoSummary:
    now = plan.now
    pipeline = default_pipeline(session, team_id=team_id)
    probability = {key: info.probability for key, info in stage_map(pipeline).items()}
    user_ids = _write_users(session, plan, team_id=team_id)

    def stamp(at: dt.datetime) -> dict[str, dt.datetime]:
        return {"created_at": at, "updated_at": at}

    account_ids = _insert(session, Account, [
        {"team_id": team_id, "name": a.name, "domain": a.domain, "industry": a.industry,
         "owner_id": user_ids[a.owner], "custom_fields": {"employees": a.employees, "hq": a.city},
         **stamp(a.created_at)}
        for a in plan.accounts
    ])
    contact_ids = _insert(session, Contact, [
        {"team_id": team_id, "name": c.name, "account_id": account_ids[c.account],
         "title": c.title, "email": c.email, "phone": c.phone, "lifecycle": c.lifecycle,
         "owner_id": user_ids[c.owner], "custom_fields": {}, **stamp(c.created_at)}
        for c in plan.contacts
    ])
    deal_ids = _insert(session, Deal, [
        {"team_id": team_id, "account_id": account_ids[d.account],
         "contact_id": contact_ids[d.contact], "pipeline_id": pipeline.id, "title": d.title,
         "amount": d.amount, "currency": "USD", "stage": d.stage,
         "probability": probability[d.stage], "close_date": d.close_date, "status": d.status,
         "lost_reason": d.lost_reason, "closed_at": d.closed_at, "owner_id": user_ids[d.owner],
         "custom_fields": {}, "created_at": d.created_at, "updated_at": d.history[-1].at}
        for d in plan.deals
    ])
    changes = [
        {"team_id": team_id, "deal_id": deal_ids[i], "from_stage": h.from_stage,
         "to_stage": h.to_stage, "amount": h.amount, "close_date": h.close_date,
         "status": h.status, "changed_at": h.at, "changed_by_id": user_ids[d.owner]}
        for i, d in enumerate(plan.deals) for h in d.history
    ]
    _insert(session, DealStageChange, changes, returning=False)
    _insert(session, Activity, [
        {"team_id": team_id, "kind": a.kind, "body": a.body, "occurred_at": a.occurred_at,
         "author_id": user_ids[a.author], "contact_id": contact_ids[a.contact],
         "account_id": account_ids[a.account],
         "deal_id": deal_ids[a.deal] if a.deal is not None else None, "source_ref": None,
         "transcript": a.transcript, "signal_marks": note_marks(a.body),
         "created_at": min(a.occurred_at + dt.timedelta(minutes=20), now)}
        for a in plan.activities
    ], returning=False)
    # Bulk-inserted: what the services keep per write, set once for the whole workspace.
    touches.recount_team(session, team_id=team_id)
    deals.recount_stage_entries(session, team_id=team_id)
    _insert(session, Task, [_task_row(t, team_id, now, user_ids, contact_ids, account_ids,
                                      deal_ids) for t in plan.tasks], returning=False)
    return DemoSummary(
        team_id=team_id, users=len(plan.users), accounts=len(plan.accounts),
        contacts=len(plan.contacts), deals=len(plan.deals), stage_changes=len(changes),
        activities=len(plan.activities), tasks=len(plan.tasks),
        open_tasks=sum(t.status == TaskStatus.OPEN for t in plan.tasks),
        hot_contacts=tuple(plan.contacts[i].name for i in plan.hot_contacts),
    )


def _write_users(session: Session, plan: DemoPlan, *, team_id: str) -> dict[str, int]:
    """The demo users by Slack id; ones already in the workspace are kept as they are."""
    existing = {u.slack_user_id: u for u in session.scalars(select(User).where(
        User.team_id == team_id,
        User.slack_user_id.in_([u.slack_user_id for u in plan.users])))}
    joined = plan.now - 420 * DAY
    manager_id = None
    for planned in plan.users:
        user = existing.get(planned.slack_user_id)
        if user is None:
            local = planned.name.lower().replace(" ", ".")
            user = User(team_id=team_id, slack_user_id=planned.slack_user_id, name=planned.name,
                        email=f"{local}@{words.OWN_DOMAIN}", tz=planned.tz, role=planned.role,
                        manager_id=manager_id if planned.role == Role.REP else None,
                        created_at=joined, updated_at=joined)
            session.add(user)
            session.flush()
            existing[planned.slack_user_id] = user
        if planned.role == Role.MANAGER:
            manager_id = user.id
    return {sid: user.id for sid, user in existing.items()}


def _task_row(task: PlannedTask, team_id: str, now: dt.datetime, user_ids: dict[str, int],
              contact_ids: list[int], account_ids: list[int],
              deal_ids: list[int]) -> dict[str, Any]:
    # A reminder whose time has passed went out then (as the scheduler would have sent it),
    # unless the task was finished first; so seeding does not set off a burst of reminders.
    finished = task.completed_at if task.status == TaskStatus.DONE else None
    fired = task.remind_at <= now and (finished is None or task.remind_at <= finished)
    if task.status == TaskStatus.CANCELLED:
        fired = False
    delivered = min(task.remind_at + dt.timedelta(seconds=30), now) if fired else None
    updated = max(x for x in (task.created_at, delivered, finished) if x is not None)
    return {
        "team_id": team_id, "title": task.title, "due_at": task.due_at,
        "remind_at": task.remind_at, "status": task.status, "completed_at": finished,
        "assignee_id": user_ids[task.assignee], "created_by_id": user_ids[task.assignee],
        "contact_id": contact_ids[task.contact], "account_id": account_ids[task.account],
        "deal_id": deal_ids[task.deal] if task.deal is not None else None,
        "delivery": Delivery.SENT if fired else Delivery.PENDING,
        "claimed_by": "demo" if fired else None, "lease_expires_at": None,
        "delivered_at": delivered, "delivery_attempts": 1 if fired else 0,
        "created_at": task.created_at, "updated_at": updated,
    }


def _insert(session: Session, model: Any, rows: list[dict[str, Any]], *,
            returning: bool = True) -> list[int]:
    """Bulk INSERT; the new ids in the order of `rows` when `returning`."""
    if not rows:
        return []
    if not returning:
        session.execute(insert(model), rows)
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))
