"""Accounts (companies)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Account, User, name_key
from crm_store.services import audit
from crm_store.services.unique import insert_or_get

EDITABLE = {"name", "domain", "industry", "owner_id", "custom_fields"}
SUFFIX = "  #"  # keys of namesakes from before the key was unique (migration 0009)


def create_account(session: Session, *, actor: User | None, team_id: str, name: str,
                   domain: str | None = None, industry: str | None = None,
                   owner_id: int | None = None,
                   custom_fields: dict[str, Any] | None = None) -> Account:
    """A new account, audited; BadInput when the workspace has one of that name."""
    account, created = get_or_create_account(
        session, actor=actor, team_id=team_id, name=name, domain=domain, industry=industry,
        owner_id=owner_id, custom_fields=custom_fields, look_first=False)
    if not created:
        raise BadInput(f"There is already an account called '{account.name}'.")
    return account


def get_or_create_account(session: Session, *, actor: User | None, team_id: str, name: str,
                          domain: str | None = None, industry: str | None = None,
                          owner_id: int | None = None,
                          custom_fields: dict[str, Any] | None = None,
                          look_first: bool = True) -> tuple[Account, bool]:
    """The account called `name` (ignoring case and spacing), created and audited when
    there is none — once, however many messages name it at the same moment."""
    name = name.strip()
    if not name:
        raise BadInput("An account needs a name.")
    key = name_key(name)
    account, created = insert_or_get(
        session,
        Account(team_id=team_id, name=name, name_key=key, domain=domain, industry=industry,
                owner_id=owner_id, custom_fields=custom_fields or {}),
        existing=lambda: session.scalar(select(Account).where(
            Account.team_id == team_id, Account.name_key == key)), look_first=look_first)
    if created:
        audit.record(session, actor=actor, action="create", obj=account, before=None)
    return account, created


def find_accounts(session: Session, *, team_id: str, name: str) -> list[Account]:
    """Accounts whose name equals `name`, ignoring case and spacing (namesakes that
    predate the unique key included)."""
    key = name_key(name)
    return list(session.scalars(
        select(Account).where(Account.team_id == team_id,
                              or_(Account.name_key == key,
                                  Account.name_key.startswith(key + SUFFIX, autoescape=True)))
        .order_by(Account.id)
    ))


def update_account(session: Session, *, actor: User | None, account: Account,
                   **changes: Any) -> bool:
    """Change an account's fields; True when anything changed."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise BadInput(f"Accounts have no field {', '.join(sorted(unknown))}.")
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise BadInput("An account needs a name.")
        key = name_key(changes["name"])
        if key != name_key(account.name):
            taken = session.scalar(select(Account).where(
                Account.team_id == account.team_id, Account.name_key == key,
                Account.id != account.id))
            if taken is not None:
                raise BadInput(f"There is already an account called '{taken.name}'.")
            changes["name_key"] = key
    return audit.updated(session, account, actor=actor, changes=changes)
