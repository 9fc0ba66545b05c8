"""Email drafts written to the recipient, from a DraftSheet (pure logic, no database).

Templates (prompts/drafts/*.txt, one per purpose) are sections of alternatives; the
draft is a function of (sheet, purpose, variant, tone, short), so a button can carry
those few options and the same draft comes back when it is pressed. A last check
drops any line that would leak something internal or name a past date.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from bot.assistant.draft_facts import DraftSheet
from prompts.templates import draft_template

STALE_DAYS = 30  # with no purpose given, a contact this long untouched gets a re-engage email
ALTERNATIVE = " || "
TONES = ("", "formal", "casual")
MAILTO_MAX = 3000  # Slack's limit on a button's url
PURPOSE_LABELS = {"follow_up": "follow-up", "recap": "recap", "proposal": "proposal",
                  "check_in": "check-in", "re_engage": "re-engagement"}
_PURPOSE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (purpose, re.compile(pattern, re.IGNORECASE)) for purpose, pattern in (
        ("re_engage", r"\bhaven'?t heard|\bhave not heard|\bnot heard back|\bno (?:reply|response)"
                      r"|\bre-?engag\w*|\brevive|\breviv\w+|\breconnect|\bwent (?:quiet|dark)"
                      r"|\bgone (?:quiet|dark)|\bghost\w*|\bdormant|\bbeen a while"),
        ("recap", r"\brecap|\bsummar\w*|\bnotes from|\bminutes|\bdebrief|\bwrap[- ]?up"),
        ("proposal", r"\bpric\w*|\bproposal|\bquote|\bquotation|\bestimate|\bcontract"
                     r"|\border form"),
        ("check_in", r"\bcheck(?:ing)?[- ]?in\b|\btouch(?:ing)? base|\bcatch(?:ing)?[- ]?up"),
        ("follow_up", r"\bfollow(?:ing)?[- ]?up|\bfollowup|\bthank"),
    )
)
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_DATE = re.compile(rf"\b({_MONTHS})[a-z]* (\d{{1,2}})\b")
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Options:
    """How to write it: which alternatives, which tone, full or short."""

    purpose: str = "follow_up"
    variant: int = 0
    tone: str = ""  # "" | formal | casual
    short: bool = False


@dataclass(frozen=True)
class Section:
    name: str
    optional: bool
    lines: tuple[tuple[str, str], ...]  # (tone, line with ' || ' fallbacks)


@dataclass(frozen=True)
class Draft:
    purpose: str
    subject: str
    body: str

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def pick_purpose(purpose: str | None, *, days_since_touch: int | None) -> str:
    """The purpose the words ask for; re-engage when long quiet and none given.

    Going quiet outranks everything ("follow up, haven't heard back"); otherwise the
    kind named first wins: "a follow-up about pricing" is a follow-up, "a recap of the
    pricing call" a recap.
    """
    found = [(m.start(), key) for key, pattern in _PURPOSE_WORDS
             if purpose and (m := pattern.search(purpose))]
    if any(key == "re_engage" for _, key in found):
        return "re_engage"
    if found:
        return min(found)[1]
    if days_since_touch is not None and days_since_touch > STALE_DAYS:
        return "re_engage"
    return "follow_up"


@cache
def sections(purpose: str) -> tuple[Section, ...]:
    """The template of a purpose, parsed: '[name]' or '[name?]' headers, then lines."""
    out: list[Section] = []
    name, optional, lines = None, False, []
    for raw in draft_template(purpose).splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            if name is not None:
                out.append(Section(name, optional, tuple(lines)))
            name, optional, lines = line[1:-1].rstrip("?"), line.endswith("?]"), []
            continue
        tone, _, rest = line.partition(": ")
        lines.append((tone, rest) if tone in ("formal", "casual") else ("", line))
    if name is not None:
        out.append(Section(name, optional, tuple(lines)))
    names = [s.name for s in out]
    if names[:2] != ["subject", "greeting"] or names[-1] != "signoff":
        raise ValueError(f"the {purpose} template must open with [subject] and [greeting] "
                         "and end with [signoff]")
    return tuple(out)


def placeholders(text: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}


def fill(line: str, values: dict[str, str]) -> str | None:
    """The first fallback of a line whose placeholders are all known, filled; else None."""
    for option in line.split(ALTERNATIVE):
        if placeholders(option) <= values.keys():
            return option.strip().format_map(values)
    return None


def choose(section: Section, values: dict[str, str], options: Options) -> str | None:
    """The line of a section for this tone and variant, or None when none can be filled."""
    tuned = [line for tone, line in section.lines if tone and tone == options.tone]
    plain = [line for tone, line in section.lines if not tone]
    for pool in (tuned, plain):
        filled = [text for line in pool if (text := fill(line, values)) is not None]
        if filled:
            return filled[options.variant % len(filled)]
    return None


def render(sheet: DraftSheet, options: Options, *, now: dt.datetime) -> Draft:
    """The draft for a sheet and options; lines that would leak are left out."""
    values = sheet.values()
    parts = {s.name: choose(s, values, options) for s in sections(options.purpose)
             if not (options.short and s.optional)}
    subject = parts.pop("subject") or "Following up"
    greeting = parts.pop("greeting") or "Hello,"
    signoff = parts.pop("signoff") or "Best,"
    body = [p for p in parts.values() if p and not leaks(p, sheet, now=now)]
    # A short note reads as one paragraph.
    paragraphs = [" ".join(body)] if options.short else body
    text = "\n\n".join([greeting, *paragraphs, f"{signoff}\n{sheet.sender}"])
    return Draft(purpose=options.purpose, subject=subject, body=text)


def leaks(text: str, sheet: DraftSheet, *, now: dt.datetime) -> list[str]:
    """What in `text` a customer must not read: competitor names, the notes' or tasks'
    own words (six words in a row), internal words, dates already past."""
    found = []
    lowered = text.lower()
    words = _WORD.findall(lowered)
    grams = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
    for item in sheet.forbidden:
        item_words = _WORD.findall(item.lower())
        if len(item_words) < 6:
            if re.search(rf"\b{re.escape(item.lower())}\b", lowered):
                found.append(item)
        elif any(" ".join(item_words[i:i + 6]) in grams for i in range(len(item_words) - 5)):
            found.append(item)
    for match in re.finditer(r"\bdiscount\w*|\bobjection\w*|\bcompetitor\w*|\bmy notes\b|"
                             r"\binternal\b", lowered):
        found.append(match.group(0))
    found += past_dates(text, now=now)
    return found


def past_dates(text: str, *, now: dt.datetime) -> list[str]:
    """'Nov 3'-style dates in `text` that are before today (this year, or next January)."""
    out = []
    today = now.date()
    for match in _DATE.finditer(text):
        month = _MONTHS.split("|").index(match.group(1)[:3]) + 1
        try:
            day = dt.date(today.year, month, int(match.group(2)))
        except ValueError:
            out.append(match.group(0))
            continue
        if day < today and (today - day).days < 183:  # a date half a year back is past;
            out.append(match.group(0))               # further back means next year's
    return out


def mailto(to: str | None, draft: Draft) -> str:
    """A mailto: URL with subject and body, cut at a line to fit Slack's url limit."""
    head = f"mailto:{quote(to or '', safe='@')}?subject={quote(draft.subject, safe='')}&body="
    lines = draft.body.split("\n")
    while lines:
        url = head + quote("\r\n".join(lines), safe="")
        if len(url) <= MAILTO_MAX:
            return url
        lines = lines[:-1]
    return head.removesuffix("&body=")
