"""Channel digests: each due occurrence is claimed once, built in the channel's zone,
posted (weekly ones with a funnel chart), and the subscription moves to its next run.

After downtime only the latest missed occurrence goes out, marked late, covering
everything since the last digest that was sent. A channel the bot is not in gets
no digest; whoever subscribed it is told once how to invite the bot.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.assistant import format as fmt
from bot.assistant.types import Reply
from crm_store.db import Database
from crm_store.models import (
    Cadence,
    Contact,
    Deal,
    DealStageChange,
    DealStatus,
    DigestSubscription,
    Task,
    TaskStatus,
    User,
    utcnow,
)
from crm_store.services import deliveries, digests, leads
from crm_store.services.pipelines import default_pipeline, stage_map
from crm_store.services.reports import PipelineFilter, PipelineRow, pipeline_report
from scheduler.charts import funnel_png
from scheduler.notify import Notifier
from scheduler.snapshot import Snapshot

log = logging.getLogger(__name__)

LATE_AFTER = dt.timedelta(minutes=10)
PERIOD = {Cadence.DAILY: dt.timedelta(days=1), Cadence.WEEKLY: dt.timedelta(days=7)}
LIST_MAX = 8  # lines per section; the rest is counted
HOT_SHOWN = 5
NOT_IN_CHANNEL = ("not_in_channel", "channel_not_found")
OPEN = PipelineFilter(status=DealStatus.OPEN)


@dataclass(frozen=True)
class DigestData:
    """Everything a digest says, as plain values (safe after the session closed)."""

    cadence: Cadence
    channel: str
    tz: ZoneInfo
    now: dt.datetime
    occurrence: dt.datetime
    since: dt.datetime
    total: PipelineRow | None
    new_deals: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    won: list[str] = field(default_factory=list)
    won_amount: Decimal = Decimal(0)
    lost: list[str] = field(default_factory=list)
    lost_amount: Decimal = Decimal(0)
    closing: list[str] = field(default_factory=list)
    overdue: list[tuple[str, int]] = field(default_factory=list)
    hot: list[str] = field(default_factory=list)
    new_leads: list[str] = field(default_factory=list)
    funnel: list[tuple[str, int, float]] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return self.now - self.occurrence > LATE_AFTER


def latest_occurrence(sub: DigestSubscription, now: dt.datetime) -> dt.datetime:
    """The newest scheduled run at or before `now` (the one that counts after downtime)."""
    latest = sub.next_run_at
    while (following := digests.next_run(sub, latest)) <= now:
        latest = following
    return latest


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _listed(lines: list[str]) -> str:
    shown = lines[:LIST_MAX]
    more = len(lines) - len(shown)
    return "\n".join(f"• {line}" for line in shown) + (f"\n…and {more} more" if more else "")


def collect_digest(session: Session, sub: DigestSubscription, *, now: dt.datetime,
                   occurrence: dt.datetime, hot_threshold: int) -> DigestData:
    """Read the workspace's figures for one digest: open pipeline, changes since the last
    digest, deals closing this week (in the channel's zone), overdue tasks, leads."""
    team = sub.team_id
    tz = digests.zone(sub.tz)
    since = sub.last_sent_at or occurrence - PERIOD[Cadence(sub.cadence)]
    stages = stage_map(default_pipeline(session, team_id=team))

    def label(key: str | None) -> str:
        return stages[key].label if key in stages else str(key)

    def owner(deal: Deal) -> str:
        return deal.owner.name if deal.owner else "no owner"

    total = next(iter(pipeline_report(session, team_id=team, where=OPEN)), None)
    new_deals = session.scalars(select(Deal).where(
        Deal.team_id == team, Deal.created_at > since, Deal.created_at <= now)
        .order_by(Deal.created_at, Deal.id))
    moves = session.execute(
        select(DealStageChange, Deal).join(Deal, Deal.id == DealStageChange.deal_id)
        .where(DealStageChange.team_id == team, DealStageChange.changed_at > since,
               DealStageChange.changed_at <= now, DealStageChange.from_stage.is_not(None),
               DealStageChange.from_stage != DealStageChange.to_stage,
               DealStageChange.status == DealStatus.OPEN)  # won and lost are listed apart
        .order_by(DealStageChange.changed_at, DealStageChange.id)).all()
    closed = list(session.scalars(select(Deal).where(
        Deal.team_id == team, Deal.status.in_((DealStatus.WON, DealStatus.LOST)),
        Deal.closed_at > since, Deal.closed_at <= now).order_by(Deal.closed_at, Deal.id)))
    won = [d for d in closed if d.status == DealStatus.WON]
    lost = [d for d in closed if d.status == DealStatus.LOST]
    today = now.astimezone(tz).date()
    monday, sunday = week_of(today)
    closing = session.scalars(select(Deal).where(
        Deal.team_id == team, Deal.status == DealStatus.OPEN, Deal.close_date >= monday,
        Deal.close_date <= sunday).order_by(Deal.close_date, Deal.amount.desc(), Deal.id))
    overdue = session.execute(
        select(User.name, func.count(Task.id)).select_from(Task)
        .outerjoin(User, User.id == Task.assignee_id)
        .where(Task.team_id == team, Task.status == TaskStatus.OPEN, Task.due_at < now)
        .group_by(User.id, User.name).order_by(func.count(Task.id).desc(), User.name)).all()
    hot = [lead for lead in leads.top_leads(session, team_id=team, limit=HOT_SHOWN)
           if lead.score >= hot_threshold]
    new_leads = session.scalars(select(Contact).where(
        Contact.team_id == team, Contact.created_at > since, Contact.created_at <= now)
        .order_by(Contact.created_at, Contact.id))
    funnel = []
    if sub.cadence == Cadence.WEEKLY:
        funnel = [(row.label, row.count, float(row.amount))
                  for row in pipeline_report(session, team_id=team, where=OPEN,
                                             group_by="stage")]
    return DigestData(
        cadence=Cadence(sub.cadence), channel=sub.channel_name or sub.channel, tz=tz, now=now,
        occurrence=occurrence, since=since, total=total,
        new_deals=[f"{d.title} — {fmt.money(d.amount, d.currency)} ({label(d.stage)}, "
                   f"{owner(d)})" for d in new_deals],
        moves=[f"{d.title}: {label(c.from_stage)} → {label(c.to_stage)}" for c, d in moves],
        won=[f"{d.title} — {fmt.money(d.amount, d.currency)} ({owner(d)})" for d in won],
        won_amount=sum((d.amount or Decimal(0) for d in won), Decimal(0)),
        lost=[f"{d.title} — {fmt.money(d.amount, d.currency)}"
              + (f" ({d.lost_reason})" if d.lost_reason else "") for d in lost],
        lost_amount=sum((d.amount or Decimal(0) for d in lost), Decimal(0)),
        closing=[f"{d.title} — {fmt.money(d.amount, d.currency)}, "
                 f"{fmt.day(d.close_date, today=today)} ({owner(d)})" for d in closing],
        overdue=[(name or "unassigned", int(count)) for name, count in overdue],
        hot=[f"{lead.contact.name} — {lead.score}"
             + (f" ({lead.reasons[0][0]})" if lead.reasons else "") for lead in hot],
        new_leads=[c.name + (f" ({c.account.name})" if c.account else "") for c in new_leads],
        funnel=funnel,
    )


def build_digest(data: DigestData) -> Reply:
    """The digest message (pure): headline figures, then one field per section."""
    local = data.now.astimezone(data.tz)
    name = "Daily" if data.cadence == Cadence.DAILY else "Weekly"
    count = data.total.count if data.total else 0
    amount = data.total.amount if data.total else Decimal(0)
    weighted = data.total.weighted_amount if data.total else Decimal(0)
    text = (f"📊 *{name} digest* for #{data.channel.lstrip('#')} — {fmt.day(local.date())}\n"
            f"Open pipeline: *{fmt.money(amount)}* (weighted *{fmt.money(weighted)}*) across "
            f"{fmt.plural(count, 'deal')}.")
    reply = Reply(text)
    changes = [("New deals", data.new_deals), ("Stage moves", data.moves),
               (f"Won ({fmt.money(data.won_amount)})", data.won),
               (f"Lost ({fmt.money(data.lost_amount)})", data.lost)]
    for title, lines in changes:
        if lines:
            reply.fields.append((title, _listed(lines)))
    if not any(lines for _, lines in changes):
        reply.fields.append(("Changes", "No new deals, moves, wins or losses."))
    reply.fields.append(("Closing this week", _listed(data.closing) if data.closing
                         else "Nothing due to close this week."))
    reply.fields.append(("Overdue tasks", _listed([f"{who}: {n}" for who, n in data.overdue])
                         if data.overdue else "None 🎉"))
    reply.fields.append(("Hot leads", _listed(data.hot) if data.hot else "None right now."))
    reply.fields.append((f"New leads ({len(data.new_leads)})", _listed(data.new_leads)
                         if data.new_leads else "None."))
    if data.late:
        reply.context.append(f"Late: this digest was due {fmt.moment(data.occurrence, data.tz)} "
                             "while I was offline.")
    reply.context.append(f"Changes since {fmt.moment(data.since, data.tz, now=data.now)} "
                         f"({data.tz.key}).")
    return reply


def funnel_chart(data: DigestData) -> bytes:
    """The weekly digest's funnel: count and amount per open stage, as PNG."""
    monday, _ = week_of(data.now.astimezone(data.tz).date())
    return funnel_png(data.funnel, title=f"Open pipeline by stage - week of {fmt.day(monday)}")


def is_not_in_channel(exc: Exception) -> bool:
    """Slack said the bot cannot post there (not a member, or no such channel)."""
    response = getattr(exc, "response", None)
    try:
        code = response["error"] if response is not None else None
    except (KeyError, TypeError):
        code = None
    return code in NOT_IN_CHANNEL or any(word in str(exc) for word in NOT_IN_CHANNEL)


@dataclass(frozen=True)
class _Job:
    sub_id: int
    team_id: str
    channel: str
    key: str
    reply: Reply
    chart: bytes | None
    label: str


def deliver_digests(db: Database, notifier: Notifier, *, worker: str, hot_threshold: int = 70,
                    now: dt.datetime | None = None, batch: int = 50) -> int:
    """Send every due digest once; returns how many were posted."""
    now = now or utcnow()
    with db.session(readonly=True) as session:
        due = list(session.scalars(
            select(DigestSubscription.id)
            .where(DigestSubscription.active.is_(True), DigestSubscription.next_run_at <= now)
            .order_by(DigestSubscription.next_run_at, DigestSubscription.id).limit(batch)))
    return sum(_deliver(db, notifier, sub_id, worker=worker, now=now, hot_threshold=hot_threshold)
               for sub_id in due)


def _claim(session: Session, sub_id: int, *, worker: str, now: dt.datetime,
           hot_threshold: int) -> _Job | None:
    sub = session.get(DigestSubscription, sub_id)
    if sub is None or not sub.active or sub.next_run_at is None or sub.next_run_at > now:
        return None  # sent by another worker meanwhile, or switched off
    occurrence = latest_occurrence(sub, now)
    key = f"digest:{sub.id}:{occurrence.isoformat()}"
    if not deliveries.claim(session, team_id=sub.team_id, key=key, kind="digest", worker=worker,
                            now=now):
        return None
    data = collect_digest(session, sub, now=now, occurrence=occurrence,
                          hot_threshold=hot_threshold)
    chart = funnel_chart(data) if sub.cadence == Cadence.WEEKLY else None
    return _Job(sub.id, sub.team_id, sub.channel, key, build_digest(data), chart, data.channel)


def _deliver(db: Database, notifier: Notifier, sub_id: int, *, worker: str, now: dt.datetime,
             hot_threshold: int) -> int:
    with db.session() as session:
        job = _claim(session, sub_id, worker=worker, now=now, hot_threshold=hot_threshold)
    if job is None:
        return 0
    try:
        notifier.post(job.team_id, job.channel, job.reply)
    except Exception as exc:
        if not is_not_in_channel(exc):
            # Not finished: the lease runs out and a later pass sends it.
            log.exception("digest %s not sent", job.key)
            return 0
        log.warning("digest %s: the bot cannot post in #%s", job.key, job.label)
        _skip_and_tell(db, notifier, job, worker=worker, now=now)
        return 0
    if job.chart is not None:
        # The text is out: a failed chart is logged, never a reason to post the text twice.
        try:
            notifier.upload(job.team_id, job.channel, content=job.chart,
                            filename=f"funnel-{now.date().isoformat()}.png",
                            title="Open pipeline by stage")
        except Exception:
            log.exception("funnel chart of digest %s not uploaded", job.key)
    with db.session() as session:
        deliveries.finish(session, team_id=job.team_id, key=job.key, worker=worker, sent=True,
                          now=now)
        sub = session.get(DigestSubscription, job.sub_id)
        if sub is not None and sub.active:
            digests.mark_sent(session, sub=sub, sent_at=now)
        elif sub is not None:
            sub.last_sent_at = now
    return 1


def _skip_and_tell(db: Database, notifier: Notifier, job: _Job, *, worker: str,
                   now: dt.datetime) -> None:
    """Skip this occurrence (the next run is scheduled as usual) and, once per
    subscription, tell whoever subscribed how to invite the bot."""
    subscriber = None
    invite_key = f"digest-invite:{job.sub_id}"
    with db.session() as session:
        deliveries.finish(session, team_id=job.team_id, key=job.key, worker=worker, sent=False,
                          detail="not_in_channel", now=now)
        sub = session.get(DigestSubscription, job.sub_id)
        if sub is not None and sub.active:
            # Moves on without touching last_sent_at: the next digest covers these changes.
            sub.next_run_at = digests.next_run(sub, now)
        user = session.get(User, sub.created_by_id) if sub and sub.created_by_id else None
        if user is not None and user.is_active and deliveries.claim(
                session, team_id=job.team_id, key=invite_key, kind="invite", worker=worker,
                now=now):
            subscriber = Snapshot(user)
    if subscriber is None:
        return
    channel = job.label.lstrip("#")
    try:
        notifier.dm(subscriber, Reply(
            f"I couldn't post the {'weekly' if job.chart else 'daily'} digest to #{channel}: "
            f"I'm not a member of that channel. Type `/invite @salesbot` in #{channel} and the "
            "next digest will arrive there.", ok=False))
    except Exception:
        log.exception("could not tell the subscriber of digest %s", job.sub_id)
        return  # the claim runs out; the next failed digest tries again
    with db.session() as session:
        deliveries.finish(session, team_id=job.team_id, key=invite_key, worker=worker, sent=True,
                          now=now)
