"""Lead scores: load a workspace's facts in a few set-based queries, score, upsert.

A contact's score reads its own activities plus account-level ones logged without a
contact, and the best open deal it is on (or, failing that, its account's best open
deal). An open deal's score reads the activities on the deal, on its contact and on
its account. Activities older than LOOKBACK_DAYS are left out: they would add almost
nothing after the score's decay.

Notes are not matched here: each activity carries the `signal_marks` computed when it
was logged, so a whole-workspace scan is plain columns in, plain rows out.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Insert,
    Integer,
    String,
    bindparam,
    case,
    column,
    delete,
    exists,
    func,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from crm_store.models import (
    Account,
    Activity,
    Contact,
    Deal,
    DealStatus,
    LeadScore,
    Lifecycle,
    RescoreRequest,
    User,
    utcnow,
)
from crm_store.scoring import LeadInputs, Score, Touch, note_marks, score_lead
from crm_store.services.pipelines import default_pipeline, stage_map

LOOKBACK_DAYS = 180
UPSERT_BATCH = 5_000  # score rows per executemany


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


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """A score as `rescore` wrote it (the stored row, less its alert state)."""

    entity_type: str  # contact | deal
    entity_id: int
    score: int
    reasons: dict[str, Any]  # {"reasons": [[text, points], ...]}, as stored
    computed_at: dt.datetime


@dataclass(frozen=True)
class HotLead:
    """A scored contact as the hot-lead list shows it."""

    contact: Contact
    score: int
    reasons: list[tuple[str, int]]
    computed_at: dt.datetime
    owner: User | None


def reasons_of(row: LeadScore | ScoreRow) -> list[tuple[str, int]]:
    """The stored reasons as (text, points), largest first."""
    return [(str(text), int(points)) for text, points in (row.reasons or {}).get("reasons", [])]


def rescore(session: Session, *, team_id: str, contact_ids: Iterable[int] | None = None,
            now: dt.datetime) -> list[ScoreRow]:
    """Score the workspace's contacts and open deals (or just these contacts and their
    deals) and upsert their LeadScore rows; returns the scores written."""
    only = sorted(set(contact_ids)) if contact_ids is not None else None
    if only == []:
        return []
    with _collector_paused(only is None):
        return _rescore(session, team_id, only, now)


@contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    # A whole-workspace scan makes ~1M small objects (touches, reasons, rows) that all
    # live until it ends and form no cycles; the cyclic collector would walk them again
    # and again (a third of the scan's time at 100k contacts). Reference counting still
    # frees everything; the collector runs again afterwards.
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _rescore(session: Session, team_id: str, only: list[int] | None,
             now: dt.datetime) -> list[ScoreRow]:
    session.flush()  # pending ORM changes (say, an alert stamp) go in before the Core writes
    contacts = _contacts(session, team_id, only)
    account_ids = sorted({a for _, a in contacts if a is not None})
    deals = _open_deals(session, team_id, only, account_ids)
    touches = _touches(session, team_id, now, only, account_ids, [d.id for d in deals])
    average = _average_amount(session, team_id)
    labels = {k: s.label for k, s in stage_map(default_pipeline(session, team_id=team_id)).items()}

    by_contact: dict[int, list[tuple[int, Touch]]] = defaultdict(list)
    by_account: dict[int, list[tuple[int, Touch]]] = defaultdict(list)
    by_deal: dict[int, list[tuple[int, Touch]]] = defaultdict(list)
    for activity_id, contact_id, account_id, deal_id, touch in touches:
        if contact_id is not None:
            by_contact[contact_id].append((activity_id, touch))
        elif account_id is not None:
            by_account[account_id].append((activity_id, touch))
        if deal_id is not None:
            by_deal[deal_id].append((activity_id, touch))
    deals_of_contact: dict[int, list[_DealFacts]] = defaultdict(list)
    deals_of_account: dict[int, list[_DealFacts]] = defaultdict(list)
    for deal in deals:
        if deal.contact_id is not None:
            deals_of_contact[deal.contact_id].append(deal)
        if deal.account_id is not None:
            deals_of_account[deal.account_id].append(deal)

    none: list[Any] = []
    scores: list[tuple[str, int, Score]] = []
    for contact_id, account_id in contacts:
        # A contact's own activities and its account's contact-less ones never overlap.
        found = by_contact.get(contact_id, none) + by_account.get(account_id, none)
        candidates = deals_of_contact.get(contact_id) or deals_of_account.get(account_id, none)
        best = max(candidates, key=_weight, default=None)
        scores.append(("contact", contact_id, score_lead(
            _inputs([touch for _, touch in found], best, average, labels), now=now)))
    chosen = set(only) if only is not None else None
    for deal in deals:
        if chosen is not None and deal.contact_id is not None and deal.contact_id not in chosen:
            continue  # another contact's deal: its facts were not all loaded
        found = by_deal.get(deal.id, none) + by_contact.get(deal.contact_id, none) + \
            by_account.get(deal.account_id, none)
        unique = {activity_id: touch for activity_id, touch in found}  # one activity, one touch
        scores.append(("deal", deal.id, score_lead(
            _inputs(list(unique.values()), deal, average, labels), now=now)))

    if only is None:
        _forget_gone(session, team_id)
    return _upsert(session, team_id, scores, now)


def _weight(deal: _DealFacts) -> tuple[Decimal, int]:
    return deal.weight


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
             account_ids: list[int], deal_ids: list[int]
             ) -> list[tuple[int, int | None, int | None, int | None, Touch]]:
    # The body only travels for activities not marked yet (written around log_activity).
    unmarked_body = case((Activity.signal_marks.is_(None), Activity.body))
    query = select(Activity.id, Activity.contact_id, Activity.account_id, Activity.deal_id,
                   type_coerce(Activity.kind, String), Activity.occurred_at,
                   Activity.signal_marks, unmarked_body
                   ).where(Activity.team_id == team_id,
                           Activity.occurred_at >= now - dt.timedelta(days=LOOKBACK_DAYS),
                           Activity.occurred_at <= now)
    if only is not None:
        query = query.where(or_(Activity.contact_id.in_(only),
                                Activity.account_id.in_(account_ids),
                                Activity.deal_id.in_(deal_ids)))
    return [(aid, cid, acc, did, Touch(kind, at, "", note_marks(body or "") if marks is None
                                       else marks))
            for aid, cid, acc, did, kind, at, marks, body in session.execute(query)]


def _average_amount(session: Session, team_id: str) -> Decimal | None:
    """The average size of the workspace's open and won deals."""
    value = session.scalar(select(func.avg(Deal.amount)).where(
        Deal.team_id == team_id, Deal.status != DealStatus.LOST, Deal.amount > 0))
    return Decimal(str(value)) if value is not None else None


def _inputs(touches: list[Touch], deal: _DealFacts | None, average: Decimal | None,
            labels: dict[str, str]) -> LeadInputs:
    if deal is None:
        return LeadInputs(touches=touches)
    return LeadInputs(touches=touches, stage=labels.get(deal.stage, deal.stage),
                      probability=deal.probability, amount=deal.amount,
                      team_avg_amount=average, deal_touched_at=deal.updated_at)


def _forget_gone(session: Session, team_id: str) -> None:
    """Drop the scores of deleted contacts and of deals that are no longer open."""
    session.execute(delete(LeadScore).where(
        LeadScore.team_id == team_id, LeadScore.entity_type == "contact",
        ~exists().where(Contact.id == LeadScore.entity_id, Contact.team_id == team_id)))
    session.execute(delete(LeadScore).where(
        LeadScore.team_id == team_id, LeadScore.entity_type == "deal",
        ~exists().where(Deal.id == LeadScore.entity_id, Deal.team_id == team_id,
                        Deal.status == DealStatus.OPEN)))


def _upsert(session: Session, team_id: str, scores: list[tuple[str, int, Score]],
            now: dt.datetime) -> list[ScoreRow]:
    """Insert or update the scores in batches; the alert state of existing rows stays."""
    statement = _upsert_statement(session.get_bind().dialect.name)
    written = [ScoreRow(entity_type, entity_id, score.score,
                        {"reasons": [[r.text, r.points] for r in score.reasons]}, now)
               for entity_type, entity_id, score in scores]
    for start in range(0, len(written), UPSERT_BATCH):
        batch = [{"t": row.entity_type, "i": row.entity_id, "s": row.score, "r": row.reasons}
                 for row in written[start:start + UPSERT_BATCH]]
        session.execute(statement, {"team": team_id, "now": now, "rows": batch})
    # Rows this session already holds were changed behind its back: reload them on access.
    for held in list(session.identity_map.values()):
        if isinstance(held, LeadScore):
            session.expire(held)
    return written


@functools.cache
def _upsert_statement(dialect: str) -> Insert:
    """INSERT … SELECT from one JSON array parameter … ON CONFLICT DO UPDATE: one statement
    per batch, so the per-row cost is the database's, not the driver's."""
    table = LeadScore.__table__
    rows = bindparam("rows", type_=JSON)
    if dialect == "postgresql":
        source = func.json_to_recordset(rows).table_valued(
            column("t", String), column("i", BigInteger), column("s", Integer),
            column("r", JSON)).render_derived(name="src", with_types=True)
        values = [source.c.t, source.c.i, source.c.s, source.c.r]
        insert = pg_insert
    else:
        source = func.json_each(rows).table_valued("value").alias("src")
        values = [func.json_extract(source.c.value, f"$.{key}") for key in "tisr"]
        insert = sqlite_insert
    # WHERE true: SQLite needs it to tell the SELECT's end from the ON CONFLICT clause.
    select_rows = select(bindparam("team", type_=String), *values,
                         bindparam("now", type_=LeadScore.computed_at.type)
                         ).select_from(source).where(true())
    statement = insert(table).from_select(
        ["team_id", "entity_type", "entity_id", "score", "reasons", "computed_at"], select_rows)
    return statement.on_conflict_do_update(
        index_elements=[table.c.team_id, table.c.entity_type, table.c.entity_id],
        set_={"score": statement.excluded.score, "reasons": statement.excluded.reasons,
              "computed_at": statement.excluded.computed_at})


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


def request_rescore(session: Session, *, team_id: str, contact_id: int) -> None:
    """Queue a contact for rescoring (one cheap statement in the caller's write)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(RescoreRequest).values(team_id=team_id, contact_id=contact_id,
                                                  requested_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["team_id", "contact_id"]))


def rescore_requested(session: Session, *, now: dt.datetime, limit: int = 5000) -> int:
    """Rescore the queued contacts, team by team, and take them off the queue in the same
    transaction (so a crash leaves them queued); returns how many were rescored."""
    query = select(RescoreRequest.id, RescoreRequest.team_id, RescoreRequest.contact_id) \
        .order_by(RescoreRequest.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    queued = session.execute(query).all()
    if not queued:
        return 0
    session.execute(delete(RescoreRequest).where(RescoreRequest.id.in_([q.id for q in queued])))
    by_team: dict[str, set[int]] = defaultdict(set)
    for _, team_id, contact_id in queued:
        by_team[team_id].add(contact_id)
    for team_id, contact_ids in by_team.items():
        rescore(session, team_id=team_id, contact_ids=contact_ids, now=now)
    return sum(len(ids) for ids in by_team.values())
