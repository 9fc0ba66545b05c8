"""Audit of every write, and undo of a user's last command.

One unit of work (one session) is one batch: everything a single message wrote is
undone together. `source` is the inbound event id that caused the write.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from crm_store.errors import NotFound
from crm_store.models import ENTITY_MODELS, Activity, AuditEntry, Base, User, utcnow
from crm_store.services import touches


def set_source(session: Session, source: str | None) -> None:
    """Tag every audit row written in this session with the inbound event id."""
    session.info["audit_source"] = source


def _batch(session: Session) -> str:
    return session.info.setdefault("audit_batch", uuid.uuid4().hex)


def snapshot(obj: Base) -> dict[str, Any]:
    """The row's column values as JSON-safe data."""
    return {attr.key: _jsonable(getattr(obj, attr.key))
            for attr in inspect(obj).mapper.column_attrs}


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def entity_type(obj: Base) -> str:
    for name, model in ENTITY_MODELS.items():
        if type(obj) is model:
            return name
    raise TypeError(f"{type(obj).__name__} is not audited")


def record(session: Session, *, actor: User | None, action: str, obj: Base,
           before: dict[str, Any] | None) -> AuditEntry:
    """Write the audit row for `obj` after a create/update/delete (flushes to get ids)."""
    session.flush()
    after = None if action == "delete" else snapshot(obj)
    entry = AuditEntry(
        team_id=obj.team_id if hasattr(obj, "team_id") else actor.team_id,
        actor_id=actor.id if actor else None,
        action=action,
        entity_type=entity_type(obj),
        entity_id=obj.id,
        before=before,
        after=after,
        source=session.info.get("audit_source"),
        batch=_batch(session),
    )
    session.add(entry)
    return entry


def created(session: Session, obj: Base, *, actor: User | None) -> None:
    """Add a new row and audit its creation."""
    session.add(obj)
    record(session, actor=actor, action="create", obj=obj, before=None)


def last_batch(session: Session, *, actor: User, batch: str | None = None) -> list[AuditEntry]:
    """The entries of the actor's command `batch` (default: the latest) not yet undone."""
    latest = batch or session.scalar(
        select(AuditEntry.batch)
        .where(AuditEntry.team_id == actor.team_id, AuditEntry.actor_id == actor.id,
               AuditEntry.undone_at.is_(None), AuditEntry.action != "undo")
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if latest is None:
        return []
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.batch == latest, AuditEntry.undone_at.is_(None),
                                 AuditEntry.team_id == actor.team_id,
                                 AuditEntry.actor_id == actor.id, AuditEntry.action != "undo")
        .order_by(AuditEntry.id.desc())
    ))


def undo(session: Session, *, actor: User, batch: str | None = None) -> list[AuditEntry]:
    """Revert one of the actor's commands (default: the last), newest write first."""
    entries = last_batch(session, actor=actor, batch=batch)
    if not entries:
        raise NotFound("That was already undone." if batch
                       else "There is nothing of yours to undo.")
    now = utcnow()
    account_ids, deal_ids = _touched_by(session, entries)
    for entry in entries:
        _revert(session, entry)
        entry.undone_at = now
    session.flush()
    touches.recount(session, account_ids=account_ids, deal_ids=deal_ids)
    session.add(AuditEntry(
        team_id=actor.team_id, actor_id=actor.id, action="undo", entity_type="batch",
        entity_id=entries[-1].id, before=None, after={"batch": entries[0].batch},
        source=session.info.get("audit_source"), batch=_batch(session),
    ))
    return entries


def undo_last(session: Session, *, actor: User) -> list[AuditEntry]:
    """Revert the actor's last command; returns what was undone."""
    return undo(session, actor=actor)


def _touched_by(session: Session, entries: list[AuditEntry]) -> tuple[set, set]:
    """The accounts and deals whose kept figures (crm_store.services.touches) reverting
    `entries` may change: those of the activities and contacts reverted, of the activities
    a removed contact or account takes with it (a cascade), and those restored."""
    accounts: set[int | None] = set()
    deals: set[int | None] = set()
    for entry in entries:
        kind, key = entry.entity_type, entry.entity_id
        if kind == "activity":
            for values in (entry.before or {}, entry.after or {}):
                accounts.add(values.get("account_id"))
                deals.add(values.get("deal_id"))
        elif kind == "deal":
            deals.add(key)
        elif kind in ("account", "contact"):
            if kind == "account":
                accounts.add(key)
            else:  # a contact added, moved or removed changes its accounts' head count
                accounts.update({(entry.before or {}).get("account_id"),
                                 (entry.after or {}).get("account_id")})
            if entry.action == "create":  # removed on undo: its activities go with it
                column = Activity.account_id if kind == "account" else Activity.contact_id
                for account_id, deal_id in session.execute(
                        select(Activity.account_id, Activity.deal_id).where(column == key)
                        .distinct()):
                    accounts.add(account_id)
                    deals.add(deal_id)
    return accounts, deals


def _revert(session: Session, entry: AuditEntry) -> None:
    model = ENTITY_MODELS[entry.entity_type]
    row = session.get(model, entry.entity_id)
    if entry.action == "create":
        if row is not None:
            session.delete(row)
            session.flush()
            session.expire_all()  # collections that held the row must reload
    elif entry.action == "update":
        if row is None:
            return  # deleted since; nothing to restore onto
        _assign(row, entry.before or {})
    elif entry.action == "delete" and row is None and entry.before:
        row = model()
        _assign(row, entry.before)
        session.add(row)


def _assign(row: Base, values: dict[str, Any]) -> None:
    mapper = inspect(type(row))
    for key, raw in values.items():
        if key in ("created_at",) and getattr(row, key, None) is not None:
            continue
        column = mapper.columns.get(key)
        if column is None:
            continue
        setattr(row, key, _from_json(column.type, raw))


def _from_json(col_type: Any, raw: Any) -> Any:
    if raw is None:
        return None
    python_type = None
    try:
        python_type = col_type.python_type
    except NotImplementedError:
        return raw
    if python_type is dt.datetime:
        return dt.datetime.fromisoformat(raw)
    if python_type is dt.date:
        return dt.date.fromisoformat(raw)
    if python_type is dt.time:
        return dt.time.fromisoformat(raw)
    if python_type is Decimal:
        return Decimal(raw)
    if isinstance(python_type, type) and issubclass(python_type, enum.Enum):
        return python_type(raw)
    return raw


def updated(session: Session, obj: Base, *, actor: User | None, changes: dict[str, Any]) -> bool:
    """Apply `changes` to `obj` and audit them; False (and no audit row) when nothing changed."""
    changes = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    if not changes:
        return False
    before = snapshot(obj)
    for key, value in changes.items():
        setattr(obj, key, value)
    record(session, actor=actor, action="update", obj=obj, before=before)
    return True


def deleted(session: Session, obj: Base, *, actor: User | None) -> None:
    """Delete `obj` and audit it with its last values, so undo can restore it."""
    before = snapshot(obj)
    entry_type, entry_id = entity_type(obj), obj.id
    session.delete(obj)
    session.flush()
    session.add(AuditEntry(
        team_id=before.get("team_id") or actor.team_id, actor_id=actor.id if actor else None,
        action="delete", entity_type=entry_type, entity_id=entry_id, before=before, after=None,
        source=session.info.get("audit_source"), batch=_batch(session),
    ))
