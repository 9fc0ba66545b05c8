"""Reads the records a brief or a draft is built from (plain rows, nothing written).

Kept apart from the pure builders so the executor's transaction only reads; what is read
here is everything the fact sheet needs, and nothing after it touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.assistant.brief_facts import DealRec, NoteRec, PersonRec, TaskRec
from crm_store.models import (
    Activity,
    Contact,
    Deal,
    DealStageChange,
    DealStatus,
    Task,
    TaskStatus,
    User,
)

SCAN = 300  # newest activities read per brief; older ones rarely change where things stand


def notes_of(session: Session, *, team_id: str, contact_id: int | None = None,
             account_id: int | None = None, limit: int = SCAN) -> list[NoteRec]:
    """The newest activities of a contact or of an account, newest first."""
    where = Activity.contact_id == contact_id if contact_id is not None \
        else Activity.account_id == account_id
    rows = session.execute(
        select(Activity.id, Activity.kind, Activity.occurred_at, Activity.body, User.name,
               Activity.contact_id, Contact.name, Activity.deal_id, Activity.source_ref)
        .outerjoin(User, User.id == Activity.author_id)
        .outerjoin(Contact, Contact.id == Activity.contact_id)
        .where(Activity.team_id == team_id, where)
        .order_by(Activity.occurred_at.desc(), Activity.id.desc()).limit(limit))
    return [NoteRec(id=r[0], kind=r[1].value, at=r[2], body=r[3], author=r[4], contact_id=r[5],
                    contact=r[6], deal_id=r[7], permalink=_link(r[8])) for r in rows]


def _link(source_ref: str | None) -> str | None:
    # Slack-logged activities keep the message's permalink; other refs are not links.
    return source_ref if source_ref and source_ref.startswith("https://") else None


def open_tasks_of(session: Session, *, team_id: str, contact_id: int | None = None,
                  account_id: int | None = None) -> list[TaskRec]:
    """Open tasks about the contact (or their account at large) or about the account."""
    if contact_id is not None:
        where = Task.contact_id == contact_id
        if account_id is not None:
            where = or_(where, and_(Task.contact_id.is_(None), Task.account_id == account_id))
    else:
        where = or_(Task.account_id == account_id,
                    Task.contact_id.in_(select(Contact.id).where(Contact.account_id == account_id)),
                    Task.deal_id.in_(select(Deal.id).where(Deal.account_id == account_id)))
    rows = session.execute(
        select(Task.id, Task.title, Task.due_at, User.name, Contact.name, Task.deal_id)
        .outerjoin(User, User.id == Task.assignee_id)
        .outerjoin(Contact, Contact.id == Task.contact_id)
        .where(Task.team_id == team_id, Task.status == TaskStatus.OPEN, where)
        .order_by(Task.due_at.is_(None), Task.due_at, Task.id).limit(50))
    return [TaskRec(id=r[0], title=r[1], due_at=r[2], assignee=r[3], contact=r[4],
                    deal_id=r[5]) for r in rows]


def deal_records(session: Session, deals: Sequence[Deal]) -> list[DealRec]:
    """Open deals with when they entered their stage and the close date before a slip."""
    history: dict[int, list[DealStageChange]] = {d.id: [] for d in deals}
    if deals:
        for change in session.scalars(
                select(DealStageChange).where(DealStageChange.deal_id.in_(list(history)))
                .order_by(DealStageChange.changed_at, DealStageChange.id)):
            history[change.deal_id].append(change)
    return [_deal_record(d, history[d.id]) for d in deals if d.status == DealStatus.OPEN]


def _deal_record(deal: Deal, changes: list[DealStageChange]) -> DealRec:
    stage_since = None
    for change in changes:
        if change.to_stage == deal.stage and change.from_stage != change.to_stage:
            stage_since = change.changed_at
    earlier = None
    for change in changes:  # the last close date that differs from today's one
        if change.close_date is not None and change.close_date != deal.close_date:
            earlier = change.close_date
    return DealRec(id=deal.id, title=deal.title, stage=deal.stage, amount=deal.amount,
                   currency=deal.currency, close_date=deal.close_date,
                   stage_since=stage_since or deal.created_at, earlier_close=earlier,
                   contact_id=deal.contact_id)


def people_of(session: Session, *, team_id: str, account_id: int | None,
              contact: Contact | None = None) -> list[PersonRec]:
    """The contact alone, or everyone at the account."""
    if account_id is None or contact is not None:
        found = [contact] if contact is not None else []
    else:
        found = list(session.scalars(select(Contact).where(
            Contact.team_id == team_id, Contact.account_id == account_id)
            .order_by(Contact.name).limit(30)))
    return [PersonRec(id=c.id, name=c.name, title=c.title, email=c.email) for c in found]
