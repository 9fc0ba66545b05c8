"""Contacts (people at accounts)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Contact, Lifecycle, User
from crm_store.services import audit

ACTOR = object()  # default owner: whoever creates the record

EDITABLE = {"name", "account_id", "title", "email", "phone", "lifecycle", "owner_id",
            "custom_fields"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str | None) -> str | None:
    """A trimmed, lower-cased email; BadInput when it is not one."""
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise BadInput(f"'{email}' is not an email address.")
    return email


def create_contact(session: Session, *, actor: User | None, team_id: str, name: str,
                   account_id: int | None = None, title: str | None = None,
                   email: str | None = None, phone: str | None = None,
                   lifecycle: Lifecycle = Lifecycle.LEAD, owner_id: int | None | Any = ACTOR,
                   custom_fields: dict[str, Any] | None = None) -> Contact:
    """A new contact, audited; owned by the actor unless `owner_id` says (None: nobody)."""
    name = " ".join(name.split())
    if not name:
        raise BadInput("A contact needs a name.")
    contact = Contact(team_id=team_id, name=name, account_id=account_id, title=title,
                      email=normalize_email(email), phone=phone, lifecycle=lifecycle,
                      owner_id=getattr(actor, "id", None) if owner_id is ACTOR else owner_id,
                      custom_fields=custom_fields or {})
    audit.created(session, contact, actor=actor)
    return contact


def find_contacts(session: Session, *, team_id: str, name: str | None = None,
                  email: str | None = None, account_id: int | None = None) -> list[Contact]:
    """Contacts matching an exact name or email (ignoring case), optionally at an account."""
    query = select(Contact).where(Contact.team_id == team_id)
    if name:
        query = query.where(func.lower(Contact.name) == " ".join(name.split()).lower())
    if email:
        query = query.where(func.lower(Contact.email) == email.strip().lower())
    if account_id is not None:
        query = query.where(Contact.account_id == account_id)
    return list(session.scalars(query.order_by(Contact.id)))


def update_contact(session: Session, *, actor: User | None, contact: Contact,
                   **changes: Any) -> bool:
    """Change a contact's fields; True when anything changed."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise BadInput(f"Contacts have no field {', '.join(sorted(unknown))}.")
    if "email" in changes:
        changes["email"] = normalize_email(changes["email"])
    return audit.updated(session, contact, actor=actor, changes=changes)
