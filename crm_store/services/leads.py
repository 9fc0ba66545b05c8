"""Lead scores: load a workspace's facts in a few set-based queries, score, upsert.

A contact's score reads its own activities plus account-level ones logged without a
contact, and the best open deal it is on (or, failing that, its account's best open
deal). An open deal's score reads the activities on the deal, on its contact and on
its account. Activities older than LOOKBACK_DAYS are left out: they would add almost
nothing after the score's decay.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from crm_store.models import (
    Account,
    Activity,
    Contact,
    Deal,
    DealStatus,
    LeadScore,
    Lifecycle,
    User,
)
from crm_store.scoring import LeadInputs, Score, Touch, score_lead
from crm_store.services.pipelines import default_pipeline, stage_map

LOOKBACK_DAYS = 180
MAX_TEXT = 4000  # characters of a note the scorer reads


@dataclass(frozen=True)
class _DealFacts:
    id: int
    contact_id: int | None
    account_id: int | None
    stage: str
    probability: int
    amount: Decimal | None
    updated_at: dt.datetime

    @property
    def weight(self) -> tuple[Decimal, int]:
        return (self.amount or Decimal(0)) * self.probability, self.probability


@dataclass(frozen=True)
class HotLead:
    """A scored contact as the hot-lead list shows it."""

    contact: Contact
    score: int
    reasons: list[tuple[str, int]]
    computed_at: dt.datetime
    owner: User | None


def reasons_of(row: LeadScore) -> list[tuple[str, int]]:
    """The stored reasons as (text, points), largest first."""
    return [(str(text), int(points)) for text, points in (row.reasons or {}).get("reasons", [])]


def rescore(session: Session, *, team_id: str, contact_ids: Iterable[int] | None = None,
            now: dt.datetime) -> list[LeadScore]:
    """Score the workspace's contacts and open deals (or just these contacts and their
    deals) and upsert their LeadScore rows; returns the rows written."""
    only = sorted(set(contact_ids)) if contact_ids is not None else None
    if only == []:
        return []
    contacts = _contacts(session, team_id, only)
    account_ids = sorted({a for _, a in contacts if a is not None})
    deals = _open_deals(session, team_id, only, account_ids)
    touches = _touches(session, team_id, now, only, account_ids, [d.id for d in deals])
    average = _average_amount(session, team_id)
    labels = {k: s.label for k, s in stage_map(default_pipeline(session, team_id=team_id)).items()}

    by_contact, by_account, by_deal = defaultdict(list), defaultdict(list), defaultdict(list)
    for activity_id, contact_id, account_id, deal_id, touch in touches:
        if contact_id is not None:
            by_contact[contact_id].append((activity_id, touch))
        elif account_id is not None:
            by_account[account_id].append((activity_id, touch))
        if deal_id is not None:
            by_deal[deal_id].append((activity_id, touch))
    deals_of_contact, deals_of_account = defaultdict(list), defaultdict(list)
    for deal in deals:
        if deal.contact_id is not None:
            deals_of_contact[deal.contact_id].append(deal)
        if deal.account_id is not None:
            deals_of_account[deal.account_id].append(deal)

    scores: dict[tuple[str, int], Score] = {}
    for contact_id, account_id in contacts:
        found = by_contact[contact_id] + (by_account[account_id] if account_id else [])
        candidates = deals_of_contact[contact_id] or (
            deals_of_account[account_id] if account_id else [])
        best = max(candidates, key=lambda d: d.weight, default=None)
        scores[("contact", contact_id)] = score_lead(
            _inputs(found, best, average, labels), now=now)
    for deal in deals:
        if only is not None and deal.contact_id is not None and deal.contact_id not in only:
            continue  # another contact's deal: its facts were not all loaded
        found = by_deal[deal.id] + (by_contact[deal.contact_id] if deal.contact_id else []) + \
            (by_account[deal.account_id] if deal.account_id else [])
        scores[("deal", deal.id)] = score_lead(_inputs(found, deal, average, labels), now=now)

    if only is None:
        _forget_gone(session, team_id)
    return _upsert(session, team_id, scores, now)


def _contacts(session: Session, team_id: str, only: list[int] | None) -> list[tuple[int, int]]:
    query = select(Contact.id, Contact.account_id).where(Contact.team_id == team_id)
    if only is not None:
        query = query.where(Contact.id.in_(only))
    return [(cid, aid) for cid, aid in session.execute(query)]


def _open_deals(session: Session, team_id: str, only: list[int] | None,
                account_ids: list[int]) -> list[_DealFacts]:
    query = select(Deal.id, Deal.contact_id, Deal.account_id, Deal.stage, Deal.probability,
                   Deal.amount, Deal.updated_at).where(Deal.team_id == team_id,
                                                       Deal.status == DealStatus.OPEN)
    if only is not None:
        query = query.where(or_(Deal.contact_id.in_(only), Deal.account_id.in_(account_ids)))
    return [_DealFacts(*row) for row in session.execute(query.order_by(Deal.id))]


def _touches(session: Session, team_id: str, now: dt.datetime, only: list[int] | None,
             account_ids: list[int], deal_ids: list[int]):
    query = select(Activity.id, Activity.contact_id, Activity.account_id, Activity.deal_id,
                   Activity.kind, Activity.occurred_at, func.substr(Activity.body, 1, MAX_TEXT)
                   ).where(Activity.team_id == team_id,
                           Activity.occurred_at >= now - dt.timedelta(days=LOOKBACK_DAYS),
                           Activity.occurred_at <= now)
    if only is not None:
        query = query.where(or_(Activity.contact_id.in_(only),
                                Activity.account_id.in_(account_ids),
                                Activity.deal_id.in_(deal_ids)))
    return [(aid, cid, acc, did, Touch(kind=str(getattr(kind, "value", kind)),
                                       occurred_at=at, text=body or ""))
            for aid, cid, acc, did, kind, at, body in session.execute(query)]


def _average_amount(session: Session, team_id: str) -> Decimal | None:
    """The average size of the workspace's open and won deals."""
    value = session.scalar(select(func.avg(Deal.amount)).where(
        Deal.team_id == team_id, Deal.status != DealStatus.LOST, Deal.amount > 0))
    return Decimal(str(value)) if value is not None else None


def _inputs(found: list[tuple[int, Touch]], deal: _DealFacts | None, average: Decimal | None,
            labels: dict[str, str]) -> LeadInputs:
    unique = {activity_id: touch for activity_id, touch in found}  # one activity, one touch
    if deal is None:
        return LeadInputs(touches=tuple(unique.values()))
    return LeadInputs(touches=tuple(unique.values()), stage=labels.get(deal.stage, deal.stage),
                      probability=deal.probability, amount=deal.amount,
                      team_avg_amount=average, deal_touched_at=deal.updated_at)


def _forget_gone(session: Session, team_id: str) -> None:
    """Drop the scores of deleted contacts and of deals that are no longer open."""
    session.execute(delete(LeadScore).where(
        LeadScore.team_id == team_id, LeadScore.entity_type == "contact",
        LeadScore.entity_id.not_in(select(Contact.id).where(Contact.team_id == team_id))))
    session.execute(delete(LeadScore).where(
        LeadScore.team_id == team_id, LeadScore.entity_type == "deal",
        LeadScore.entity_id.not_in(select(Deal.id).where(Deal.team_id == team_id,
                                                         Deal.status == DealStatus.OPEN))))


def _upsert(session: Session, team_id: str, scores: dict[tuple[str, int], Score],
            now: dt.datetime) -> list[LeadScore]:
    existing: dict[tuple[str, int], LeadScore] = {}
    for entity_type in ("contact", "deal"):
        ids = [i for t, i in scores if t == entity_type]
        for start in range(0, len(ids), 1000):  # keep IN lists a sane size
            for row in session.scalars(select(LeadScore).where(
                    LeadScore.team_id == team_id, LeadScore.entity_type == entity_type,
                    LeadScore.entity_id.in_(ids[start:start + 1000]))):
                existing[(row.entity_type, row.entity_id)] = row
    written = []
    for (entity_type, entity_id), score in scores.items():
        reasons = {"reasons": [[r.text, r.points] for r in score.reasons]}
        row = existing.get((entity_type, entity_id))
        if row is None:
            row = LeadScore(team_id=team_id, entity_type=entity_type, entity_id=entity_id)
            session.add(row)
        row.score, row.reasons, row.computed_at = score.score, reasons, now
        written.append(row)
    session.flush()
    return written


def top_leads(session: Session, *, team_id: str, limit: int = 5,
              owner_ids: Iterable[int] | None = None) -> list[HotLead]:
    """The highest-scored live contacts (by their or their account's owner), best first."""
    owner = func.coalesce(Contact.owner_id, Account.owner_id)
    query = (
        select(LeadScore, Contact, owner)
        .join(Contact, (Contact.id == LeadScore.entity_id) & (LeadScore.entity_type == "contact"))
        .outerjoin(Account, Account.id == Contact.account_id)
        .where(LeadScore.team_id == team_id, Contact.team_id == team_id, LeadScore.score > 0,
               Contact.lifecycle != Lifecycle.DEAD)
        .order_by(LeadScore.score.desc(), LeadScore.computed_at.desc(), Contact.id)
        .limit(limit)
    )
    if owner_ids is not None:
        query = query.where(owner.in_(list(owner_ids)))
    rows = session.execute(query).all()
    owner_rows = {u.id: u for u in session.scalars(
        select(User).where(User.id.in_({o for _, _, o in rows if o is not None})))}
    return [HotLead(contact=contact, score=row.score, reasons=reasons_of(row),
                    computed_at=row.computed_at, owner=owner_rows.get(owner_id))
            for row, contact, owner_id in rows]
