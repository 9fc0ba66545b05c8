"""The timeline of a contact, account or deal: activities, stage changes and tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

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
    targets = {k: v for k, v in (("contact", contact_id), ("account", account_id),
                                 ("deal", deal_id)) if v is not None}
    if len(targets) != 1:
        raise BadInput("A timeline is of one contact, account or deal.")
    [(kind, target)] = targets.items()
    params = {"team_id": team_id, "target": target, "limit": limit}
    run = session.connection().execute  # plain rows: no ORM identity work needed here
    items = [
        TimelineItem(at=at, kind=act_kind.value, text=body, ref=f"activity:{id_}",
                     author=author, contact=contact, deal=deal, source_ref=source)
        for id_, act_kind, body, at, source, author, contact, deal
        in run(_ACTIVITIES[kind], params)
    ]
    if kind != "contact":
        items += [
            TimelineItem(at=row.changed_at, kind="stage", text=_describe_change(row),
                         ref=f"deal_change:{row.id}", author=row.author, deal=row.title)
            for row in run(_STAGE_CHANGES[kind], params)
        ]
    if include_tasks:
        items += [
            TimelineItem(at=row.completed_at or row.created_at, kind="task",
                         text=f"Task {row.status.value}: {row.title}", ref=f"task:{row.id}",
                         author=row.author, due_at=row.due_at)
            for row in run(_TASKS[kind], params)
        ]
    items.sort(key=lambda i: i.at, reverse=True)
    return items[:limit]


# The statements are built once with bound parameters: building them per call cost
# more than running them (see docs/performance.md).
def _newest(query, *, target, time_column):
    return (query.where(target == bindparam("target"))
            .order_by(time_column.desc()).limit(bindparam("limit")))


_ACTIVITY_ROWS = (
    select(Activity.id, Activity.kind, Activity.body, Activity.occurred_at, Activity.source_ref,
           User.name, Contact.name, Deal.title)
    .outerjoin(User, User.id == Activity.author_id)
    .outerjoin(Contact, Contact.id == Activity.contact_id)
    .outerjoin(Deal, Deal.id == Activity.deal_id)
    .where(Activity.team_id == bindparam("team_id"))
)
_ACTIVITIES = {
    kind: _newest(_ACTIVITY_ROWS, target=column, time_column=Activity.occurred_at)
    .order_by(Activity.id.desc())
    for kind, column in (("contact", Activity.contact_id), ("account", Activity.account_id),
                         ("deal", Activity.deal_id))
}
_CHANGE_ROWS = (
    select(DealStageChange.id, DealStageChange.from_stage, DealStageChange.to_stage,
           DealStageChange.amount, DealStageChange.close_date, DealStageChange.changed_at,
           Deal.title, User.name.label("author"))
    .join(Deal, Deal.id == DealStageChange.deal_id)
    .outerjoin(User, User.id == DealStageChange.changed_by_id)
    .where(DealStageChange.team_id == bindparam("team_id"))
)
_STAGE_CHANGES = {
    kind: _newest(_CHANGE_ROWS, target=column, time_column=DealStageChange.changed_at)
    for kind, column in (("account", Deal.account_id), ("deal", DealStageChange.deal_id))
}
_TASK_ROWS = (
    select(Task.id, Task.title, Task.status, Task.due_at, Task.created_at, Task.completed_at,
           User.name.label("author"))
    .outerjoin(User, User.id == Task.assignee_id)
    .where(Task.team_id == bindparam("team_id"))
)
_TASKS = {
    kind: _newest(_TASK_ROWS, target=column, time_column=Task.created_at)
    for kind, column in (("contact", Task.contact_id), ("account", Task.account_id),
                         ("deal", Task.deal_id))
}


def _describe_change(change) -> str:  # a DealStageChange row
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
