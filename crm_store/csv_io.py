"""CSV import and export of contacts, accounts and deals; vCard import of contacts.

Reading a file is pure: decode it, map its headers to fields, keep every row with its
file line number (the header is line 1). Applying it writes through the crm_store
services, so every write is audited, and never commits: the caller commits when
`ImportReport.should_commit` and rolls back otherwise (a dry run, or bad rows without
--skip-bad-rows). Existing records are loaded into dicts once, not queried per row.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, joinedload

from crm_store.errors import BadInput
from crm_store.models import Account, Activity, Contact, Deal, Lifecycle, Role, User
from crm_store.services import accounts, audit, contacts, deals
from crm_store.services.pipelines import default_pipeline
from crm_store.services.users import get_or_create_user
from crm_store.vcard import looks_like_vcard, parse_vcards

log = logging.getLogger(__name__)

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


# --- reading files ---------------------------------------------------------------------


def read_import_file(path: str | Path, *, entity: str, mapping: Sequence[str] = ()) -> Table:
    """The file's rows, mapped to the entity's fields; FileProblem when it cannot be used."""
    path = Path(path)
    text, notes = read_text(path)
    if path.suffix.lower() in (".vcf", ".vcard") or looks_like_vcard(text):
        if entity != "contacts":
            raise FileProblem(f"{path.name} is a vCard file, and vCards hold contacts: "
                              "import it as contacts")
        table = vcard_table(path.name, text)
    else:
        table = csv_table(path.name, text, entity=entity, mapping=mapping)
    table.notes[:0] = notes
    return table


def read_text(path: Path) -> tuple[str, list[str]]:
    """The file's text and notes on how it was decoded; FileProblem when it is not text."""
    if not path.exists():
        raise FileProblem(f"{path}: no such file")
    if path.is_dir():
        raise FileProblem(f"{path} is a directory; give the path of a .csv or .vcf file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode(data, path.name)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """UTF-8 (with or without a BOM), or UTF-16/32 when a byte-order mark says so."""
    boms = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
            (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
    for bom, label in boms:
        if data.startswith(bom):
            try:
                text = data.decode(label.lower())
            except UnicodeDecodeError:
                raise FileProblem(f"{name} starts like {label} text but is not valid {label}; "
                                  "save it as UTF-8 and import again") from None
            # A byte-order mark makes the encoding certain, so reading it cannot garble.
            return _nonempty(text, name), [f"{name} is {label} text (it has a byte-order "
                                           "mark); read it as such"]
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem(f"{name} looks like a spreadsheet workbook (.xlsx), not CSV text; "
                          "save it as CSV UTF-8 and import that")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(_not_utf8(data, name, exc)) from None
    if "\x00" in text:
        # NUL bytes are valid UTF-8, but no CSV has them: UTF-16 without a BOM, or binary.
        raise FileProblem(_not_utf8(data, name, None))
    return _nonempty(text, name), []


def _nonempty(text: str, name: str) -> str:
    if not text.strip():
        raise FileProblem(f"{name} is empty")
    return text


def _not_utf8(data: bytes, name: str, exc: UnicodeDecodeError | None) -> str:
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        looks = "like UTF-16 without a byte-order mark"
    elif exc is None:
        looks = "like a binary file: it contains NUL bytes"
    else:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        shown = bytes([byte]).decode("cp1252", "replace")
        looks = (f"like Windows-1252/Latin-1: line {line} has the byte 0x{byte:02X}, "
                 f"'{shown}' in that encoding")
    return (f"{name} is not UTF-8 text (looks {looks}); save it as UTF-8 "
            "(in Excel: Save As → CSV UTF-8) and import again")


def csv_table(name: str, text: str, *, entity: str, mapping: Sequence[str] = ()) -> Table:
    """Rows of CSV text keyed by field; the delimiter (, ; or tab) is taken from the header."""
    # strict: an unclosed quote is an error, not a field that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    rows: list[Row] = []
    errors: list[RowError] = []
    start = 1
    try:
        header = next((cells for cells in reader if any(c.strip() for c in cells)), None)
        if header is None:
            raise FileProblem(f"{name} is empty")
        header = [h.strip() for h in header]
        columns, notes = map_headers(entity, header, mapping, name=name)
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if any(c.strip() for c in cells[len(header):]):
                errors.append(RowError(line, f"has {len(cells)} cells but the header has "
                                             f"{len(header)}; does a value contain a "
                                             "delimiter without quotes?"))
                continue
            values = {f: v for f, i in columns.items()
                      if i < len(cells) and (v := _clean(cells[i]))}
            cells = [c.strip() for c in cells[:len(header)]]
            rows.append(Row(line, _full_name(values), tuple(cells)))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise FileProblem(f"{name} line {start}: a quoted value that starts on this row is "
                              'never closed (an unmatched ")') from None
        raise FileProblem(f"{name} line {reader.line_num} cannot be read as CSV: {exc}") from None
    if not rows and not errors:
        raise FileProblem(f"{name} has a header but no rows to import")
    shown = {f: header[i] for f, i in columns.items()}
    if "name" not in shown and {"first_name", "last_name"} & set(shown):
        shown["name"] = " + ".join(shown[f] for f in ("first_name", "last_name") if f in shown)
    return Table(name, rows, shown, notes, errors)


def _full_name(values: dict[str, str]) -> dict[str, str]:
    """First and last name columns joined into a name when there is no name column."""
    parts = [values[f] for f in ("first_name", "last_name") if f in values]
    if "name" not in values and parts:
        values["name"] = " ".join(parts)
    return values


def _delimiter(text: str) -> str:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _clean(cell: str) -> str:
    cell = cell.strip()
    return "" if cell.lower() in _BLANKS else cell


def norm(header: str) -> str:
    """A header or label reduced to lower-case letters and digits, for matching."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


def map_headers(entity: str, header: Sequence[str], mapping: Sequence[str] = (), *,
                name: str = "the file") -> tuple[dict[str, int], list[str]]:
    """Field → column index for the header, with --map overrides, and notes for the user."""
    fields = FIELDS[entity]
    synonyms = {norm(s): f for f, names in fields.items() for s in (f, *names)}
    explicit = _parse_mapping(entity, header, mapping, name)
    columns: dict[str, int] = {f: i for i, f in explicit.items() if f != IGNORE}
    notes, ignored = [], []
    for i, head in enumerate(header):
        if not head or i in explicit:
            continue
        fld = synonyms.get(norm(head))
        if fld is None:
            ignored.append(head)
        elif fld in columns:
            notes.append(f"column '{head}' also looks like {fld}; used "
                         f"'{header[columns[fld]]}' (choose with --map)")
        else:
            columns[fld] = i
    if ignored:
        notes.append("ignored columns: " + ", ".join(f"'{h}'" for h in ignored))
    if not any(f in columns for f in REQUIRED[entity]):
        wanted = REQUIRED[entity][0]
        examples = ", ".join(fields[wanted][:3])
        found = ", ".join(f"'{h}'" for h in header if h) or "none"
        raise FileProblem(f"{name} has no {wanted} column (looked for {examples}); the headers "
                          f"found are {found}. Name the column with --map 'HEADER={wanted}'")
    return columns, notes


def _parse_mapping(entity: str, header: Sequence[str], mapping: Sequence[str],
                   name: str) -> dict[int, str]:
    known = {norm(f): f for f in FIELDS[entity]}
    index = {}
    for i, head in enumerate(header):
        index.setdefault(norm(head), i)
    explicit: dict[int, str] = {}
    for item in mapping:
        head, eq, target = item.rpartition("=")
        if not eq or not head.strip():
            raise FileProblem(f"--map '{item}' should look like 'CSV Header=field'")
        fld = IGNORE if norm(target) in ("", IGNORE, "skip") else known.get(norm(target))
        if fld is None:
            raise FileProblem(f"--map '{item}': {entity} have no field '{target.strip()}'; "
                              f"the fields are {', '.join(FIELDS[entity])} (or ignore)")
        if norm(head) not in index:
            found = ", ".join(f"'{h}'" for h in header if h)
            raise FileProblem(f"--map '{item}': {name} has no column '{head.strip()}'; "
                              f"its headers are {found}")
        explicit[index[norm(head)]] = fld
    return explicit


def vcard_table(name: str, text: str) -> Table:
    """The cards of a vCard file as contact rows, each at the line of its BEGIN:VCARD."""
    rows = []
    for card in parse_vcards(text):
        values = {"name": card.name, "email": card.emails[0] if card.emails else None,
                  "phone": card.phones[0] if card.phones else None, "title": card.title,
                  "account": card.org}
        values = {k: v for k, v in values.items() if v}
        rows.append(Row(card.line, values, tuple(f"{k}={v}" for k, v in sorted(values.items()))))
    if not rows:
        raise FileProblem(f"{name} has no BEGIN:VCARD … END:VCARD cards")
    columns = {"name": "FN", "email": "EMAIL", "phone": "TEL", "title": "TITLE", "account": "ORG"}
    return Table(name, rows, columns)


# --- parsing values (pure) -----------------------------------------------------------


def parse_amount(text: str) -> tuple[Decimal, str | None]:
    """An amount like "$12,500", "12.500,50 €" or "12k", and its currency when it names one."""
    s = re.sub(r"[\s'_]", "", text)
    currency = None
    if code := re.match(r"^([A-Za-z]{3})(?=[\d(+-])", s) or re.search(r"(?<=[\d)])[A-Za-z]{3}$", s):
        currency, s = code.group(0).upper(), s.replace(code.group(0), "", 1)
    for symbol, code_ in _CURRENCY_SYMBOLS:
        if s.startswith(symbol) or s.endswith(symbol) or s.startswith(f"-{symbol}"):
            currency, s = currency or code_, s.replace(symbol, "", 1)
            break
    negative = s.startswith("-") or (s.startswith("(") and s.endswith(")"))
    s = s.strip("()+-")
    multiplier = {"k": 1_000, "m": 1_000_000}.get(s[-1:].lower(), 1)
    s = s[:-1] if multiplier != 1 else s
    try:
        amount = Decimal(_plain_number(s)) * multiplier
    except (InvalidOperation, ValueError):
        raise BadInput(f"'{text}' is not an amount") from None
    if negative and amount:
        raise BadInput(f"'{text}' is negative; amounts cannot be below zero")
    if amount >= _MAX_AMOUNT:
        raise BadInput(f"'{text}' is too large")
    return amount.quantize(Decimal("0.01")), currency


def _plain_number(s: str) -> str:
    """Digits with thousands separators and a decimal comma or point, as "1234.5"."""
    if "," in s and "." in s:
        mark = "," if s.rfind(",") > s.rfind(".") else "."
        whole, _, frac = s.rpartition(mark)
        group = "." if mark == "," else ","
        if not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})*", whole) or not frac.isdigit():
            raise ValueError(s)
        return whole.replace(group, "") + "." + frac
    if "," in s:
        if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
            return s.replace(",", "")
        if re.fullmatch(r"\d+,\d{1,2}", s):
            return s.replace(",", ".")
        raise ValueError(s)
    if re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", s):
        return s.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", s):
        raise ValueError(s)
    return s


# A time after the date (Excel writes "3/15/2026 0:00"; ISO has "T09:30:00Z").
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?"
                   r"\s*(?:Z|[+-]\d{2}:?\d{2})?$")
_MONTHS = {name[:3].lower(): i for i, name in enumerate(calendar.month_name) if name}


def parse_date(text: str, *, day_first: bool = False) -> dt.date:
    """A date in ISO, US (03/15/2026), EU (15.03.2026, 15/03/2026) or "Mar 15, 2026" form.

    Slash and dash dates whose first part is above 12 are day-first whatever `day_first`
    says; `day_first` decides the ambiguous ones like 03/04/2026.
    """
    s = _TIME.sub("", text.strip(), count=1).strip()
    try:
        if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s):
            year, month, day = (int(g) for g in m.groups())
        elif m := re.fullmatch(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})", s):
            a, sep, b, y = m.groups()
            year = int(y) if len(y) == 4 else 2000 + int(y)
            if sep == "." or int(a) > 12 or (day_first and int(b) <= 12):
                day, month = int(a), int(b)
            else:
                month, day = int(a), int(b)
        elif m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3,})\.?,?[ -](\d{4})", s):
            day, month, year = int(m[1]), _MONTHS[m[2][:3].lower()], int(m[3])
        elif m := re.fullmatch(r"([A-Za-z]{3,})\.?[ -](\d{1,2})(?:st|nd|rd|th)?,?[ -](\d{4})", s):
            month, day, year = _MONTHS[m[1][:3].lower()], int(m[2]), int(m[3])
        else:
            raise ValueError(text)
        return dt.date(year, month, day)
    except (ValueError, KeyError):
        raise BadInput(f"'{text}' is not a date") from None


def guess_day_first(values: Iterable[str]) -> bool:
    """True when a file's slash dates are plainly day/month: some start above 12, none
    has a middle part above 12."""
    day_first = month_first = False
    for value in values:
        if m := re.match(r"\s*(\d{1,2})[/-](\d{1,2})[/-]\d{2,4}\b", value):
            day_first |= int(m[1]) > 12
            month_first |= int(m[2]) > 12
    return day_first and not month_first


def parse_stage(text: str, stages: dict[str, str]) -> str:
    """The pipeline stage key for a stage key, label or common synonym (e.g. "Closed Won")."""
    wanted = norm(text)
    for key, label in stages.items():
        if wanted in (norm(key), norm(label)):
            return key
    for key, names in STAGE_SYNONYMS.items():
        if key in stages and wanted in {norm(n) for n in names}:
            return key
    raise BadInput(f"'{text}' is not a stage")


def parse_lifecycle(text: str) -> Lifecycle:
    """A contact lifecycle from its value or a common synonym."""
    wanted = norm(text)
    for stage in Lifecycle:
        if wanted == stage.value or wanted in {norm(n) for n in LIFECYCLE_SYNONYMS[stage]}:
            return stage
    raise BadInput(f"'{text}' is not a lifecycle stage")


def parse_domain(text: str) -> str:
    """A bare domain from a domain or website URL: "https://www.Acme.com/x" → "acme.com"."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip().lower()).split("/")[0]
    host = host.split(":")[0].removeprefix("www.")
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host):
        raise BadInput(f"'{text}' is not a web domain")
    return host


def parse_phone(text: str) -> str:
    """The phone number as written, with spacing tidied; BadInput when it has no digits."""
    if sum(ch.isdigit() for ch in text) < 3:
        raise BadInput(f"'{text}' is not a phone number")
    return " ".join(text.split())


def parse_currency(text: str) -> str:
    """A three-letter currency code, upper-cased."""
    if not re.fullmatch(r"[A-Za-z]{3}", text.strip()):
        raise BadInput(f"'{text}' is not a currency code")
    return text.strip().upper()


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
