"""Hot-lead alerts, once per cooldown, and the nightly rescore that lets scores decay.

An alert is claimed in one transaction: a conditional UPDATE of `last_alerted_at` that
only one process can win, plus one OutboundDelivery per message (the channel post and
the owner's DM, so a failure of one never repeats the other). The messages go out
after the commit; a worker that dies in between leaves claims whose lease runs out,
and the next pass takes them over and rebuilds each message from its key.

Contacts are alerted about; a deal only when it has no contact (otherwise its
contact's score already carries it, and one lead would ring twice).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session

from bot.assistant import format as fmt
from bot.assistant.types import Reply
from bot.render.buttons import lead_buttons
from crm_store.db import Database
from crm_store.models import (
    Contact,
    Deal,
    DealStatus,
    Delivery,
    LeadScore,
    Lifecycle,
    OutboundDelivery,
    User,
    utcnow,
)
from crm_store.services import deliveries, leads
from scheduler.notify import Notifier
from scheduler.snapshot import Snapshot

log = logging.getLogger(__name__)

COOLDOWN = dt.timedelta(days=3)  # one alert per lead per cooldown
LATE_AFTER = dt.timedelta(minutes=10)
REASONS_SHOWN = 3
KIND = "hot"
OWNER_SUFFIX = ":owner"
RESCORE_LEASE = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Alert:
    """What one alert says, read while its session was open."""

    team_id: str
    entity_type: str  # contact | deal
    entity_id: int
    name: str
    account: str | None
    score: int
    reasons: tuple[tuple[str, int], ...]
    owner: Snapshot | None
    alerted_at: dt.datetime

    def key(self, target: str) -> str:
        """The delivery key of the channel post ('channel') or the owner's DM ('owner')."""
        base = f"hot:{self.entity_type}:{self.entity_id}:{self.alerted_at.isoformat()}"
        return base + (OWNER_SUFFIX if target == "owner" else "")


def parse_key(key: str) -> tuple[str, int, dt.datetime, str]:
    """(entity type, id, alerted at, target) back from a delivery key."""
    _, entity_type, entity_id, rest = key.split(":", 3)
    target = "owner" if rest.endswith(OWNER_SUFFIX) else "channel"
    stamp = rest.removesuffix(OWNER_SUFFIX)
    return entity_type, int(entity_id), dt.datetime.fromisoformat(stamp), target


def build_alert(alert: Alert, *, for_owner: bool, now: dt.datetime) -> Reply:
    """The alert message: who, the score, the top reasons, Claim / Snooze / Draft email."""
    who = f"*{alert.name}*" + (f" ({alert.account})" if alert.account else "")
    if alert.entity_type == "deal":
        who = f"the deal {who}"
    if for_owner:
        text = f"🔥 Your lead {who} just turned hot: *{alert.score}/100*."
    else:
        text = f"🔥 Hot lead: {who} — *{alert.score}/100*."
    top = sorted(alert.reasons, key=lambda r: -abs(r[1]))[:REASONS_SHOWN]
    reply = Reply(text, buttons=lead_buttons(alert.entity_type, alert.entity_id))
    if top:
        reply.fields.append(("Why", "\n".join(f"• {text} ({points:+d})" for text, points in top)))
    reply.fields.append(("Owner", alert.owner.name if alert.owner else "nobody yet — Claim it"))
    if now - alert.alerted_at > LATE_AFTER:
        reply.context.append(f"Late: this lead turned hot {fmt.moment(alert.alerted_at, dt.UTC)}"
                             " UTC while I was offline.")
    return reply


def load_alert(session: Session, *, team_id: str, entity_type: str, entity_id: int,
               alerted_at: dt.datetime) -> Alert | None:
    """The alert about one scored contact or deal, or None when the record is gone."""
    record = session.get(Contact if entity_type == "contact" else Deal, entity_id)
    if record is None or record.team_id != team_id:
        return None
    account = record.account
    owner: User | None = record.owner or (account.owner if account else None)
    row = session.scalar(select(LeadScore).where(
        LeadScore.team_id == team_id, LeadScore.entity_type == entity_type,
        LeadScore.entity_id == entity_id))
    return Alert(team_id=team_id, entity_type=entity_type, entity_id=entity_id,
                 name=record.name if entity_type == "contact" else record.title,
                 account=account.name if account else None,
                 score=row.score if row else 0,
                 reasons=tuple(leads.reasons_of(row)) if row else (),
                 owner=Snapshot(owner) if owner is not None and owner.is_active else None,
                 alerted_at=alerted_at)


def _eligible(*, threshold: int, cooldown: dt.timedelta, now: dt.datetime):
    live_contact = exists().where(Contact.id == LeadScore.entity_id,
                                  Contact.team_id == LeadScore.team_id,
                                  Contact.lifecycle != Lifecycle.DEAD)
    lone_deal = exists().where(Deal.id == LeadScore.entity_id, Deal.team_id == LeadScore.team_id,
                               Deal.contact_id.is_(None), Deal.status == DealStatus.OPEN)
    return and_(
        LeadScore.score >= threshold,
        or_(LeadScore.snoozed_until.is_(None), LeadScore.snoozed_until <= now),
        or_(LeadScore.last_alerted_at.is_(None), LeadScore.last_alerted_at <= now - cooldown),
        or_(and_(LeadScore.entity_type == "contact", live_contact),
            and_(LeadScore.entity_type == "deal", lone_deal)),
    )


def claim_alerts(session: Session, *, worker: str, threshold: int, now: dt.datetime,
                 channel: str | None, cooldown: dt.timedelta = COOLDOWN,
                 limit: int = 100) -> list[tuple[Alert, list[str]]]:
    """Claim up to `limit` hot leads for `worker`: each alert with the delivery keys of
    its messages (channel post, owner DM) that this worker now has to send.

    The UPDATE re-checks the cooldown, so of two processes only one stamps a lead
    (PostgreSQL: SKIP LOCKED hands them disjoint rows; SQLite serializes writers).
    """
    eligible = _eligible(threshold=threshold, cooldown=cooldown, now=now)
    candidates = select(LeadScore.id).where(eligible).order_by(
        LeadScore.score.desc(), LeadScore.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True, of=LeadScore)
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    stamped = list(session.execute(
        update(LeadScore).where(LeadScore.id.in_(ids), eligible)
        .values(last_alerted_at=now)
        .returning(LeadScore.team_id, LeadScore.entity_type, LeadScore.entity_id)
    ))
    claimed = []
    for team_id, entity_type, entity_id in stamped:
        alert = load_alert(session, team_id=team_id, entity_type=entity_type,
                           entity_id=entity_id, alerted_at=now)
        if alert is None:  # pragma: no cover - the UPDATE checked it exists
            continue
        targets = (["channel"] if channel else []) + (["owner"] if alert.owner else [])
        if not targets:
            log.info("hot lead %s:%s has no channel and no owner to tell", entity_type, entity_id)
        keys = [alert.key(t) for t in targets]
        claimed.append((alert, [k for k in keys if deliveries.claim(
            session, team_id=team_id, key=k, kind=KIND, worker=worker, now=now)]))
    return claimed


def _reclaim_lost(session: Session, *, worker: str, now: dt.datetime, channel: str | None,
                  limit: int = 100) -> list[tuple[str, Alert]]:
    """Take over alert messages whose worker died between claim and send."""
    stale = session.execute(
        select(OutboundDelivery.team_id, OutboundDelivery.key)
        .where(OutboundDelivery.kind == KIND, OutboundDelivery.state == Delivery.CLAIMED,
               OutboundDelivery.lease_expires_at < now)
        .order_by(OutboundDelivery.id).limit(limit)).all()
    work = []
    for team_id, key in stale:
        if not deliveries.claim(session, team_id=team_id, key=key, kind=KIND, worker=worker,
                                now=now):
            continue  # another worker took it over first
        entity_type, entity_id, alerted_at, target = parse_key(key)
        alert = load_alert(session, team_id=team_id, entity_type=entity_type,
                           entity_id=entity_id, alerted_at=alerted_at)
        if alert is None or (target == "channel" and not channel) or \
                (target == "owner" and alert.owner is None):
            deliveries.finish(session, team_id=team_id, key=key, worker=worker, sent=False,
                              detail="nobody to tell any more", now=now)
            continue
        work.append((key, alert))
    return work


def hot_lead_alerts(db: Database, notifier: Notifier, *, worker: str, threshold: int,
                    channel: str | None, now: dt.datetime | None = None,
                    cooldown: dt.timedelta = COOLDOWN, batch: int = 100) -> int:
    """Post every newly hot lead to `channel` (when set) and DM its owner; returns how
    many messages went out. Messages lost to a crash are sent first."""
    now = now or utcnow()
    with db.session() as session:  # leads with new activity first: they may be hot now
        leads.rescore_requested(session, now=now)
    with db.session() as session:
        work = _reclaim_lost(session, worker=worker, now=now, channel=channel)
    sent = _send_all(db, notifier, work, worker=worker, channel=channel, now=now)
    while True:
        with db.session() as session:
            claimed = claim_alerts(session, worker=worker, threshold=threshold, now=now,
                                   channel=channel, cooldown=cooldown, limit=batch)
        work = [(key, alert) for alert, keys in claimed for key in keys]
        sent += _send_all(db, notifier, work, worker=worker, channel=channel, now=now)
        if len(claimed) < batch:
            return sent


def _send_all(db: Database, notifier: Notifier, work: list[tuple[str, Alert]], *, worker: str,
              channel: str | None, now: dt.datetime) -> int:
    sent = 0
    for key, alert in work:
        to_owner = key.endswith(OWNER_SUFFIX)
        reply = build_alert(alert, for_owner=to_owner, now=now)
        try:
            if to_owner:
                notifier.dm(alert.owner, reply)
            else:
                notifier.post(alert.team_id, channel, reply)
        except Exception:
            # Not finished: the lease runs out and the next pass sends it again.
            log.exception("hot-lead alert %s not sent", key)
            continue
        with db.session() as session:
            deliveries.finish(session, team_id=alert.team_id, key=key, worker=worker, sent=True,
                              now=now)
        sent += 1
    return sent


def nightly_rescore(db: Database, *, worker: str, now: dt.datetime | None = None) -> int:
    """Once a day per workspace (UTC date), rescore every contact and open deal so that
    scores decay; returns how many workspaces this worker rescored."""
    now = now or utcnow()
    day = now.astimezone(dt.UTC).date().isoformat()
    with db.session(readonly=True) as session:
        teams = sorted(set(session.scalars(select(Contact.team_id).distinct()))
                       | set(session.scalars(select(Deal.team_id).distinct())))
    done = 0
    for team_id in teams:
        key = f"rescore:{team_id}:{day}"
        # Claimed in its own short transaction, so a second worker does not wait on a
        # long rescore; a worker that dies midway leaves a lease that runs out.
        with db.session() as session:
            if not deliveries.claim(session, team_id=team_id, key=key, kind="rescore",
                                    worker=worker, now=now, lease=RESCORE_LEASE):
                continue
        written = leads.rescore_workspace(db, team_id=team_id, now=now)
        with db.session() as session:
            deliveries.finish(session, team_id=team_id, key=key, worker=worker, sent=True,
                              detail=f"{written} scores", now=now)
        done += 1
    return done
