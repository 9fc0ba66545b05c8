"""Fields, synonyms and the result types of CSV import and export."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from crm_store.errors import BadInput
from crm_store.models import Lifecycle

IMPORTABLE = ("contacts", "accounts", "deals")
EXPORTABLE = (*IMPORTABLE, "activities")
SYSTEM_USER_ID = "USYSTEM"
IGNORE = "ignore"

# Field → header synonyms; matching ignores case, spaces and punctuation.
_OWNER = ("Owner", "Owner Name", "Owner Email", "Assigned To", "Sales Rep", "Rep")
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "contacts": {
        "name": ("Name", "Full Name", "Contact Name", "Contact", "Person"),
        "first_name": ("First Name", "Given Name", "First"),
        "last_name": ("Last Name", "Surname", "Family Name", "Last"),
        "email": ("Email", "E-mail", "Email Address", "E-mail Address", "Work Email", "Mail"),
        "phone": ("Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Mobile Phone",
                  "Work Phone", "Cell"),
        "title": ("Job Title", "Title", "Position", "Role"),
        "account": ("Account", "Company", "Account Name", "Company Name", "Organization",
                    "Organisation", "Org", "Employer"),
        "lifecycle": ("Lifecycle", "Lifecycle Stage", "Lead Status", "Status"),
        "owner": ("Contact Owner", *_OWNER),
    },
    "accounts": {
        "name": ("Name", "Account", "Account Name", "Company", "Company Name", "Organization",
                 "Organisation"),
        "domain": ("Domain", "Website", "Web Site", "URL", "Web"),
        "industry": ("Industry", "Sector", "Vertical"),
        "owner": ("Account Owner", *_OWNER),
    },
    "deals": {
        "title": ("Title", "Deal Name", "Deal", "Deal Title", "Name", "Opportunity",
                  "Opportunity Name"),
        "account": ("Account", "Company", "Account Name", "Company Name", "Organization"),
        "contact": ("Contact", "Contact Email", "Contact Name", "Point of Contact"),
        "amount": ("Amount", "Value", "Deal Value", "Deal Amount", "Deal Size", "Price",
                   "Revenue"),
        "currency": ("Currency", "Currency Code"),
        "stage": ("Stage", "Deal Stage", "Pipeline Stage", "Status", "Phase"),
        "close_date": ("Close Date", "Closing Date", "Expected Close Date", "Expected Close",
                       "Close By", "Closes"),
        "owner": ("Deal Owner", *_OWNER),
    },
}
REQUIRED = {"contacts": ("name", "first_name", "last_name"), "accounts": ("name",),
            "deals": ("title",)}
EXPECTED = {
    "email": "an address like ana@example.com",
    "amount": "a number like 12500, 12,500.00 or $12,500",
    "close_date": "a date like 2026-03-15, 03/15/2026 or 15.03.2026",
    "lifecycle": "one of " + ", ".join(m.value for m in Lifecycle),
    "owner": "the name or email of a user of this workspace",
    "currency": "a three-letter code like USD or EUR",
    "domain": "a domain like example.com",
    "phone": "a phone number",
    "contact": "the email or name of a contact already in the CRM",
}
LIMITS = {"name": 200, "title": 200, "account": 200, "email": 320, "phone": 64,
          "domain": 253, "industry": 100}
_BLANKS = {"", "-", "--", "—", "n/a", "na", "null", "none"}

STAGE_SYNONYMS = {
    "lead": ("new", "new lead", "lead in", "leads", "prospect", "prospecting", "open",
             "inbound"),
    "qualified": ("qualification", "qualified to buy", "discovery", "needs analysis",
                  "contact made", "appointment scheduled", "sql"),
    "demo": ("demo scheduled", "demo done", "presentation", "presentation scheduled",
             "evaluation", "trial", "poc", "pilot", "value proposition"),
    "proposal": ("proposal made", "proposal sent", "quote", "quoted", "price quote",
                 "proposal/price quote", "decision maker bought in", "id. decision makers"),
    "negotiation": ("negotiations", "negotiating", "negotiations started",
                    "negotiation/review", "contract", "contract sent", "commit", "verbal",
                    "verbal commit"),
    "won": ("closed won", "closed-won", "win", "signed", "won deal"),
    "lost": ("closed lost", "closed-lost", "dead", "lost deal", "disqualified", "no decision"),
}
LIFECYCLE_SYNONYMS = {
    Lifecycle.LEAD: ("new", "mql", "subscriber", "open"),
    Lifecycle.PROSPECT: ("opportunity", "sql", "qualified", "prospective"),
    Lifecycle.CUSTOMER: ("client", "customer", "active", "won", "closed won"),
    Lifecycle.DEAD: ("lost", "churned", "disqualified", "inactive", "unqualified"),
}
_CURRENCY_SYMBOLS = (("US$", "USD"), ("C$", "CAD"), ("A$", "AUD"), ("$", "USD"), ("€", "EUR"),
                     ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"))
_MAX_AMOUNT = Decimal("1e12")  # Numeric(14, 2)


class FileProblem(BadInput):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class RowError:
    """One problem with one row: its file line, the column, and what was expected."""

    line: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]  # field → cell text; blank cells left out
    cells: tuple[str, ...]  # the row as read, to tell an exact repeat from a conflict


@dataclass
class Table:
    """A file read for import: rows keyed by field, and the header each field came from."""

    name: str
    rows: list[Row]
    columns: dict[str, str]
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    entity: str
    source: str
    dry_run: bool = False
    skip_bad_rows: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    accounts_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.line for e in self.errors})

    @property
    def should_commit(self) -> bool:
        """True when the caller should commit: not a dry run, and no bad rows unless skipped."""
        return not self.dry_run and (not self.errors or self.skip_bad_rows)
