"""The timeline of a contact, account or deal: activities, stage changes and tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from crm_store.errors import BadInput
from crm_store.models import Activity, Contact, Deal, DealStageChange, Task, User


@dataclass(frozen=True)
class TimelineItem:
    """One thing that happened, with where it is stored (`ref`) so it can be cited."""

    at: dt.datetime
    kind: str  # call | meeting | email | note | voice_note | stage | task
    text: str
    ref: str  # e.g. "activity:42", "deal_change:7", "task:3"
    author: str | None = None
    contact: str | None = None
    deal: str | None = None
    source_ref: str | None = None
    due_at: dt.datetime | None = None  # tasks: when due (shown in the reader's zone)


def timeline(session: Session, *, team_id: str, contact_id: int | None = None,
             account_id: int | None = None, deal_id: int | None = None,
             limit: int = 50, include_tasks: bool = True) -> list[TimelineItem]:
    """Newest first: what happened with one record, up to `limit` items."""
    targets = [t for t in (contact_id, account_id, deal_id) if t is not None]
    if len(targets) != 1:
        raise BadInput("A timeline is of one contact, account or deal.")
    items = _activities(session, team_id, contact_id, account_id, deal_id, limit)
    if contact_id is None:
        items += _stage_changes(session, team_id, account_id, deal_id, limit)
    if include_tasks:
        items += _tasks(session, team_id, contact_id, account_id, deal_id, limit)
    items.sort(key=lambda i: i.at, reverse=True)
    return items[:limit]


def _activities(session, team_id, contact_id, account_id, deal_id, limit):
    contact = aliased(Contact)
    query = (
        select(Activity.id, Activity.kind, Activity.body, Activity.occurred_at,
               Activity.source_ref, User.name, contact.name, Deal.title)
        .outerjoin(User, User.id == Activity.author_id)
        .outerjoin(contact, contact.id == Activity.contact_id)
        .outerjoin(Deal, Deal.id == Activity.deal_id)
        .where(Activity.team_id == team_id)
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(limit)
    )
    if contact_id is not None:
        query = query.where(Activity.contact_id == contact_id)
    elif account_id is not None:
        query = query.where(Activity.account_id == account_id)
    else:
        query = query.where(Activity.deal_id == deal_id)
    return [
        TimelineItem(at=at, kind=kind.value, text=body, ref=f"activity:{id_}", author=author,
                     contact=contact_name, deal=deal_title, source_ref=source)
        for id_, kind, body, at, source, author, contact_name, deal_title in session.execute(query)
    ]


def _stage_changes(session, team_id, account_id, deal_id, limit):
    query = (
        select(DealStageChange, Deal.title, User.name)
        .join(Deal, Deal.id == DealStageChange.deal_id)
        .outerjoin(User, User.id == DealStageChange.changed_by_id)
        .where(DealStageChange.team_id == team_id)
        .order_by(DealStageChange.changed_at.desc())
        .limit(limit)
    )
    if deal_id is not None:
        query = query.where(DealStageChange.deal_id == deal_id)
    else:
        query = query.where(Deal.account_id == account_id)
    return [
        TimelineItem(at=change.changed_at, kind="stage", text=_describe_change(change),
                     ref=f"deal_change:{change.id}", author=author, deal=title)
        for change, title, author in session.execute(query)
    ]


def _describe_change(change: DealStageChange) -> str:
    if change.from_stage is None:
        text = f"Deal created at {change.to_stage}"
    elif change.from_stage != change.to_stage:
        text = f"Moved from {change.from_stage} to {change.to_stage}"
    else:
        text = f"Updated at {change.to_stage}"
    if change.amount is not None:
        text += f", {change.amount:,.0f}"
    if change.close_date:
        text += f", closing {change.close_date.isoformat()}"
    return text


def _tasks(session, team_id, contact_id, account_id, deal_id, limit):
    query = (
        select(Task, User.name).outerjoin(User, User.id == Task.assignee_id)
        .where(Task.team_id == team_id)
        .order_by(Task.created_at.desc()).limit(limit)
    )
    if contact_id is not None:
        query = query.where(Task.contact_id == contact_id)
    elif account_id is not None:
        query = query.where(Task.account_id == account_id)
    else:
        query = query.where(Task.deal_id == deal_id)
    return [
        TimelineItem(at=task.completed_at or task.created_at, kind="task",
                     text=f"Task {task.status.value}: {task.title}", ref=f"task:{task.id}",
                     author=assignee, due_at=task.due_at)
        for task, assignee in session.execute(query)
    ]
