"""CSV export of contacts, accounts, deals and activities (re-importable as is)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from crm_store.models import Account, Activity, Contact, Deal

# --- export ---------------------------------------------------------------------------

HEADERS = {
    "contacts": ("Name", "Email", "Phone", "Job Title", "Account", "Lifecycle", "Owner"),
    "accounts": ("Name", "Domain", "Industry", "Owner"),
    "deals": ("Title", "Account", "Contact", "Amount", "Currency", "Stage", "Close Date",
              "Owner"),
    "activities": ("Kind", "Occurred At", "Contact", "Contact Email", "Account", "Deal",
                   "Author", "Body", "Source"),
}


def export_csv(session: Session, *, entity: str, team_id: str, out: TextIO) -> int:
    """Write the workspace's records as CSV that `import` reads back; returns the row count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[entity])
    count = 0
    for values in _EXPORTERS[entity](session, team_id):
        writer.writerow(["" if v is None else v for v in values])
        count += 1
    return count


def _name(obj: Any) -> str | None:
    return obj.name if obj is not None else None


def _contact_rows(session: Session, team_id: str) -> Iterator[Sequence[Any]]:
    query = (select(Contact).options(joinedload(Contact.account), joinedload(Contact.owner))
             .where(Contact.team_id == team_id).order_by(Contact.name, Contact.id))
    for c in session.scalars(query):
        yield (c.name, c.email, c.phone, c.title, _name(c.account), c.lifecycle.value,
               _name(c.owner))


def _account_rows(session: Session, team_id: str) -> Iterator[Sequence[Any]]:
    query = (select(Account).options(joinedload(Account.owner))
             .where(Account.team_id == team_id).order_by(Account.name, Account.id))
    for a in session.scalars(query):
        yield (a.name, a.domain, a.industry, _name(a.owner))


def _deal_rows(session: Session, team_id: str) -> Iterator[Sequence[Any]]:
    query = (select(Deal).options(joinedload(Deal.account), joinedload(Deal.contact),
                                  joinedload(Deal.owner))
             .where(Deal.team_id == team_id).order_by(Deal.title, Deal.id))
    for d in session.scalars(query):
        contact = (d.contact.email or d.contact.name) if d.contact else None
        yield (d.title, _name(d.account), contact,
               f"{d.amount:f}" if d.amount is not None else None, d.currency, d.stage,
               d.close_date.isoformat() if d.close_date else None, _name(d.owner))


def _activity_rows(session: Session, team_id: str) -> Iterator[Sequence[Any]]:
    query = (select(Activity).options(joinedload(Activity.contact), joinedload(Activity.account),
                                      joinedload(Activity.deal), joinedload(Activity.author))
             .where(Activity.team_id == team_id).order_by(Activity.occurred_at, Activity.id))
    for a in session.scalars(query):
        when = a.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        yield (a.kind.value, when, _name(a.contact), a.contact.email if a.contact else None,
               _name(a.account), a.deal.title if a.deal else None, _name(a.author), a.body,
               a.source_ref)


_EXPORTERS: dict[str, Callable[[Session, str], Iterator[Sequence[Any]]]] = {
    "contacts": _contact_rows, "accounts": _account_rows, "deals": _deal_rows,
    "activities": _activity_rows,
}
