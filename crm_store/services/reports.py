"""Pipeline aggregates: count, amount, weighted amount, win rate, average size, cycle days.

A deal's period date is its close date: the expected one while open, the day it
closed once won or lost (closing sets it), so "this quarter" means the same for a
forecast and for results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Numeric, case, cast, func, literal, select
from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Account, Deal, DealStatus, User
from crm_store.services.pipelines import default_pipeline, stage_map

GROUPS = ("stage", "owner", "month", "account")


@dataclass(frozen=True)
class PipelineRow:
    key: str
    label: str
    count: int
    amount: Decimal
    weighted_amount: Decimal
    won: int
    lost: int
    avg_amount: Decimal | None
    cycle_days: float | None

    @property
    def win_rate(self) -> float | None:
        """Won over won+lost, as a fraction; None when nothing closed."""
        closed = self.won + self.lost
        return self.won / closed if closed else None


@dataclass(frozen=True)
class PipelineFilter:
    status: DealStatus | None = None
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive
    owner_ids: tuple[int, ...] | None = None
    stage: str | None = None
    stages: tuple[str, ...] | None = None
    min_amount: Decimal | None = None  # inclusive; a deal with no amount never matches
    max_amount: Decimal | None = None  # inclusive


def _days_between(session: Session, later, earlier):
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return func.extract("epoch", later - earlier) / 86400.0


def _month(session: Session, column):
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def pipeline_report(session: Session, *, team_id: str, where: PipelineFilter = PipelineFilter(),
                    group_by: str | None = None) -> list[PipelineRow]:
    """Aggregates of the deals that match, one row per group (or one row in all)."""
    if group_by is not None and group_by not in GROUPS:
        raise BadInput(f"I can group by {', '.join(GROUPS)}, not '{group_by}'.")
    amount = func.coalesce(Deal.amount, 0)
    won = Deal.status == DealStatus.WON
    measures = (
        func.count(Deal.id),
        func.coalesce(func.sum(amount), 0),
        func.coalesce(func.sum(cast(amount * Deal.probability, Numeric(18, 2)) / 100), 0),
        func.coalesce(func.sum(case((won, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Deal.status == DealStatus.LOST, 1), else_=0)), 0),
        func.avg(Deal.amount),
        func.avg(case((won, _days_between(session, Deal.closed_at, Deal.created_at)))),
    )
    key, label, joins = _grouping(session, group_by)
    query = select(key, label, *measures).select_from(Deal)
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = query.where(*deal_conditions(team_id, where))
    if group_by:
        query = query.group_by(key, label)
    rows = [
        PipelineRow(key=str(k) if k is not None else "", label=str(lbl or "(none)"),
                    count=int(n), amount=Decimal(str(total)).quantize(Decimal("0.01")),
                    weighted_amount=Decimal(str(weighted)).quantize(Decimal("0.01")),
                    won=int(w), lost=int(lo),
                    avg_amount=Decimal(str(avg)).quantize(Decimal("0.01")) if avg is not None
                    else None,
                    cycle_days=float(cycle) if cycle is not None else None)
        for k, lbl, n, total, weighted, w, lo, avg, cycle in session.execute(query)
    ]
    return _ordered(session, team_id, rows, group_by)


def _grouping(session: Session, group_by: str | None):
    if group_by == "stage":
        return Deal.stage, Deal.stage, []
    if group_by == "owner":
        return Deal.owner_id, User.name, [(User, User.id == Deal.owner_id)]
    if group_by == "account":
        return Deal.account_id, Account.name, [(Account, Account.id == Deal.account_id)]
    if group_by == "month":
        month = _month(session, Deal.close_date)
        return month, month, []
    return literal("all"), literal("All deals"), []


def deal_conditions(team_id: str, where: PipelineFilter) -> list:
    conditions = [Deal.team_id == team_id]
    if where.status is not None:
        conditions.append(Deal.status == where.status)
    if where.start is not None:
        conditions.append(Deal.close_date >= where.start)
    if where.end is not None:
        conditions.append(Deal.close_date <= where.end)
    if where.owner_ids is not None:
        conditions.append(Deal.owner_id.in_(where.owner_ids))
    if where.stage is not None:
        conditions.append(Deal.stage == where.stage)
    if where.stages is not None:
        conditions.append(Deal.stage.in_(where.stages))
    if where.min_amount is not None:
        conditions.append(Deal.amount >= where.min_amount)
    if where.max_amount is not None:
        conditions.append(Deal.amount <= where.max_amount)
    return conditions


def _ordered(session: Session, team_id: str, rows: list[PipelineRow],
             group_by: str | None) -> list[PipelineRow]:
    if group_by == "stage":
        stages = stage_map(default_pipeline(session, team_id=team_id))
        position = {k: s.position for k, s in stages.items()}
        return sorted(
            (PipelineRow(**{**r.__dict__, "label": stages[r.key].label if r.key in stages
                            else r.label}) for r in rows),
            key=lambda r: position.get(r.key, 99),
        )
    if group_by == "month":
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: r.amount, reverse=True)


def top_deals(session: Session, *, team_id: str, where: PipelineFilter = PipelineFilter(),
              limit: int = 10) -> list[Deal]:
    """The largest deals that match, biggest first."""
    return list(session.scalars(
        select(Deal).where(*deal_conditions(team_id, where))
        .order_by(Deal.amount.desc().nulls_last(), Deal.id).limit(limit)
    ))
