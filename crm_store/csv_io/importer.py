"""Applying an import file through the audited services, in the caller's transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from crm_store.csv_io.schema import (
    EXPECTED,
    LIMITS,
    SYSTEM_USER_ID,
    FileProblem,
    ImportReport,
    Row,
    RowError,
    Table,
)
from crm_store.csv_io.values import (
    guess_day_first,
    parse_amount,
    parse_currency,
    parse_date,
    parse_domain,
    parse_lifecycle,
    parse_phone,
    parse_stage,
)
from crm_store.errors import BadInput
from crm_store.models import Account, Contact, Deal, Role, User
from crm_store.services import accounts, audit, contacts, deals
from crm_store.services.pipelines import default_pipeline
from crm_store.services.users import get_or_create_user

log = logging.getLogger(__name__)


# --- applying rows --------------------------------------------------------------------


def import_actor(session: Session, *, team_id: str, name: str | None = None) -> User:
    """Who the import is audited as: the named user, or the workspace's system user."""
    if name:
        return _Users(session, team_id).find(name)
    return get_or_create_user(session, team_id=team_id, slack_user_id=SYSTEM_USER_ID,
                              name="System", role=Role.ADMIN)


def apply_table(session: Session, table: Table, *, entity: str, actor: User, team_id: str,
                dry_run: bool = False, skip_bad_rows: bool = False,
                day_first: bool | None = None,
                on_progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Write the table's good rows through the services (audited); never commits."""
    report = ImportReport(entity=entity, source=table.name, dry_run=dry_run,
                          skip_bad_rows=skip_bad_rows, notes=list(table.notes),
                          errors=list(table.errors))
    report.rows = len(table.rows) + len({e.line for e in table.errors})
    audit.set_source(session, f"import:{table.name}"[:200])
    importer = _Importer(session, table=table, entity=entity, actor=actor, team_id=team_id,
                         report=report, day_first=day_first)
    total = len(table.rows)
    for done, row in enumerate(table.rows, start=1):
        try:
            importer.import_row(row)
        except SQLAlchemyError as exc:
            log.debug("import failed at line %s", row.line, exc_info=True)
            raise FileProblem(f"{table.name} line {row.line}: the database refused the row "
                              f"({type(getattr(exc, 'orig', None) or exc).__name__}); "
                              "nothing was imported") from exc
        if on_progress:
            on_progress(done, total)
    report.errors.sort(key=lambda e: e.line)
    return report


class _Users:
    """The workspace's users by name, email and Slack id, for Owner columns."""

    def __init__(self, session: Session, team_id: str) -> None:
        self.users = list(session.scalars(
            select(User).where(User.team_id == team_id).order_by(User.is_active.desc(), User.id)))
        self.by_key: dict[str, list[User]] = {}
        for user in self.users:
            for key in {user.name.lower(), (user.email or "").lower(), user.slack_user_id.lower()}:
                if key:
                    self.by_key.setdefault(key, []).append(user)

    def find(self, text: str) -> User:
        key = " ".join(text.split()).lower()
        matches = self.by_key.get(key) or [u for u in self.users if u.name.lower().startswith(key)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = ", ".join(u.name for u in matches[:5])
            raise BadInput(f"'{text}' matches several users ({names}); use their email")
        raise BadInput(f"no user '{text}' in this workspace")


class _Importer:
    """Validates each row against dicts of existing records, then writes it."""

    def __init__(self, session: Session, *, table: Table, entity: str, actor: User,
                 team_id: str, report: ImportReport, day_first: bool | None) -> None:
        self.session, self.table, self.entity = session, table, entity
        self.actor, self.team_id, self.report = actor, team_id, report
        self.users = _Users(session, team_id)
        self.seen: dict[tuple[Any, ...], Row] = {}
        self.accounts: dict[str, Account] = {}
        for account in session.scalars(select(Account).where(Account.team_id == team_id)
                                       .order_by(Account.id)):
            self.accounts.setdefault(account.name.lower(), account)
        if entity in ("contacts", "deals"):
            self._load_contacts()
        if entity == "deals":
            pipeline = default_pipeline(session, team_id=team_id)
            self.stages = {s.key: s.label for s in pipeline.stages}
            self.deals = {(d.account_id, d.title.lower()): d for d in session.scalars(
                select(Deal).where(Deal.team_id == team_id).order_by(Deal.id.desc()))}
            dates = (r.values["close_date"] for r in table.rows if "close_date" in r.values)
            self.day_first = guess_day_first(dates) if day_first is None else day_first

    def _load_contacts(self) -> None:
        self.by_email: dict[str, Contact] = {}
        self.by_name: dict[str, list[Contact]] = {}
        for contact in self.session.scalars(select(Contact).where(
                Contact.team_id == self.team_id).order_by(Contact.id)):
            if contact.email:
                self.by_email.setdefault(contact.email.lower(), contact)
            self.by_name.setdefault(contact.name.lower(), []).append(contact)

    def import_row(self, row: Row) -> None:
        problems: list[RowError] = []
        values = getattr(self, f"_{self.entity}_values")(row, problems)
        if not problems:
            self._check_repeat(row, values, problems)
        if problems:
            self.report.errors.extend(problems)
            return
        outcome = getattr(self, f"_write_{self.entity}")(values)
        if outcome == "created":
            self.report.created += 1
        elif outcome == "updated":
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    # -- validation ----------------------------------------------------------------

    def _column(self, fld: str) -> str:
        return self.table.columns.get(fld, fld)

    def _value(self, row: Row, fld: str, problems: list[RowError],
               parse: Callable[[str], Any] | None = None) -> Any:
        raw = row.values.get(fld)
        if raw is None:
            return None
        try:
            value = parse(raw) if parse else " ".join(raw.split())
        except BadInput as exc:
            expected = EXPECTED.get(fld)
            message = str(exc).rstrip(".") + (f" (expected {expected})" if expected else "")
            problems.append(RowError(row.line, message, self._column(fld)))
            return None
        limit = LIMITS.get(fld)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(RowError(row.line, f"is {len(value)} characters long (expected at "
                                               f"most {limit})", self._column(fld)))
            return None
        return value

    def _owner(self, row: Row, problems: list[RowError]) -> int | None:
        owner = self._value(row, "owner", problems, self.users.find)
        return owner.id if owner else None

    def _contacts_values(self, row: Row, problems: list[RowError]) -> dict[str, Any]:
        if "name" not in row.values:
            problems.append(RowError(row.line, "has no name", self._column("name")))
        return {
            "name": self._value(row, "name", problems),
            "email": self._value(row, "email", problems, contacts.normalize_email),
            "phone": self._value(row, "phone", problems, parse_phone),
            "title": self._value(row, "title", problems),
            "account": self._value(row, "account", problems),
            "lifecycle": self._value(row, "lifecycle", problems, parse_lifecycle),
            "owner_id": self._owner(row, problems),
        }

    def _accounts_values(self, row: Row, problems: list[RowError]) -> dict[str, Any]:
        if "name" not in row.values:
            problems.append(RowError(row.line, "has no account name", self._column("name")))
        return {
            "name": self._value(row, "name", problems),
            "domain": self._value(row, "domain", problems, parse_domain),
            "industry": self._value(row, "industry", problems),
            "owner_id": self._owner(row, problems),
        }

    def _deals_values(self, row: Row, problems: list[RowError]) -> dict[str, Any]:
        if "title" not in row.values:
            problems.append(RowError(row.line, "has no deal title", self._column("title")))
        account = self._value(row, "account", problems)
        amount = self._value(row, "amount", problems, parse_amount)
        stage_expected = "one of " + ", ".join(self.stages)
        stage = None
        if "stage" in row.values:
            try:
                stage = parse_stage(row.values["stage"], self.stages)
            except BadInput as exc:
                problems.append(RowError(row.line, f"{exc} (expected {stage_expected})",
                                         self._column("stage")))
        return {
            "title": self._value(row, "title", problems),
            "account": account,
            "contact": self._value(row, "contact", problems,
                                   lambda text: self._find_contact(text, account)),
            "amount": amount[0] if amount else None,
            "currency": (self._value(row, "currency", problems, parse_currency)
                         or (amount[1] if amount else None)),
            "stage": stage,
            "close_date": self._value(row, "close_date", problems,
                                      lambda text: parse_date(text, day_first=self.day_first)),
            "owner_id": self._owner(row, problems),
        }

    def _find_contact(self, text: str, account_name: str | None) -> Contact:
        if "@" in text:
            contact = self.by_email.get(text.strip().lower())
            if contact is None:
                raise BadInput(f"no contact has the email '{text}'")
            return contact
        matches = self.by_name.get(" ".join(text.split()).lower(), [])
        account = self.accounts.get((account_name or "").lower())
        if account is not None and len(matches) > 1:
            matches = [c for c in matches if c.account_id == account.id] or matches
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise BadInput(f"'{text}' matches {len(matches)} contacts; give the contact's email")
        raise BadInput(f"no contact named '{text}'")

    def _check_repeat(self, row: Row, values: dict[str, Any], problems: list[RowError]) -> None:
        """Rows of one file that mean the same record: the second is a problem to report."""
        if self.entity == "contacts":
            key: tuple[Any, ...] = (("email", values["email"]) if values["email"] else
                                    ("name", values["name"].lower(),
                                     (values["account"] or "").lower()))
            what = "email" if values["email"] else "name and account"
        elif self.entity == "accounts":
            key, what = ("name", values["name"].lower()), "name"
        else:
            key = ((values["account"] or "").lower(), values["title"].lower())
            what = "title and account"
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = row
        elif first.cells == row.cells:
            problems.append(RowError(row.line, f"repeats line {first.line}; remove one of them"))
        else:
            problems.append(RowError(row.line, f"has the same {what} as line {first.line} but "
                                               "different values; keep one of them"))

    # -- writing --------------------------------------------------------------------

    def _account_id(self, name: str | None) -> int | None:
        if not name:
            return None
        account = self.accounts.get(name.lower())
        if account is None:
            account = accounts.create_account(self.session, actor=self.actor,
                                              team_id=self.team_id, name=name)
            self.accounts[name.lower()] = account
            self.report.accounts_created += 1
        return account.id

    def _write_contacts(self, v: dict[str, Any]) -> str:
        existing = self.by_email.get(v["email"]) if v["email"] else None
        if existing is None and not v["email"]:
            account = self.accounts.get((v["account"] or "").lower())
            same = [c for c in self.by_name.get(v["name"].lower(), [])
                    if c.account_id == (account.id if account else None) and not c.email]
            existing = same[0] if same else None
        fields = {k: v[k] for k in ("name", "email", "phone", "title", "lifecycle", "owner_id")
                  if v[k] is not None}
        if v["account"]:
            fields["account_id"] = self._account_id(v["account"])
        if existing is not None:
            changed = contacts.update_contact(self.session, actor=self.actor,
                                              contact=existing, **fields)
            return "updated" if changed else "unchanged"
        contact = contacts.create_contact(self.session, actor=self.actor, team_id=self.team_id,
                                          **fields)
        if contact.email:
            self.by_email[contact.email] = contact
        self.by_name.setdefault(contact.name.lower(), []).append(contact)
        return "created"

    def _write_accounts(self, v: dict[str, Any]) -> str:
        fields = {k: v[k] for k in ("domain", "industry", "owner_id") if v[k] is not None}
        existing = self.accounts.get(v["name"].lower())
        if existing is not None:
            changed = accounts.update_account(self.session, actor=self.actor, account=existing,
                                              **fields)
            return "updated" if changed else "unchanged"
        self.accounts[v["name"].lower()] = accounts.create_account(
            self.session, actor=self.actor, team_id=self.team_id, name=v["name"], **fields)
        return "created"

    def _write_deals(self, v: dict[str, Any]) -> str:
        account_id = self._account_id(v["account"])
        contact_id = v["contact"].id if v["contact"] else None
        existing = self.deals.get((account_id, v["title"].lower()))
        if existing is not None:
            changed = deals.update_deal(
                self.session, actor=self.actor, deal=existing, stage=v["stage"],
                amount=v["amount"], close_date=v["close_date"], owner_id=v["owner_id"],
                contact_id=contact_id)
            return "updated" if changed else "unchanged"
        deal = deals.create_deal(
            self.session, actor=self.actor, team_id=self.team_id, title=v["title"],
            account_id=account_id, contact_id=contact_id, amount=v["amount"],
            currency=v["currency"] or "USD", stage=v["stage"] or "lead",
            close_date=v["close_date"], owner_id=v["owner_id"])
        self.deals[(account_id, deal.title.lower())] = deal
        return "created"
