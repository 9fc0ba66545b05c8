"""Open deals at risk, each with the reasons it is listed.

Reasons: the close date has passed (slipped); no activity on the deal or its account
for N days (quiet); longer in its stage than deals usually stay there (stuck); one
contact or none at the account (single-threaded); closing within days at an early
stage (early close).

Each reason is a 0/1 flag computed in the database in one pass over the open deals,
from what is kept on each deal and its account (the last touch, the time it entered its
stage: crm_store.services.touches and .deals) plus one grouped count of contacts per
account, so only the listed deals come back to Python; the details said in each reason
("no activity for 19 days") are read for those deals alone.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from crm_store.models import (
    Account,
    Deal,
    DealStageChange,
    DealStatus,
    User,
    UTCDateTime,
)
from crm_store.services.pipelines import default_pipeline, stage_map
from crm_store.services.reports import _days_between

RISK_KINDS = ("overdue", "quiet", "stuck", "single_contact", "early_close")
EARLY_PROBABILITY = 50  # below this a deal is at an early stage (lead, qualified, demo)


@dataclass(frozen=True)
class RiskRules:
    quiet_days: int = 14
    soon_days: int = 14
    stuck_factor: float = 1.5  # times the usual stay in a stage
    usual_sample: int = 2000  # "usual" is learned from this many latest exits from a stage


@dataclass
class AtRisk:
    deal_id: int
    title: str
    account: str | None
    owner: str | None
    stage: str
    amount: Decimal | None
    currency: str
    close_date: dt.date | None
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (kind, words)


@dataclass
class RiskList:
    count: int  # every deal at risk
    amount: Decimal  # their total amount
    deals: list[AtRisk]  # the first `limit`: most reasons, then largest


def usual_stage_days(session: Session, *, team_id: str,
                     sample: int = 2000) -> dict[str, float]:
    """Average days deals stayed in each stage, over the team's latest `sample` exits from
    a stage: a bounded read however long the history, and today's norm, not 2019's."""
    h, e = DealStageChange, aliased(DealStageChange)
    entered = select(func.max(e.changed_at)).where(
        e.deal_id == h.deal_id, e.to_stage == h.from_stage, e.changed_at <= h.changed_at,
        or_(e.from_stage.is_(None), e.from_stage != e.to_stage)).scalar_subquery()
    exits = (select(h.from_stage.label("stage"), h.changed_at.label("left_at"),
                    entered.label("entered_at"))
             .where(h.team_id == team_id, h.from_stage.is_not(None), h.from_stage != h.to_stage)
             .order_by(h.changed_at.desc(), h.id.desc()).limit(sample).subquery())
    stay = _days_between(session, exits.c.left_at, exits.c.entered_at)
    rows = session.execute(select(exits.c.stage, func.avg(stay))
                           .where(exits.c.entered_at.is_not(None)).group_by(exits.c.stage))
    return {stage: float(days) for stage, days in rows if days is not None}


def deals_at_risk(session: Session, *, team_id: str, now: dt.datetime, today: dt.date,
                  owner_ids: tuple[int, ...] | None = None,
                  kinds: tuple[str, ...] | None = None,
                  rules: RiskRules = RiskRules(), limit: int = 25) -> RiskList:
    """Open deals with at least one wanted reason: how many, their amount, and the first
    `limit` (most reasons, then largest) with every reason in words."""
    wanted = set(kinds or RISK_KINDS)
    stages = stage_map(default_pipeline(session, team_id=team_id))
    usual: dict[str, float] = {}
    cut: dict[str, dt.datetime] = {}
    if "stuck" in wanted:
        usual = {k: v for k, v in usual_stage_days(
            session, team_id=team_id, sample=rules.usual_sample).items()
            if k in stages and not stages[k].closes_as}
        cut = {k: now - dt.timedelta(days=rules.stuck_factor * v) for k, v in usual.items()}
    query = _flagged_query(frozenset(wanted), tuple(sorted(cut)), owners=owner_ids is not None)
    if query is None:
        return RiskList(0, Decimal(0), [])
    args = {"team_id": team_id, "owner_ids": owner_ids, "today": today, "limit": limit,
            "since": now - dt.timedelta(days=rules.quiet_days),
            "soon": today + dt.timedelta(days=rules.soon_days),
            **{f"cut_{i}": cut[k] for i, k in enumerate(sorted(cut))}}
    rows = session.connection().execute(query, args).mappings().all()
    if not rows:
        return RiskList(0, Decimal(0), [])
    listed = _details(session, [r["id"] for r in rows])
    found = []
    for row in rows:
        deal, facts = listed[row["id"]]
        deal.reasons = _reasons(deal, row, facts, now, usual, stages)
        found.append(deal)
    total_amount = Decimal(str(rows[0]["total_amount"] or 0)).quantize(Decimal("0.01"))
    return RiskList(int(rows[0]["total"]), total_amount, found)


@functools.cache
def _flagged_query(wanted: frozenset[str], cut_stages: tuple[str, ...], *, owners: bool):  # noqa: ANN202
    """The open deals with at least one wanted reason, most reasons then largest first, with
    their count and amount. Built once per shape, as building it costs more than a small
    run; bound: :team_id, :owner_ids, :today, :since, :soon, :limit and :cut_<i>, the
    cut-off of the i-th stage of `cut_stages`."""
    scope = [Deal.team_id == bindparam("team_id"), Deal.status == DealStatus.OPEN]
    if owners:
        scope.append(Deal.owner_id.in_(bindparam("owner_ids", expanding=True)))
    today, moment = bindparam("today", type_=Deal.close_date.type), UTCDateTime()
    account = aliased(Account, name="deal_account")  # joined once, for quiet and single
    flags: dict = {}
    if "overdue" in wanted:
        flags["overdue"] = case((Deal.close_date < today, 1), else_=0)
    if "quiet" in wanted:
        # The last touch kept on the deal and its account (crm_store.services.touches).
        since = bindparam("since", type_=moment)
        flags["quiet"] = case((or_(account.last_activity_at >= since,
                                   Deal.last_activity_at >= since), 0), else_=1)
    if "stuck" in wanted and cut_stages:
        # Stuck: entered its current stage (Deal.stage_entered_at) before that stage's
        # cut-off (1.5× the usual stay ago).
        stage_cut = case(*((Deal.stage == k, bindparam(f"cut_{i}", type_=moment))
                           for i, k in enumerate(cut_stages)))
        flags["stuck"] = case((Deal.stage_entered_at < stage_cut, 1), else_=0)
    if "single_contact" in wanted:
        # The account's kept contact count (crm_store.services.touches); no account: none.
        flags["single_contact"] = case((func.coalesce(account.contact_count, 0) <= 1, 1),
                                       else_=0)
    if "early_close" in wanted:
        soon = bindparam("soon", type_=Deal.close_date.type)
        flags["early_close"] = case((and_(Deal.close_date >= today, Deal.close_date <= soon,
                                          Deal.probability < EARLY_PROBABILITY), 1), else_=0)
    if not flags:
        return None
    inner = select(Deal.id, Deal.amount, _sum(list(flags.values())).label("reasons"),
                   *(f.label(k) for k, f in flags.items())).select_from(Deal)
    if {"quiet", "single_contact"} & set(flags):
        inner = inner.outerjoin(account, account.id == Deal.account_id)
    # OFFSET 0: PostgreSQL would otherwise inline the subquery and work the reasons out
    # twice per deal (filter and sort key); ~20% of this pass.
    inner = inner.where(*scope).offset(0).subquery("flagged")
    return (select(inner, func.count().over().label("total"),
                   func.sum(inner.c.amount).over().label("total_amount"))
            .where(inner.c.reasons > 0)
            .order_by(inner.c.reasons.desc(), inner.c.amount.desc().nulls_last(), inner.c.id)
            .limit(bindparam("limit")))


def _sum(terms: list):
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _details(session: Session, ids: list[int]) -> dict[int, tuple[AtRisk, dict]]:
    """The listed deals with what their reasons say: last touch, stage entry, contacts."""
    extra = {
        "on_account": Account.last_activity_at,
        "on_deal": Deal.last_activity_at,
        "entered": Deal.stage_entered_at,
        "contacts": Account.contact_count,
    }
    query = (select(Deal.id, Deal.title, Account.name.label("account"),
                    User.name.label("owner"), Deal.stage, Deal.amount, Deal.currency,
                    Deal.close_date, *(c.label(k) for k, c in extra.items()))
             .outerjoin(Account, Account.id == Deal.account_id)
             .outerjoin(User, User.id == Deal.owner_id).where(Deal.id.in_(ids)))
    out = {}
    for row in session.execute(query).mappings():
        deal = AtRisk(deal_id=row["id"], title=row["title"], account=row["account"],
                      owner=row["owner"], stage=row["stage"], amount=row["amount"],
                      currency=row["currency"], close_date=row["close_date"])
        out[deal.deal_id] = (deal, dict(row))
    return out


def _reasons(deal: AtRisk, flags, facts, now, usual, stages) -> list[tuple[str, str]]:
    close = deal.close_date
    label = stages[deal.stage].label if deal.stage in stages else deal.stage
    reasons = []
    if flags.get("overdue"):
        reasons.append(("overdue", f"slipped, was due {close:%b} {close.day}"))
    if flags.get("quiet"):
        last = max((t for t in (facts["on_account"], facts["on_deal"]) if t is not None),
                   default=None)
        reasons.append(("quiet", f"no activity for {(now - last).days} days" if last
                        else "no activity logged"))
    if flags.get("stuck") and facts["entered"] is not None:
        days = (now - facts["entered"]).total_seconds() / 86400
        reasons.append(("stuck", f"in {label} {days:.0f} days (usually "
                                 f"{usual[deal.stage]:.0f})"))
    if flags.get("single_contact"):
        reasons.append(("single_contact", "one contact at the account" if facts["contacts"]
                        else "no contact at the account"))
    if flags.get("early_close"):
        reasons.append(("early_close", f"closes {close:%b} {close.day} but still in {label}"))
    return reasons
