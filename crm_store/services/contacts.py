"""Contacts (people at accounts)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_store.errors import BadInput
from crm_store.models import Contact, Lifecycle, User, name_key
from crm_store.services import audit, touches
from crm_store.services.unique import insert_or_get

ACTOR = object()  # default owner: whoever creates the record

EDITABLE = {"name", "account_id", "title", "email", "phone", "lifecycle", "owner_id",
            "custom_fields"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SUFFIX = "  #"  # namesakes' keys: "ana ortiz  #2" (two spaces: no name's key has them)
ATTEMPTS = 5


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
    """A new contact, audited; owned by the actor unless `owner_id` says (None: nobody).

    Always a new person, even when the account has one of that name (an import with two
    "Ana Ortiz" of different emails): the namesake gets a suffixed key and both stay
    findable by name. To mean "the one called …", use `get_or_create_contact`.
    """
    contact = _new_contact(actor=actor, team_id=team_id, name=name, account_id=account_id,
                           title=title, email=email, phone=phone, lifecycle=lifecycle,
                           owner_id=owner_id, custom_fields=custom_fields)
    # The plain key first (one INSERT, no query: imports stay fast); a namesake holding
    # it means the next free suffix, retried in case another one lands meanwhile.
    for _ in range(ATTEMPTS):
        try:
            with session.begin_nested():
                session.add(contact)
                session.flush()
            break
        except IntegrityError:
            tried = contact.name_key
            contact.name_key = free_key(session, team_id=team_id, account_id=account_id,
                                        name=contact.name)
            if contact.name_key == tried:
                raise  # not the name key: another constraint failed
    else:
        raise BadInput(f"'{contact.name}' is being added by someone else; try again.")
    audit.record(session, actor=actor, action="create", obj=contact, before=None)
    touches.counted(session, account_id=account_id, by=1)
    return contact


def get_or_create_contact(session: Session, *, actor: User | None, team_id: str, name: str,
                          account_id: int | None = None, title: str | None = None,
                          email: str | None = None, phone: str | None = None,
                          lifecycle: Lifecycle = Lifecycle.LEAD,
                          owner_id: int | None | Any = ACTOR,
                          custom_fields: dict[str, Any] | None = None,
                          ) -> tuple[Contact, bool]:
    """The contact called `name` at `account_id` (ignoring case and spacing), created and
    audited when there is none — once, however many messages name them at the same moment."""
    contact = _new_contact(actor=actor, team_id=team_id, name=name, account_id=account_id,
                           title=title, email=email, phone=phone, lifecycle=lifecycle,
                           owner_id=owner_id, custom_fields=custom_fields)
    key = contact.name_key
    contact, created = insert_or_get(session, contact, existing=lambda: session.scalar(
        _in_scope(select(Contact), team_id=team_id, account_id=account_id)
        .where(Contact.name_key == key)))
    if created:
        audit.record(session, actor=actor, action="create", obj=contact, before=None)
        touches.counted(session, account_id=account_id, by=1)
    return contact, created


def _new_contact(*, actor: User | None, team_id: str, name: str, account_id: int | None,
                 title: str | None, email: str | None, phone: str | None,
                 lifecycle: Lifecycle, owner_id: int | None | Any,
                 custom_fields: dict[str, Any] | None) -> Contact:
    name = " ".join(name.split())
    if not name:
        raise BadInput("A contact needs a name.")
    return Contact(team_id=team_id, name=name, name_key=name_key(name), account_id=account_id,
                   title=title, email=normalize_email(email), phone=phone, lifecycle=lifecycle,
                   owner_id=getattr(actor, "id", None) if owner_id is ACTOR else owner_id,
                   custom_fields=custom_fields or {})


def _in_scope(query, *, team_id: str, account_id: int | None):  # noqa: ANN001, ANN202
    # The unique index counts "no account" as one account (coalesce(account_id, 0)).
    return query.where(Contact.team_id == team_id,
                       Contact.account_id == account_id if account_id is not None
                       else Contact.account_id.is_(None))


def free_key(session: Session, *, team_id: str, account_id: int | None, name: str,
             exclude_id: int | None = None) -> str:
    """The name's key, or with "  #2", "  #3"… when a namesake at the account holds it."""
    base = name_key(name)
    query = _in_scope(select(Contact.name_key), team_id=team_id, account_id=account_id).where(
        or_(Contact.name_key == base, Contact.name_key.startswith(base + SUFFIX, autoescape=True)))
    if exclude_id is not None:
        query = query.where(Contact.id != exclude_id)
    taken = set(session.scalars(query))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{SUFFIX}{n}"
    return key


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
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
        if not changes["name"]:
            raise BadInput("A contact needs a name.")
    name = changes.get("name", contact.name)
    account_id = changes.get("account_id", contact.account_id)
    if name_key(name) != name_key(contact.name) or account_id != contact.account_id:
        # Renamed or moved: its key must be free where it lands (a namesake there keeps
        # the plain key, this one takes a suffix).
        changes["name_key"] = free_key(session, team_id=contact.team_id, account_id=account_id,
                                       name=name, exclude_id=contact.id)
    moved_from = contact.account_id
    changed = audit.updated(session, contact, actor=actor, changes=changes)
    if changed and account_id != moved_from:
        touches.counted(session, account_id=moved_from, by=-1)
        touches.counted(session, account_id=account_id, by=1)
    return changed
