"""What changed in the pipeline over a period, read from the deals' history rows.

Each history row is compared with the row before it for the same deal: a first row is a
new deal; a move between open stages is forward or back by funnel position; a change of
status to won or lost; an amount change; a close date moved later while open is a slip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.models import Account, Deal, DealStageChange, DealStatus, User
from crm_store.services.pipelines import default_pipeline, stage_map

CHANGE_KINDS = ("new", "forward", "back", "won", "lost", "amount", "slipped")


@dataclass(frozen=True)
class Change:
    kind: str
    deal_id: int
    title: str
    account: str | None
    owner: str | None
    at: dt.datetime
    before: str | None  # stage key, amount or ISO date, as it was
    after: str | None
    amount: Decimal | None  # the deal's amount after the change


def pipeline_changes(session: Session, *, team_id: str, start: dt.datetime, end: dt.datetime,
                     owner_ids: tuple[int, ...] | None = None,
                     kinds: tuple[str, ...] | None = None) -> list[Change]:
    """Every change of the wanted kinds in [start, end), oldest first."""
    h = DealStageChange
    if kinds and set(kinds) == {"new"}:
        return _new_deals(session, team_id=team_id, start=start, end=end, owner_ids=owner_ids)
    order = (h.changed_at, h.id)
    touched = select(h.deal_id).where(h.team_id == team_id, h.changed_at >= start,
                                      h.changed_at < end)
    if owner_ids is not None:
        touched = touched.where(h.deal_id.in_(select(Deal.id).where(
            Deal.team_id == team_id, Deal.owner_id.in_(owner_ids))))

    def prev(column, name: str):
        return func.lag(column, type_=column.type).over(partition_by=h.deal_id,
                                                        order_by=order).label(name)

    history = (
        select(h.id, h.deal_id, h.changed_at, h.from_stage, h.to_stage, h.amount, h.close_date,
               h.status, prev(h.id, "prev_id"), prev(h.amount, "p_amount"),
               prev(h.close_date, "p_close"), prev(h.status, "p_status"),
               prev(h.to_stage, "p_stage"))
        # By deal alone: the (deal_id, changed_at) index reads each touched deal's rows;
        # a team_id term here would steer the planner to scanning the whole team's history.
        .where(h.deal_id.in_(touched))
        .subquery()
    )
    query = (select(history, Deal.title, Account.name, User.name.label("owner"))
             .join(Deal, Deal.id == history.c.deal_id)
             .outerjoin(Account, Account.id == Deal.account_id)
             .outerjoin(User, User.id == Deal.owner_id)
             .where(history.c.changed_at >= start, history.c.changed_at < end)
             .order_by(history.c.changed_at, history.c.id))
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    position = {k: s.position for k, s in stage_map(default_pipeline(session,
                                                                     team_id=team_id)).items()}
    wanted = set(kinds or CHANGE_KINDS)
    changes = []
    for row in session.execute(query).mappings():
        for kind, before, after in _kinds_of(row, position):
            if kind in wanted:
                changes.append(Change(kind=kind, deal_id=row["deal_id"], title=row["title"],
                                      account=row["name"], owner=row["owner"],
                                      at=row["changed_at"], before=before, after=after,
                                      amount=row["amount"]))
    return changes


def _new_deals(session: Session, *, team_id: str, start: dt.datetime, end: dt.datetime,
               owner_ids: tuple[int, ...] | None) -> list[Change]:
    """New deals alone: a deal's first history row is the only one with no from_stage
    (create_deal writes it), so no comparison with an earlier row is needed."""
    h = DealStageChange
    query = (select(h.deal_id, h.changed_at, h.to_stage, h.amount, Deal.title,
                    Account.name.label("account"), User.name.label("owner"))
             .join(Deal, Deal.id == h.deal_id)
             .outerjoin(Account, Account.id == Deal.account_id)
             .outerjoin(User, User.id == Deal.owner_id)
             .where(h.team_id == team_id, h.changed_at >= start, h.changed_at < end,
                    h.from_stage.is_(None))
             .order_by(h.changed_at, h.id))
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    return [Change(kind="new", deal_id=r.deal_id, title=r.title, account=r.account,
                   owner=r.owner, at=r.changed_at, before=None, after=r.to_stage,
                   amount=r.amount) for r in session.execute(query)]


def _kinds_of(row, position: dict[str, int]) -> list[tuple[str, str | None, str | None]]:
    if row["prev_id"] is None:
        return [("new", None, row["to_stage"])]
    found: list[tuple[str, str | None, str | None]] = []
    status, p_status = DealStatus(row["status"]), DealStatus(row["p_status"])
    if status != p_status and status in (DealStatus.WON, DealStatus.LOST):
        found.append((status.value, row["p_stage"], row["to_stage"]))
    elif status == DealStatus.OPEN and p_status == DealStatus.OPEN \
            and row["to_stage"] != row["p_stage"]:
        ahead = position.get(row["to_stage"], 0) > position.get(row["p_stage"], 0)
        found.append(("forward" if ahead else "back", row["p_stage"], row["to_stage"]))
    if row["amount"] != row["p_amount"]:
        found.append(("amount", _text(row["p_amount"]), _text(row["amount"])))
    if status == DealStatus.OPEN and row["close_date"] and row["p_close"] \
            and row["close_date"] > row["p_close"]:
        found.append(("slipped", row["p_close"].isoformat(), row["close_date"].isoformat()))
    return found


def _text(value) -> str | None:
    return None if value is None else str(value)
