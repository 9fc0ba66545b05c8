"""Email drafts from templates and CRM facts (pure logic, no database).

Templates (prompts/drafts/*.txt) are a 'Subject:' line then the body, with explicit
placeholders such as {first_name}. A line may offer alternatives separated by ' || ':
the first whose facts are all known is used. A line whose facts are missing is dropped,
never filled with a guess.
"""

from __future__ import annotations

import re
import string
from dataclasses import asdict, dataclass, fields

from prompts.templates import draft_template

STALE_DAYS = 30  # with no purpose given, a contact this long untouched gets a re-engage email
MAX_NOTE = 280
ALTERNATIVE = " || "
PURPOSE_LABELS = {"follow_up": "follow-up", "recap": "recap", "proposal": "proposal",
                  "check_in": "check-in", "re_engage": "re-engagement"}
# Most specific first: "follow up, haven't heard back" is a re-engagement.
_PURPOSE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (purpose, re.compile(pattern, re.IGNORECASE)) for purpose, pattern in (
        ("re_engage", r"\bhaven'?t heard|\bhave not heard|\bnot heard back|\bno (?:reply|response)"
                      r"|\bre-?engag\w*|\brevive|\breviv\w+|\breconnect|\bwent (?:quiet|dark)"
                      r"|\bgone (?:quiet|dark)|\bghost\w*|\bdormant|\bbeen a while"),
        ("proposal", r"\bpric\w*|\bproposal|\bquote|\bquotation|\bestimate|\bcontract"
                     r"|\border form"),
        ("recap", r"\brecap|\bsummar\w*|\bnotes from|\bminutes|\bdebrief|\bwrap[- ]?up"),
        ("check_in", r"\bcheck(?:ing)?[- ]?in\b|\btouch(?:ing)? base|\bcatch(?:ing)?[- ]?up"),
        ("follow_up", r"\bfollow(?:ing)?[- ]?up|\bfollowup|\bthank"),
    )
)
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"}


@dataclass(frozen=True)
class DraftFacts:
    """What the CRM knows, as display text; None when unknown."""

    name: str | None = None
    first_name: str | None = None
    account: str | None = None
    sender: str | None = None
    last_date: str | None = None
    last_kind: str | None = None  # call | meeting | email; None for notes (not a conversation)
    last_note: str | None = None
    deal_title: str | None = None
    deal_stage: str | None = None
    deal_amount: str | None = None
    close_date: str | None = None
    next_step: str | None = None
    next_step_due: str | None = None


FACTS = frozenset(f.name for f in fields(DraftFacts))
FACT_LABELS = {
    "name": "the contact's name", "first_name": "the contact's name", "account": "the account",
    "sender": "your name", "last_date": "the last interaction", "last_kind": "the last "
    "interaction", "last_note": "the last interaction's note", "deal_title": "an open deal",
    "deal_stage": "the deal stage", "deal_amount": "the deal amount",
    "close_date": "the deal's close date", "next_step": "an open task",
    "next_step_due": "the task's due date",
}


@dataclass(frozen=True)
class Draft:
    purpose: str
    subject: str
    body: str
    missing: tuple[str, ...]  # facts whose absence dropped a line

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def first_name(name: str | None) -> str | None:
    """'Dr. Jane Doe' → 'Jane'; None when there is no name."""
    words = [w for w in (name or "").split() if w.lower().rstrip(".") not in _TITLES]
    return words[0] if words else None


def quote_note(note: str | None, limit: int = MAX_NOTE) -> str | None:
    """A note on one line, cut at a word boundary with '…', safe inside a code block."""
    if not note or not note.strip():
        return None
    text = " ".join(note.replace("```", "'''").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–— ") + "…"


def pick_purpose(purpose: str | None, *, days_since_touch: int | None) -> str:
    """The template for free-text purpose words; re-engage when long quiet and none given."""
    for key, pattern in _PURPOSE_WORDS:
        if purpose and pattern.search(purpose):
            return key
    if days_since_touch is not None and days_since_touch > STALE_DAYS:
        return "re_engage"
    return "follow_up"


def placeholders(text: str) -> set[str]:
    """The {names} a template text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def render_line(line: str, facts: dict[str, str]) -> tuple[str | None, set[str]]:
    """The first alternative whose facts are all known, or None and the facts that the
    least demanding (last) alternative still lacked."""
    absent: set[str] = set()
    for option in line.split(ALTERNATIVE):
        needed = placeholders(option)
        absent = {n for n in needed if not facts.get(n)}
        if not absent:
            return (option.strip().format_map(facts) if needed else option.strip()), set()
    return None, absent


def render(template: str, facts: DraftFacts, *, purpose: str = "follow_up") -> Draft:
    """Fill a template with facts; lines needing unknown facts fall back or are dropped."""
    known = {k: v for k, v in asdict(facts).items() if v}
    unknown = placeholders(template.replace(ALTERNATIVE, "\n")) - FACTS
    if unknown:
        raise ValueError(f"template uses unknown placeholders: {', '.join(sorted(unknown))}")
    lines = template.strip("\n").splitlines()
    head, body_lines = lines[0], lines[1:]
    subject, _ = render_line(head, known)
    if subject is None or not subject.startswith("Subject:"):
        raise ValueError("a draft template starts with a 'Subject:' line that always renders")
    missing: set[str] = set()
    out: list[str] = []
    for line in body_lines:
        if not line.strip():
            out.append("")
            continue
        rendered, lacking = render_line(line, known)
        missing |= lacking
        if rendered is not None:
            out.append(rendered)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return Draft(purpose=purpose, subject=subject.removeprefix("Subject:").strip(), body=body,
                 missing=tuple(sorted(missing)))


def draft_email(purpose: str, facts: DraftFacts) -> Draft:
    """The draft for one of prompts.templates.DRAFT_PURPOSES, filled from facts."""
    return render(draft_template(purpose), facts, purpose=purpose)


# A missing record explains its missing details: no deal, so no deal stage either.
_IMPLIED = {"deal_title": ("deal_stage", "deal_amount", "close_date"),
            "last_date": ("last_kind", "last_note"), "next_step": ("next_step_due",),
            "name": ("first_name",)}


def missing_labels(draft: Draft) -> list[str]:
    """What the CRM lacked for this draft, in words, without repeats."""
    implied = {d for m in draft.missing for d in _IMPLIED.get(m, ())}
    order = [f.name for f in fields(DraftFacts)]
    names = sorted(set(draft.missing) - implied, key=order.index)
    return list(dict.fromkeys(FACT_LABELS[m] for m in names))

