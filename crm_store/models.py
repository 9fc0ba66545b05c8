"""Typed SQLAlchemy models of the CRM.

Every row carries `team_id` (the Slack workspace id; "local" for the terminal) so
several workspaces can share one database and never see each other's data.
Timestamps are timezone-aware UTC on every backend.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

LOCAL_TEAM = "local"


def utcnow() -> dt.datetime:
    """The current moment, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def name_key(name: str) -> str:
    """How names are compared: single-spaced and lower case ("Blue  Harbor" = "blue harbor")."""
    return " ".join((name or "").split()).lower()


def _key_of_name(context: Any) -> str:
    # A column default, so bulk INSERTs (the demo seed) get their key without knowing it.
    return name_key(context.get_current_parameters().get("name") or "")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always read back timezone-aware.

    SQLite keeps no zone, PostgreSQL keeps `timestamptz`; both come back as aware UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[dt.datetime]:
        return dt.datetime

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


Id = Integer().with_variant(BigInteger(), "postgresql")
Money = Numeric(14, 2)
JSONType = JSON()


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSONType}


class Role(enum.StrEnum):
    REP = "rep"
    MANAGER = "manager"
    ADMIN = "admin"


class Lifecycle(enum.StrEnum):
    LEAD = "lead"
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    DEAD = "dead"


class DealStatus(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityKind(enum.StrEnum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    NOTE = "note"
    VOICE_NOTE = "voice_note"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Delivery(enum.StrEnum):
    """Where a reminder stands: claimed rows carry a lease that expires."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"


def _enum(cls: type[enum.StrEnum], name: str) -> Enum:
    # Stored as plain strings with a CHECK: portable, readable, and migrations stay simple.
    return Enum(cls, name=name, native_enum=False, length=16,
                values_callable=lambda e: [m.value for m in e], validate_strings=True)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.REP)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    manager: Mapped[User | None] = relationship(remote_side="User.id")


class Account(TimestampMixin, Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # name_key(name), unique per workspace: two messages naming a new account at once
    # make one account. Twins that predate the key carry a suffix (see migration 0009).
    name_key: Mapped[str] = mapped_column(String(220), default=_key_of_name)
    domain: Mapped[str | None] = mapped_column(String(253))
    industry: Mapped[str | None] = mapped_column(String(100))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    custom_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The latest activity's occurred_at on this account (None: never touched), kept by
    # crm_store.services.touches in the transaction that writes activities, so "last touch
    # per account" and "accounts with no activity" read one index instead of seeking the
    # latest activity of every account.
    last_activity_at: Mapped[dt.datetime | None] = mapped_column()
    # How many contacts are at this account, kept by the same module whenever a contact is
    # added, moved or removed: "single-threaded deals" read it instead of counting contacts.
    contact_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    owner: Mapped[User | None] = relationship()


class Contact(TimestampMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_account_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # name_key(name), unique per workspace and account (no account counts as one):
    # deliberate namesakes (e.g. imported with different emails) carry a suffix.
    name_key: Mapped[str] = mapped_column(String(220), default=_key_of_name)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(64))
    lifecycle: Mapped[Lifecycle] = mapped_column(_enum(Lifecycle, "lifecycle"),
                                                 default=Lifecycle.LEAD)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    custom_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)

    account: Mapped[Account | None] = relationship()
    owner: Mapped[User | None] = relationship()


class Pipeline(Base):
    __tablename__ = "pipelines"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    stages: Mapped[list[PipelineStage]] = relationship(
        order_by="PipelineStage.position", cascade="all, delete-orphan"
    )


class PipelineStage(Base):
    __tablename__ = "pipeline_stages"
    __table_args__ = (UniqueConstraint("pipeline_id", "key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    probability: Mapped[int] = mapped_column(Integer)  # percent, 0..100
    closes_as: Mapped[DealStatus | None] = mapped_column(_enum(DealStatus, "closes_as"))


class Deal(TimestampMixin, Base):
    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_open_owner", "team_id", "status", "owner_id", "stage", "close_date"),
        # A workspace's deals by status and stage (pipeline by stage), carrying what the risk
        # list reads of each open deal, so that pass reads the index alone on SQLite.
        Index("ix_deals_open_scan", "team_id", "status", "stage", "close_date", "probability",
              "amount", "account_id", "stage_entered_at", "last_activity_at"),
        Index("ix_deals_team_close", "team_id", "status", "close_date"),
        # One rep's deals of any status by close date (a scorecard), and their ids.
        Index("ix_deals_owner_close", "team_id", "owner_id", "close_date"),
        Index("ix_deals_account_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    title: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    stage: Mapped[str] = mapped_column(String(32))
    probability: Mapped[int] = mapped_column(Integer)
    close_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[DealStatus] = mapped_column(_enum(DealStatus, "deal_status"),
                                               default=DealStatus.OPEN)
    lost_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    custom_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The latest activity's occurred_at on this deal, kept like Account.last_activity_at.
    last_activity_at: Mapped[dt.datetime | None] = mapped_column()
    # When the deal entered its current stage: the time of its latest history row that
    # changed the stage (or created the deal). Set with the stage by crm_store.services.deals
    # (so undo restores both); "stuck in a stage" compares it instead of reading history.
    stage_entered_at: Mapped[dt.datetime | None] = mapped_column()

    account: Mapped[Account | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    owner: Mapped[User | None] = relationship()
    history: Mapped[list[DealStageChange]] = relationship(
        order_by="DealStageChange.changed_at", cascade="all, delete-orphan",
        back_populates="deal",
    )


class DealStageChange(Base):
    """One row per change of stage, amount, close date or status: the deal's history."""

    __tablename__ = "deal_stage_history"
    __table_args__ = (Index("ix_deal_stage_history_deal", "deal_id", "changed_at"),
                      Index("ix_deal_stage_history_team_time", "team_id", "changed_at"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    close_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[DealStatus] = mapped_column(_enum(DealStatus, "history_status"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    deal: Mapped[Deal] = relationship(back_populates="history")


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_contact_time", "contact_id", "occurred_at"),
        Index("ix_activities_account_time", "account_id", "occurred_at"),
        Index("ix_activities_deal_time", "deal_id", "occurred_at"),
        # A workspace's activities by time, carrying what the lead scan reads, so that
        # scan reads the index alone.
        Index("ix_activities_team_scan", "team_id", "occurred_at", "contact_id", "account_id",
              "deal_id", "kind", "signal_marks"),
        Index("ix_activities_author_time", "author_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind, "activity_kind"))
    body: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[dt.datetime] = mapped_column()
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"))
    source_ref: Mapped[str | None] = mapped_column(String(500))  # e.g. a Slack permalink
    transcript: Mapped[str | None] = mapped_column(Text)
    # What the body says for the lead score (crm_store.scoring.note_marks), matched once
    # when logged; NULL means not matched yet and the scan reads the body instead.
    signal_marks: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    account: Mapped[Account | None] = relationship()
    deal: Mapped[Deal | None] = relationship()


class Task(TimestampMixin, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_due_reminders", "delivery", "remind_at"),
        Index("ix_tasks_assignee_open", "team_id", "assignee_id", "status", "due_at"),
        Index("ix_tasks_contact_id", "contact_id"),
        Index("ix_tasks_account_id", "account_id"),
        Index("ix_tasks_deal_id", "deal_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(500))
    due_at: Mapped[dt.datetime | None] = mapped_column()
    remind_at: Mapped[dt.datetime | None] = mapped_column()
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus, "task_status"),
                                               default=TaskStatus.OPEN)
    completed_at: Mapped[dt.datetime | None] = mapped_column()
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"))
    # Delivery of the reminder: claimed in the database so several processes send it once.
    delivery: Mapped[Delivery] = mapped_column(_enum(Delivery, "delivery"),
                                               default=Delivery.PENDING)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column()
    delivered_at: Mapped[dt.datetime | None] = mapped_column()
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    contact: Mapped[Contact | None] = relationship()
    account: Mapped[Account | None] = relationship()
    deal: Mapped[Deal | None] = relationship()


class AuditEntry(Base):
    """Every write: who, what, before/after, and the inbound event that caused it."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_actor_time", "team_id", "actor_id", "id"),
        Index("ix_audit_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))  # create | update | delete
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Id)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    source: Mapped[str | None] = mapped_column(String(200))  # idempotency key / source id
    batch: Mapped[str | None] = mapped_column(String(64))  # one user command = one batch
    undone_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProcessedEvent(Base):
    """Idempotency keys of inbound events, stored in the transaction that did the work."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))


class Tagging(Base):
    """A tag on a contact, account or deal."""

    __tablename__ = "taggings"
    __table_args__ = (
        UniqueConstraint("tag_id", "entity_type", "entity_id"),
        Index("ix_taggings_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    entity_type: Mapped[str] = mapped_column(String(16))  # contact | account | deal
    entity_id: Mapped[int] = mapped_column(Id)

    tag: Mapped[Tag] = relationship()


class Cadence(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class DigestSubscription(TimestampMixin, Base):
    """A channel's recurring pipeline digest, at a wall time in the channel's zone."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (
        UniqueConstraint("team_id", "channel", "cadence"),
        Index("ix_digest_due", "active", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(80))  # Slack channel id, or name in the terminal
    channel_name: Mapped[str | None] = mapped_column(String(80))
    cadence: Mapped[Cadence] = mapped_column(_enum(Cadence, "cadence"))
    time_of_day: Mapped[dt.time] = mapped_column(Time)
    weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday, weekly only
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    next_run_at: Mapped[dt.datetime | None] = mapped_column()
    last_sent_at: Mapped[dt.datetime | None] = mapped_column()


class LeadScore(Base):
    """The explained 0–100 score of a contact or deal, and its alert state."""

    __tablename__ = "lead_scores"
    __table_args__ = (
        UniqueConstraint("team_id", "entity_type", "entity_id"),
        Index("ix_lead_scores_rank", "team_id", "score"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(16))  # contact | deal
    entity_id: Mapped[int] = mapped_column(Id)
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"reasons": [[text, pts]]}
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # last changed
    last_alerted_at: Mapped[dt.datetime | None] = mapped_column()
    snoozed_until: Mapped[dt.datetime | None] = mapped_column()


class OutboundDelivery(Base):
    """One outgoing message (digest, alert, nudge, daily list) claimed by exactly one worker.

    The unique `key` names the occurrence (e.g. "digest:3:2026-11-25T13:00"); whoever
    inserts it, or takes it over after its lease expired, sends it.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("team_id", "key"), Index("ix_deliveries_state", "state"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[Delivery] = mapped_column(_enum(Delivery, "delivery_state"))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RescoreRequest(Base):
    """A contact whose lead score must be recomputed (it has a new activity); the
    scheduler drains these in batches, so the write that caused it stays short."""

    __tablename__ = "rescore_requests"
    __table_args__ = (UniqueConstraint("team_id", "contact_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    contact_id: Mapped[int] = mapped_column(Id)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# Case-insensitive name lookups, per workspace.
Index("ix_users_team_name", User.team_id, func.lower(User.name))
Index("ix_accounts_team_name", Account.team_id, func.lower(Account.name))
Index("ix_contacts_team_name", Contact.team_id, func.lower(Contact.name))
Index("ix_contacts_team_email", Contact.team_id, func.lower(Contact.email))
Index("ix_deals_team_title", Deal.team_id, func.lower(Deal.title))
# One account per name and one contact per name at an account: what get-or-create relies on.
Index("uq_accounts_team_name_key", Account.team_id, Account.name_key, unique=True)
Index("uq_contacts_team_account_name_key", Contact.team_id,
      func.coalesce(Contact.account_id, 0), Contact.name_key, unique=True)
# A workspace's accounts least recently touched first, never-touched first of all: the
# order of "last touch per account" and "accounts with no activity", read off the index.
# (`IS NOT NULL` first rather than NULLS FIRST, which SQLite has in no index.)
Index("ix_accounts_team_touch", Account.team_id, Account.last_activity_at.is_not(None),
      Account.last_activity_at, Account.name)

ENTITY_MODELS: dict[str, type[Base]] = {
    "user": User,
    "account": Account,
    "contact": Contact,
    "deal": Deal,
    "deal_change": DealStageChange,
    "activity": Activity,
    "task": Task,
    "tagging": Tagging,
    "digest": DigestSubscription,
}


class OutboxState(enum.StrEnum):
    """Where a reply kept for later stands: claimed rows carry a lease that expires."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"  # permanently refused, or given up on after a day of outage


class OutboxMessage(Base):
    """An assistant reply Slack would not take when it was written (5xx, 429, network),
    kept as rendered so the scheduler can send it once Slack is back; its write had
    already committed, so the person is never asked to send their message again."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(64))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[Any] | None] = mapped_column(JSONType)
    source_id: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[OutboxState] = mapped_column(_enum(OutboxState, "outbox_state"),
                                               default=OutboxState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column()
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column()


class NluExample(Base):
    """A message a person corrected (the Edit… form): what was read and what they
    meant, kept per workspace so the same phrasing is read right the next time."""

    __tablename__ = "nlu_examples"
    __table_args__ = (Index("ix_nlu_examples_key", "team_id", "text_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)  # as typed (cut to what the button carried)
    text_key: Mapped[str] = mapped_column(String(400))  # name_key of the text
    original: Mapped[list[Any]] = mapped_column(JSONType)  # the actions as read
    corrected: Mapped[list[Any]] = mapped_column(JSONType)  # the actions as saved
    # Records picked for its names ({"contact:kim": 12}), from a "Which one?" answer.
    pinned: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_by: Mapped[int | None] = mapped_column(Id)  # users.id; no key: examples outlive
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AiSetting(Base):
    """A workspace's switch for the model (the admins' kill switch) and its budgets;
    no row means the defaults from the settings: on, with their budgets."""

    __tablename__ = "ai_settings"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    daily_tokens: Mapped[int | None] = mapped_column(Integer)  # None: the settings' default
    updated_by: Mapped[int | None] = mapped_column(Id)  # users.id
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AiUsage(Base):
    """One model call: who asked, which prompt (name@version), the tokens it cost as the
    endpoint counted them, and how it ended."""

    __tablename__ = "ai_usage"
    __table_args__ = (Index("ix_ai_usage_team_time", "team_id", "created_at"),
                      Index("ix_ai_usage_user_time", "team_id", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(Id)  # users.id; no key: usage outlives users
    prompt: Mapped[str] = mapped_column(String(64))  # "brief@v1"
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(32))  # ok | fallback:<why>
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AiFeedback(Base):
    """👍 or 👎 on a model-written reply, with the prompt version that wrote it."""

    __tablename__ = "ai_feedback"
    __table_args__ = (Index("ix_ai_feedback_team_time", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(Id)
    prompt: Mapped[str] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(8))  # up | down
    excerpt: Mapped[str] = mapped_column(Text, default="")  # the reply's opening words
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
