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
import queue
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    Insert,
    Integer,
    String,
    Text,
    bindparam,
    cast,
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
from sqlalchemy.engine import Connection
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
from crm_store.scoring import DealTerms, Facts, Score, deal_size, note_marks, score_facts
from crm_store.services.pipelines import default_pipeline, stage_map

if TYPE_CHECKING:
    from crm_store.db import Database

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
    session.flush()  # pending ORM changes (say, an alert stamp) go in before the Core writes
    with _collector_paused(only is None):
        scores = list(_scores(session, team_id, only, now))
        if only is None:
            _forget_gone(session, team_id)
        return _upsert(session, team_id, scores, now)


def rescore_workspace(db: Database, *, team_id: str, now: dt.datetime) -> int:
    """Rescore every contact and open deal of a workspace (the nightly pass) and commit;
    returns how many scores were written.

    The facts are read in a read-only transaction and scored in this thread, while a
    second connection writes each batch of scores as soon as it is ready and commits them
    all at the end: the database's write work overlaps the scoring instead of following it.
    """
    # Little is queued, so when the scoring ends the writer has little left to do.
    batches: queue.Queue[list[dict[str, Any]] | None] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def write() -> int:
        written = 0
        with db.engine.begin() as conn:
            _forget_gone(conn, team_id)  # while the facts are read
            statement = _upsert_statement(conn.dialect.name)
            while (batch := batches.get()) is not None:
                conn.execute(statement, {"team": team_id, "now": now, "rows": batch})
                written += len(batch)
            if stop.is_set():
                raise _Abandoned
        return written

    with ThreadPoolExecutor(1, thread_name_prefix="rescore-writer") as pool:
        writer = pool.submit(write)
        try:
            with db.session(readonly=True) as session, _collector_paused(True):
                batch: list[dict[str, Any]] = []
                for entity_type, entity_id, score in _scores(session, team_id, None, now):
                    batch.append(_payload(entity_type, entity_id, score.score,
                                          {"reasons": score.reasons}))
                    if len(batch) == UPSERT_BATCH:
                        _hand_over(batches, batch, writer)
                        batch = []
                if batch:
                    _hand_over(batches, batch, writer)
        except BaseException:
            stop.set()  # the writer rolls back what it wrote
            raise
        finally:
            if not writer.done():
                _hand_over(batches, None, writer)
        return writer.result()


class _Abandoned(Exception):
    """The scoring side failed: the writer rolls back."""


def _hand_over(batches: queue.Queue[Any], batch: list[dict[str, Any]] | None,
               writer: Future[int]) -> None:
    # Waits for room, but not on a writer that has stopped (its error surfaces on result()).
    while not writer.done():
        try:
            batches.put(batch, timeout=0.1)
            return
        except queue.Full:
            continue
    writer.result()


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


def _scores(session: Session, team_id: str, only: list[int] | None,
            now: dt.datetime) -> Iterator[tuple[str, int, Score]]:
    """Each contact's and open deal's score, as it is worked out (after one pass that
    reads every fact)."""
    contacts = _contacts(session, team_id, only)
    account_ids = sorted({a for _, a in contacts if a is not None})
    deals = _open_deals(session, team_id, only, account_ids)
    deal_by_id = {deal.id: deal for deal in deals}

    # Each activity is summed once into the facts of whatever it is on: its contact, or
    # its account when it names no contact; and its deal, unless the deal's contact or
    # account facts already hold it (a deal reads all three).
    own: dict[int, Facts] = {}
    loose: dict[int, Facts] = {}
    on_deal: dict[int, Facts] = {}
    for contact_id, account_id, deal_id, kind, age, marks in _touches(
            session, team_id, now, only, account_ids, list(deal_by_id)):
        if contact_id is not None:
            facts = own.get(contact_id)
            if facts is None:
                facts = own[contact_id] = Facts()
            facts.add(kind, age, marks)
        elif account_id is not None:
            facts = loose.get(account_id)
            if facts is None:
                facts = loose[account_id] = Facts()
            facts.add(kind, age, marks)
        if deal_id is not None and deal_id in deal_by_id:
            deal = deal_by_id[deal_id]
            if contact_id is not None and contact_id == deal.contact_id \
                    or contact_id is None and account_id is not None \
                    and account_id == deal.account_id:
                continue
            facts = on_deal.get(deal_id)
            if facts is None:
                facts = on_deal[deal_id] = Facts()
            facts.add(kind, age, marks)

    average = _average_amount(session, team_id)
    labels = {k: s.label for k, s in stage_map(default_pipeline(session, team_id=team_id)).items()}
    terms = {deal.id: DealTerms(labels.get(deal.stage, deal.stage), deal.probability,
                                deal_size(deal.amount, average),
                                max(0.0, (now - deal.updated_at).total_seconds() / 86400))
             for deal in deals}
    deals_of_contact: dict[int, list[_DealFacts]] = defaultdict(list)
    deals_of_account: dict[int, list[_DealFacts]] = defaultdict(list)
    for deal in deals:
        if deal.contact_id is not None:
            deals_of_contact[deal.contact_id].append(deal)
        if deal.account_id is not None:
            deals_of_account[deal.account_id].append(deal)

    nothing = Facts()
    for contact_id, account_id in contacts:
        facts = _together(own.get(contact_id), loose.get(account_id)) or nothing
        candidates = deals_of_contact.get(contact_id) or deals_of_account.get(account_id)
        best = max(candidates, key=_weight) if candidates else None
        yield "contact", contact_id, score_facts(facts, terms[best.id] if best else None)
    chosen = set(only) if only is not None else None
    for deal in deals:
        if chosen is not None and deal.contact_id is not None and deal.contact_id not in chosen:
            continue  # another contact's deal: its facts were not all loaded
        facts = _together(on_deal.get(deal.id), own.get(deal.contact_id),
                          loose.get(deal.account_id)) or nothing
        yield "deal", deal.id, score_facts(facts, terms[deal.id])


def _together(*parts: Facts | None) -> Facts | None:
    present = [part for part in parts if part is not None]
    if len(present) < 2:
        return present[0] if present else None
    return present[0].merge(*present[1:])


def _weight(deal: _DealFacts) -> tuple[Decimal, int]:
    return deal.weight


# The loads below run as Core statements on the session's connection: plain tuples, no
# ORM row handling (a whole-workspace scan reads ~100k contacts and ~300k activities).


def _contacts(session: Session, team_id: str, only: list[int] | None) -> list[tuple[int, int]]:
    query = select(Contact.id, Contact.account_id).where(Contact.team_id == team_id)
    if only is not None:
        query = query.where(Contact.id.in_(only))
    return [(cid, aid) for cid, aid in session.connection().execute(query)]


def _open_deals(session: Session, team_id: str, only: list[int] | None,
                account_ids: list[int]) -> list[_DealFacts]:
    query = select(Deal.id, Deal.contact_id, Deal.account_id, Deal.stage, Deal.probability,
                   Deal.amount, Deal.updated_at).where(Deal.team_id == team_id,
                                                       Deal.status == DealStatus.OPEN)
    if only is not None:
        query = query.where(or_(Deal.contact_id.in_(only), Deal.account_id.in_(account_ids)))
    return [_DealFacts(*row) for row in session.connection().execute(query.order_by(Deal.id))]


def _touches(session: Session, team_id: str, now: dt.datetime, only: list[int] | None,
             account_ids: list[int], deal_ids: list[int]
             ) -> Iterator[tuple[int | None, int | None, int | None, str, float, int]]:
    """(contact, account, deal, kind, age in days, signal marks) of every activity in the
    look-back window. The database works out the ages, and reads only its scan index
    (ix_activities_team_scan); the rare activity stored without marks (written around
    log_activity) is matched here, from its body."""
    at = bindparam("now", now, type_=Activity.occurred_at.type)
    if session.get_bind().dialect.name == "postgresql":
        age = func.date_part("epoch", at - Activity.occurred_at) / 86400.0
    else:
        age = func.julianday(at) - func.julianday(Activity.occurred_at)
    query = select(Activity.contact_id, Activity.account_id, Activity.deal_id,
                   type_coerce(Activity.kind, String), type_coerce(age, Float),
                   Activity.signal_marks
                   ).where(Activity.team_id == team_id,
                           Activity.occurred_at >= now - dt.timedelta(days=LOOKBACK_DAYS),
                           Activity.occurred_at <= now)
    if only is not None:
        query = query.where(or_(Activity.contact_id.in_(only),
                                Activity.account_id.in_(account_ids),
                                Activity.deal_id.in_(deal_ids)))
    conn = session.connection()
    yield from conn.execute(query.where(Activity.signal_marks.is_not(None))).all()
    unmarked = query.where(Activity.signal_marks.is_(None)).add_columns(Activity.body)
    for *row, _, body in conn.execute(unmarked):
        yield *row, note_marks(body or "")


def _average_amount(session: Session, team_id: str) -> Decimal | None:
    """The average size of the workspace's open and won deals."""
    value = session.scalar(select(func.avg(Deal.amount)).where(
        Deal.team_id == team_id, Deal.status != DealStatus.LOST, Deal.amount > 0))
    return Decimal(str(value)) if value is not None else None


def _forget_gone(session: Session | Connection, team_id: str) -> None:
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
        batch = [_payload(row.entity_type, row.entity_id, row.score, row.reasons)
                 for row in written[start:start + UPSERT_BATCH]]
        session.execute(statement, {"team": team_id, "now": now, "rows": batch})
    # Rows this session already holds were changed behind its back: reload them on access.
    for held in list(session.identity_map.values()):
        if isinstance(held, LeadScore):
            session.expire(held)
    return written


def _payload(entity_type: str, entity_id: int, score: int,
             reasons: dict[str, Any]) -> dict[str, Any]:
    """One score as the upsert statement's JSON rows parameter carries it."""
    return {"t": entity_type, "i": entity_id, "s": score, "r": reasons}


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
    # A score whose value and reasons did not change is left alone (its computed_at stays
    # the moment it last changed): about half of a nightly pass, which the database then
    # does not rewrite.
    changed = or_(table.c.score != statement.excluded.score,
                  cast(table.c.reasons, Text) != cast(statement.excluded.reasons, Text))
    return statement.on_conflict_do_update(
        index_elements=[table.c.team_id, table.c.entity_type, table.c.entity_id],
        set_={"score": statement.excluded.score, "reasons": statement.excluded.reasons,
              "computed_at": statement.excluded.computed_at},
        where=changed)


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


def ensure_fresh(session: Session, *, team_id: str, now: dt.datetime) -> None:
    """Make a workspace's scores current before they are shown: score it whole the first
    time, then only the contacts queued since (the nightly pass does the decay)."""
    if session.scalar(select(LeadScore.id).where(LeadScore.team_id == team_id).limit(1)) is None:
        rescore(session, team_id=team_id, now=now)
        session.execute(delete(RescoreRequest).where(RescoreRequest.team_id == team_id))
    else:
        rescore_requested(session, team_id=team_id, now=now)


def request_rescore(session: Session, *, team_id: str, contact_id: int) -> None:
    """Queue a contact for rescoring (one cheap statement in the caller's write)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(RescoreRequest).values(team_id=team_id, contact_id=contact_id,
                                                  requested_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["team_id", "contact_id"]))


def rescore_requested(session: Session, *, now: dt.datetime, limit: int = 5000,
                      team_id: str | None = None) -> int:
    """Rescore the queued contacts (of every workspace, or of this one), team by team, and
    take them off the queue in the same transaction (so a crash leaves them queued);
    returns how many were rescored."""
    query = select(RescoreRequest.id, RescoreRequest.team_id, RescoreRequest.contact_id) \
        .order_by(RescoreRequest.id).limit(limit)
    if team_id is not None:
        query = query.where(RescoreRequest.team_id == team_id)
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
