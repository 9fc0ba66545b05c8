"""Deals, their stages, and the history of every stage, amount and close-date change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Row, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Deal, DealStageChange, DealStatus, User, utcnow
from crm_store.services import audit
from crm_store.services.contacts import ACTOR
from crm_store.services.pipelines import default_pipeline, stage_info, stage_map

TRACKED = ("stage", "amount", "close_date", "status")


def to_amount(value: Any) -> Decimal | None:
    """A money amount as Decimal; BadInput for anything that is not a non-negative number."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
            raise ValueError(value)
        return amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise BadInput(f"'{value}' is not an amount.") from None


def create_deal(session: Session, *, actor: User | None, team_id: str, title: str,
                account_id: int | None = None, contact_id: int | None = None,
                amount: Any = None, currency: str = "USD", stage: str = "lead",
                close_date: dt.date | None = None, owner_id: int | None | Any = ACTOR,
                custom_fields: dict[str, Any] | None = None,
                now: dt.datetime | None = None) -> Deal:
    """A new deal in the default pipeline, with its first history row, audited.

    Owned by the actor unless `owner_id` says otherwise (None: nobody).
    """
    title = " ".join(title.split())
    if not title:
        raise BadInput("A deal needs a title.")
    now = now or utcnow()
    pipeline = default_pipeline(session, team_id=team_id)
    info = stage_info(pipeline, stage)
    status = info.closes_as or DealStatus.OPEN
    deal = Deal(
        team_id=team_id, title=title, account_id=account_id, contact_id=contact_id,
        pipeline_id=pipeline.id, amount=to_amount(amount), currency=currency.upper(),
        stage=info.key, probability=info.probability, status=status,
        close_date=close_date or (now.date() if status != DealStatus.OPEN else None),
        closed_at=now if status != DealStatus.OPEN else None,
        owner_id=getattr(actor, "id", None) if owner_id is ACTOR else owner_id,
        custom_fields=custom_fields or {}, created_at=now, updated_at=now,
        stage_entered_at=now,
    )
    audit.created(session, deal, actor=actor)
    _add_history(session, deal, from_stage=None, actor=actor, now=now)
    return deal


def find_deals(session: Session, *, team_id: str, account_id: int | None = None,
               title: str | None = None, status: DealStatus | None = None,
               owner_ids: list[int] | None = None) -> list[Deal]:
    """Deals by account, exact title (ignoring case), status and owners; newest first."""
    query = select(Deal).where(Deal.team_id == team_id)
    if account_id is not None:
        query = query.where(Deal.account_id == account_id)
    if title:
        query = query.where(func.lower(Deal.title) == title.strip().lower())
    if status is not None:
        query = query.where(Deal.status == status)
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    return list(session.scalars(query.order_by(Deal.updated_at.desc(), Deal.id.desc())))


def open_deals_of(session: Session, *, team_id: str, owner_id: int) -> list[Row]:
    """One owner's open deals, soonest close date first, as plain rows (id, title, stage,
    probability, amount, currency, close_date, account_id): a list, not records to edit."""
    return list(session.connection().execute(
        _OPEN_DEALS_OF, {"team_id": team_id, "owner_id": owner_id}))


_OPEN_DEALS_OF = (
    select(Deal.id, Deal.title, Deal.stage, Deal.probability, Deal.amount, Deal.currency,
           Deal.close_date, Deal.account_id)
    .where(Deal.team_id == bindparam("team_id"), Deal.status == DealStatus.OPEN,
           Deal.owner_id == bindparam("owner_id"))
    .order_by(Deal.close_date.is_(None), Deal.close_date, Deal.id)
)


def update_deal(session: Session, *, actor: User | None, deal: Deal, stage: str | None = None,
                amount: Any = None, close_date: dt.date | None = None,
                status: DealStatus | str | None = None, reason: str | None = None,
                title: str | None = None, contact_id: int | None = None,
                owner_id: int | None = None, now: dt.datetime | None = None) -> bool:
    """Move, re-value, win, lose or reopen a deal; history gets a row per change."""
    now = now or utcnow()
    pipeline = default_pipeline(session, team_id=deal.team_id)
    status = DealStatus(status) if status else None
    changes: dict[str, Any] = {}
    if stage is not None:
        info = stage_info(pipeline, stage)
        changes.update(stage=info.key, probability=info.probability)
        if info.closes_as and status is None:
            status = info.closes_as
        elif info.closes_as is None and status is None and deal.status != DealStatus.OPEN:
            status = DealStatus.OPEN  # moving a closed deal back into the funnel reopens it
    if status is not None and status != deal.status:
        changes.update(_status_change(session, deal, pipeline, status, stage, now))
    if status == DealStatus.LOST and reason:
        changes["lost_reason"] = reason.strip()
    if amount is not None:
        changes["amount"] = to_amount(amount)
    if close_date is not None:
        changes["close_date"] = close_date
    for key, value in (("title", title), ("contact_id", contact_id), ("owner_id", owner_id)):
        if value is not None:
            changes[key] = value
    if changes.get("stage", deal.stage) != deal.stage:
        changes["stage_entered_at"] = now  # the history row below enters the new stage
    from_stage = deal.stage
    tracked_before = {k: getattr(deal, k) for k in TRACKED}
    if not audit.updated(session, deal, actor=actor, changes=changes):
        return False
    deal.updated_at = now
    if any(getattr(deal, k) != v for k, v in tracked_before.items()):
        _add_history(session, deal, from_stage=from_stage, actor=actor, now=now)
    return True


def _status_change(session: Session, deal: Deal, pipeline, status: DealStatus,
                   stage: str | None, now: dt.datetime) -> dict[str, Any]:
    stages = stage_map(pipeline)
    if status == DealStatus.OPEN:
        reopened = stage if stage and not stages[stage].closes_as else _last_open(deal, stages)
        return {"status": status, "stage": reopened, "probability": stages[reopened].probability,
                "closed_at": None, "lost_reason": None}
    closing = next(s for s in stages.values() if s.closes_as == status)
    return {"status": status, "stage": closing.key, "probability": closing.probability,
            "closed_at": now, "close_date": now.date()}


def _last_open(deal: Deal, stages: dict) -> str:
    for change in reversed(deal.history):
        if change.to_stage in stages and not stages[change.to_stage].closes_as:
            return change.to_stage
    return "lead"


def _add_history(session: Session, deal: Deal, *, from_stage: str | None, actor: User | None,
                 now: dt.datetime) -> None:
    change = DealStageChange(
        team_id=deal.team_id, deal=deal, from_stage=from_stage, to_stage=deal.stage,
        amount=deal.amount, close_date=deal.close_date, status=deal.status, changed_at=now,
        changed_by_id=getattr(actor, "id", None),
    )
    audit.created(session, change, actor=actor)  # audited, so undo removes it too


def recount_stage_entries(session: Session, *, team_id: str) -> None:
    """Set every deal's stage_entered_at from its history (after a bulk load)."""
    h = DealStageChange
    entered = select(func.max(h.changed_at)).where(
        h.deal_id == Deal.id, h.to_stage == Deal.stage,
        or_(h.from_stage.is_(None), h.from_stage != h.to_stage)).scalar_subquery()
    session.execute(update(Deal).where(Deal.team_id == team_id)
                    .values(stage_entered_at=entered, updated_at=Deal.updated_at)
                    .execution_options(synchronize_session=False))
    session.expire_all()
