"""What changed in the pipeline over a period, read from the deals' history rows.

Each history row is compared with the row before it for the same deal: a first row is a
new deal; a move between open stages is forward or back by funnel position; a change of
status to won or lost; an amount change; a close date moved later while open is a slip.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import bindparam, select, true, tuple_
from sqlalchemy.orm import Session, aliased

from crm_store.models import Account, Deal, DealStageChange, DealStatus, User
from crm_store.services.pipelines import default_pipeline, stage_map

CHANGE_KINDS = ("new", "forward", "back", "won", "lost", "amount", "slipped")


class Change(NamedTuple):  # immutable and cheap to make: a week is ~1,600 of them
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
    if kinds and set(kinds) == {"new"}:
        return _new_deals(session, team_id=team_id, start=start, end=end, owner_ids=owner_ids)
    query = _changes_query(session.get_bind().dialect.name == "postgresql",
                           owners=owner_ids is not None)
    args = {"team_id": team_id, "start": start, "end": end, "owner_ids": owner_ids}
    position = {k: s.position for k, s in stage_map(default_pipeline(session,
                                                                     team_id=team_id)).items()}
    wanted = set(kinds or CHANGE_KINDS)
    changes = []
    # Plain tuples off the session's connection: ~1,600 rows a week, no ORM row handling.
    for row in session.connection().execute(query, args):
        deal_id, at, amount, title, account, owner = (row[1], row[2], row[5], row[13],
                                                       row[14], row[15])
        for kind, before, after in _kinds_of(_Compared._make(row[3:13]), position):
            if kind in wanted:
                changes.append(Change(kind, deal_id, title, account, owner, at, before, after,
                                      amount))
    return changes


class _Compared(NamedTuple):
    """A history row and the one before it of the same deal (prev_id None: none)."""

    from_stage: str | None
    to_stage: str
    amount: Decimal | None
    close_date: dt.date | None
    status: str
    prev_id: int | None
    p_amount: Decimal | None
    p_close: dt.date | None
    p_status: str | None
    p_stage: str | None


@functools.cache
def _changes_query(postgresql: bool, *, owners: bool):  # noqa: ANN202
    """The statement of `pipeline_changes`, built once per backend (with :team_id, :start,
    :end, :owner_ids): building it costs more than running it on a quiet week."""
    h = DealStageChange
    # Each change of the period against the row before it of the same deal (what lag()
    # over the deal's history by (changed_at, id) gives): one seek backwards on
    # ix_deal_stage_history_deal per change, instead of reading every history row of the
    # deals touched. PostgreSQL fetches that row, and the deal's names, with LATERAL (as a
    # plain join its planner hashes all 50k deals for ~1,500 of them); SQLite (no
    # LATERAL) finds the previous row's id with a scalar subquery and joins by primary key.
    p = aliased(DealStageChange, name="prev_row")
    before = (p.deal_id == h.deal_id, tuple_(p.changed_at, p.id) < tuple_(h.changed_at, h.id))
    newest = (p.changed_at.desc(), p.id.desc())
    in_period = (h.team_id == bindparam("team_id"),
                 h.changed_at >= bindparam("start", type_=h.changed_at.type),
                 h.changed_at < bindparam("end", type_=h.changed_at.type))
    if postgresql:
        prev = (select(p.id, p.amount, p.close_date, p.status, p.to_stage).where(*before)
                .order_by(*newest).limit(1).lateral("prev"))
        # LIMIT 1 (an id is one deal) keeps it a lookup per change: PostgreSQL would
        # otherwise flatten it back into the plain join.
        deal = (select(Deal.title, Deal.account_id, Deal.owner_id).where(Deal.id == h.deal_id)
                .limit(1).lateral("deal"))
        source = select().select_from(h).outerjoin(prev, true()).join(deal, true())
        prev, deal = prev.c, deal.c
    else:
        prev_id = select(p.id).where(*before).order_by(*newest).limit(1).scalar_subquery()
        picked = (select(h.id.label("change_id"), prev_id.label("prev_id")).where(*in_period)
                  .subquery("picked"))
        prev, deal = aliased(DealStageChange, name="prev"), Deal
        source = (select().select_from(h).join(picked, picked.c.change_id == h.id)
                  .outerjoin(prev, prev.id == picked.c.prev_id)
                  .join(Deal, Deal.id == h.deal_id))
    query = (source.add_columns(
                 h.id, h.deal_id, h.changed_at, h.from_stage, h.to_stage, h.amount,
                 h.close_date, h.status, prev.id.label("prev_id"),
                 prev.amount.label("p_amount"), prev.close_date.label("p_close"),
                 prev.status.label("p_status"), prev.to_stage.label("p_stage"), deal.title,
                 Account.name.label("account"), User.name.label("owner"))
             .outerjoin(Account, Account.id == deal.account_id)
             .outerjoin(User, User.id == deal.owner_id)
             .where(*in_period)
             .order_by(h.changed_at, h.id))
    if owners:
        query = query.where(deal.owner_id.in_(bindparam("owner_ids", expanding=True)))
    return query


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
             .where(h.changed_at >= start, h.changed_at < end, h.from_stage.is_(None))
             .order_by(h.changed_at, h.id))
    if owner_ids is not None:
        # The owners' deals first (ix_deals_owner_close, ~1,000 for a rep), then each one's
        # rows of the period (ix_deal_stage_history_deal). In one statement PostgreSQL
        # reads every history row of the period instead and keeps the owners' (3–4× slower).
        ids = list(session.scalars(select(Deal.id).where(Deal.team_id == team_id,
                                                         Deal.owner_id.in_(owner_ids))))
        if not ids:
            return []
        query = query.where(h.deal_id.in_(ids))
    else:
        query = query.where(h.team_id == team_id)
    return [Change(kind="new", deal_id=r.deal_id, title=r.title, account=r.account,
                   owner=r.owner, at=r.changed_at, before=None, after=r.to_stage,
                   amount=r.amount) for r in session.execute(query)]


def _kinds_of(row: _Compared, position: dict[str, int]) -> list[tuple[str, str | None,
                                                                       str | None]]:
    if row.prev_id is None:
        return [("new", None, row.to_stage)]
    found: list[tuple[str, str | None, str | None]] = []
    status, p_status = DealStatus(row.status), DealStatus(row.p_status)
    if status != p_status and status in (DealStatus.WON, DealStatus.LOST):
        found.append((status.value, row.p_stage, row.to_stage))
    elif status == DealStatus.OPEN and p_status == DealStatus.OPEN \
            and row.to_stage != row.p_stage:
        ahead = position.get(row.to_stage, 0) > position.get(row.p_stage, 0)
        found.append(("forward" if ahead else "back", row.p_stage, row.to_stage))
    if row.amount != row.p_amount:
        found.append(("amount", _text(row.p_amount), _text(row.amount)))
    if status == DealStatus.OPEN and row.close_date and row.p_close \
            and row.close_date > row.p_close:
        found.append(("slipped", row.p_close.isoformat(), row.close_date.isoformat()))
    return found


def _text(value) -> str | None:
    return None if value is None else str(value)
