"""Holding the model to its facts (pure logic): a claim stays only when every id it cites
is a fact of the sheet, and every number, date and name in it appears in those facts.

Numbers are compared by value ("$48,000", "48k" and "48000.00" are one number), dates by
month and day ("Dec 15", "December 15th", "2026-12-15"), names case-blind by word. Words
any reply may use (the subject's name, weekdays and months of the cited facts' own dates)
count as said. A claim with a link, or with something a customer must not read (a draft's
forbidden strings), is dropped too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.writing.claims import Claim
from bot.writing.sheet import Sheet, Source

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<m>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|" \
         r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DATES = (
    re.compile(r"\b(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})(?:(?:T| (?=\d\d:))[\d:.+-]+)?\b"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH +
               r"(?:,?\s+(?P<y>\d{4}))?"),
)
NUMBER = re.compile(r"(?<![\w.])[$€£]?(?P<n>\d[\d,]*(?:\.\d+)?)\s?(?P<u>[kKmM]\b|bn\b)?")
WORD = re.compile(r"[A-Za-z][\w'&-]*")
LINK = re.compile(r"https?://|<[^>]*\|", re.IGNORECASE)
MARKUP = re.compile(r"[*_~`“”\"]")
# Capitalised words any sentence may start with (or any brief may use as a label).
COMMON = frozenset((  # noqa: SIM905 - a list of words reads better as words
    "a about after all also an and any are as at be before both but by can could did do does each "
    "even every few for from had has have he her here his how i i'm if in is it its just last let "
    "looks may more most much my new next no not now of on once one only or our over per please "
    "plus same several she since so some still such thanks thank that the their them then there "
    "these they this those to two three up us was we were what when where which while who why "
    "will with would yes yet you your budget timeline legal security pricing competition decision "
    "risk risks signal signals status stage deal deals open closed won lost note notes task tasks "
    "call calls meeting meetings email emails contact contacts account accounts pipeline weighted "
    "total overall brief last touch overdue due follow hi hello dear best regards cheers kind "
    "sincerely looking great happy glad good quick just following checking hope wanted i'll i'd "
    "i've i'm we'll we're we've let's it's that's you're you'll here's "
).split())
UNUSED = frozenset({"crm", "slack", "ok", "q1", "q2", "q3", "q4", "usd", "eur", "gbp"})


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    reason: str | None  # why it was dropped; None when it stands

    @property
    def ok(self) -> bool:
        return self.reason is None


def _value(digits: str, unit: str | None) -> Decimal | None:
    try:
        value = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None
    scale = {"k": 1000, "m": 1_000_000, "bn": 1_000_000_000}.get((unit or "").lower(), 1)
    return (value * scale).normalize()


def dates_in(text: str) -> tuple[set[tuple[int, int]], str]:
    """(month, day) pairs the text names, and the text with them blanked out."""
    found: set[tuple[int, int]] = set()

    def take(match: re.Match[str]) -> str:
        parts = match.groupdict()
        month = int(parts["mn"]) if parts.get("mn") else MONTHS.index(parts["m"][:3].lower()) + 1
        found.add((month, int(parts["d"])))
        return " " + (parts.get("y") or "") + " "  # a year said is still a number to check

    for pattern in DATES:
        text = pattern.sub(take, text)
    return found, text


def numbers_in(text: str) -> set[Decimal]:
    return {v for m in NUMBER.finditer(text) if (v := _value(m["n"], m["u"])) is not None}


def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for m in re.finditer(r"(?:[.!?:;•\n(—–-]\s*)", text):
        starts.add(m.end())
    return starts


def names_in(text: str) -> list[tuple[str, bool]]:
    """Capitalised words: (word, at the start of a sentence or clause)."""
    starts = _sentence_starts(text)
    return [(m.group(), m.start() in starts) for m in WORD.finditer(text)
            if m.group()[0].isupper()]


@dataclass(frozen=True)
class Said:
    """What a set of facts says, ready to compare with."""

    numbers: set[Decimal]
    dates: set[tuple[int, int]]
    words: set[str]

    @classmethod
    def of(cls, sources: list[Source], *, always: str = "",
           tz: dt.tzinfo = dt.UTC) -> Said:
        text = " ".join([s.material for s in sources] + [always])
        dates, rest = dates_in(text)
        words = {w.lower() for w in WORD.findall(text)}
        for source in sources:
            at = source.at
            # the day in UTC and in the reader's zone: either is how the fact was dated
            days = {at.date(), at.astimezone(tz).date()} if isinstance(at, dt.datetime) \
                else {at} if at is not None else set()
            for day in days:
                dates.add((day.month, day.day))
                words |= {f"{day:%A}".lower(), f"{day:%B}".lower(), f"{day:%b}".lower()}
                rest += f" {day.year} {day.day}"
        for month, _ in dates:
            words.add(MONTHS[month - 1])
        return cls(numbers=numbers_in(rest), dates=dates, words=words)


def check(claim: Claim, sheet: Sheet, *, always: str = "") -> Verdict:
    """Whether a claim stands on the facts it cites (see the module docstring)."""
    unknown = [fid for fid in claim.cites if fid not in sheet.sources]
    if unknown:
        return Verdict(claim, f"cites unknown {', '.join(unknown)}")
    if not claim.cites and sheet.prompt != "draft":
        return Verdict(claim, "cites nothing")
    text = MARKUP.sub(" ", claim.text)
    if LINK.search(text):
        return Verdict(claim, "has a link")
    lowered = text.lower()
    leak = next((f for f in sheet.forbidden if f and f.lower() in lowered), None)
    if leak is not None:
        return Verdict(claim, "says something internal")
    said = Said.of([sheet.sources[fid] for fid in claim.cites],
                   always=f"{sheet.subject} {always}", tz=sheet.tz)
    dates, rest = dates_in(text)
    if dates - said.dates:
        return Verdict(claim, "has a date its facts do not")
    extra = numbers_in(rest) - said.numbers
    if extra:
        return Verdict(claim, "has a number its facts do not")
    for word, at_start in names_in(rest):
        key = word.lower()
        base = key.removesuffix("'s").removesuffix("’s")
        if base in said.words or key in said.words or base in UNUSED:
            continue
        if key in COMMON or base in COMMON:
            continue
        if at_start and base.rstrip("s") in said.words:
            continue
        return Verdict(claim, f"names {word}, which its facts do not")
    return Verdict(claim, None)
