"""Open deals at risk, each with the reasons it is listed.

Reasons: the close date has passed (slipped); no activity on the deal or its account
for N days (quiet); longer in its stage than deals usually stay there (stuck); one
contact or none at the account (single-threaded); closing within days at an early
stage (early close).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from crm_store.models import Account, Activity, Contact, Deal, DealStageChange, DealStatus, User
from crm_store.services.pipelines import default_pipeline, stage_map
from crm_store.services.reports import _days_between

RISK_KINDS = ("overdue", "quiet", "stuck", "single_contact", "early_close")
EARLY_PROBABILITY = 50  # below this a deal is at an early stage (lead, qualified, demo)


@dataclass(frozen=True)
class RiskRules:
    quiet_days: int = 14
    soon_days: int = 14
    stuck_factor: float = 1.5  # times the usual stay in a stage


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


def usual_stage_days(session: Session, *, team_id: str) -> dict[str, float]:
    """Average days deals stayed in each open stage before leaving it."""
    h = DealStageChange
    entered = (select(h.deal_id, h.to_stage, h.changed_at,
                      func.lead(h.changed_at, type_=h.changed_at.type).over(
                          partition_by=h.deal_id, order_by=(h.changed_at, h.id)).label("left_at"))
               .where(h.team_id == team_id,
                      or_(h.from_stage.is_(None), h.from_stage != h.to_stage))
               .subquery())
    stay = _days_between(session, entered.c.left_at, entered.c.changed_at)
    rows = session.execute(select(entered.c.to_stage, func.avg(stay))
                           .where(entered.c.left_at.is_not(None))
                           .group_by(entered.c.to_stage))
    return {stage: float(days) for stage, days in rows if days is not None}


def deals_at_risk(session: Session, *, team_id: str, now: dt.datetime, today: dt.date,
                  owner_ids: tuple[int, ...] | None = None,
                  kinds: tuple[str, ...] | None = None,
                  rules: RiskRules = RiskRules()) -> list[AtRisk]:
    """Open deals with at least one wanted reason, most reasons then largest first."""
    wanted = set(kinds or RISK_KINDS)
    stages = stage_map(default_pipeline(session, team_id=team_id))
    columns = [Deal.id, Deal.title, Account.name.label("account"), User.name.label("owner"),
               Deal.stage, Deal.amount,
               Deal.currency, Deal.close_date, Deal.probability]
    extra: dict[str, object] = {}
    if "quiet" in wanted:
        extra["on_account"] = select(func.max(Activity.occurred_at)).where(
            Activity.account_id == Deal.account_id).scalar_subquery()
        extra["on_deal"] = select(func.max(Activity.occurred_at)).where(
            Activity.deal_id == Deal.id).scalar_subquery()
    if "stuck" in wanted:
        h = DealStageChange
        extra["entered"] = select(func.max(h.changed_at)).where(
            h.deal_id == Deal.id, h.to_stage == Deal.stage,
            or_(h.from_stage.is_(None), h.from_stage != h.to_stage)).scalar_subquery()
    if "single_contact" in wanted:
        extra["contacts"] = select(func.count(Contact.id)).where(
            Contact.account_id == Deal.account_id).scalar_subquery()
    query = (select(*columns, *(c.label(k) for k, c in extra.items()))
             .outerjoin(Account, Account.id == Deal.account_id)
             .outerjoin(User, User.id == Deal.owner_id)
             .where(Deal.team_id == team_id, Deal.status == DealStatus.OPEN))
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    if wanted == {"overdue"}:
        query = query.where(Deal.close_date < today)
    elif wanted == {"early_close"}:
        query = query.where(and_(Deal.close_date >= today,
                                 Deal.close_date <= today + dt.timedelta(days=rules.soon_days),
                                 Deal.probability < EARLY_PROBABILITY))
    usual = usual_stage_days(session, team_id=team_id) if "stuck" in wanted else {}
    found = []
    for row in session.execute(query).mappings():
        deal = AtRisk(deal_id=row["id"], title=row["title"], account=row["account"],
                      owner=row["owner"],
                      stage=row["stage"], amount=row["amount"], currency=row["currency"],
                      close_date=row["close_date"])
        deal.reasons = _reasons(row, wanted, now, today, rules, usual, stages)
        if deal.reasons:
            found.append(deal)
    return sorted(found, key=lambda d: (-len(d.reasons), -(d.amount or 0), d.deal_id))


def _reasons(row, wanted, now, today, rules, usual, stages) -> list[tuple[str, str]]:
    reasons = []
    close = row["close_date"]
    label = stages[row["stage"]].label if row["stage"] in stages else row["stage"]
    if "overdue" in wanted and close is not None and close < today:
        reasons.append(("overdue", f"slipped, was due {close:%b} {close.day}"))
    if "quiet" in wanted:
        last = max((t for t in (row["on_account"], row["on_deal"]) if t is not None),
                   default=None)
        if last is None:
            reasons.append(("quiet", "no activity logged"))
        elif now - last >= dt.timedelta(days=rules.quiet_days):
            reasons.append(("quiet", f"no activity for {(now - last).days} days"))
    if "stuck" in wanted and row["entered"] is not None and row["stage"] in usual:
        days = (now - row["entered"]).total_seconds() / 86400
        if days > rules.stuck_factor * usual[row["stage"]]:
            reasons.append(("stuck", f"in {label} {days:.0f} days (usually "
                                     f"{usual[row['stage']]:.0f})"))
    if "single_contact" in wanted and row["contacts"] <= 1:
        reasons.append(("single_contact", "one contact at the account" if row["contacts"]
                        else "no contact at the account"))
    if "early_close" in wanted and close is not None and \
            today <= close <= today + dt.timedelta(days=rules.soon_days) and \
            row["probability"] < EARLY_PROBABILITY:
        reasons.append(("early_close", f"closes {close:%b} {close.day} but still in {label}"))
    return reasons
