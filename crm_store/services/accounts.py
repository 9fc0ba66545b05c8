"""Accounts (companies)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Account, User
from crm_store.services import audit

EDITABLE = {"name", "domain", "industry", "owner_id", "custom_fields"}


def create_account(session: Session, *, actor: User | None, team_id: str, name: str,
                   domain: str | None = None, industry: str | None = None,
                   owner_id: int | None = None,
                   custom_fields: dict[str, Any] | None = None) -> Account:
    """A new account, audited."""
    name = name.strip()
    if not name:
        raise BadInput("An account needs a name.")
    account = Account(team_id=team_id, name=name, domain=domain, industry=industry,
                      owner_id=owner_id, custom_fields=custom_fields or {})
    audit.created(session, account, actor=actor)
    return account


def find_accounts(session: Session, *, team_id: str, name: str) -> list[Account]:
    """Accounts whose name equals `name`, ignoring case."""
    return list(session.scalars(
        select(Account).where(Account.team_id == team_id,
                              func.lower(Account.name) == name.strip().lower())
        .order_by(Account.id)
    ))


def update_account(session: Session, *, actor: User | None, account: Account,
                   **changes: Any) -> bool:
    """Change an account's fields; True when anything changed."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise BadInput(f"Accounts have no field {', '.join(sorted(unknown))}.")
    return audit.updated(session, account, actor=actor, changes=changes)
