"""Parsing cell values (pure): amounts, dates, stages, lifecycles, domains, phones."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from crm_store.csv_io.reading import norm
from crm_store.csv_io.schema import (
    _CURRENCY_SYMBOLS,
    _MAX_AMOUNT,
    LIFECYCLE_SYNONYMS,
    STAGE_SYNONYMS,
)
from crm_store.errors import BadInput
from crm_store.models import Lifecycle

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
