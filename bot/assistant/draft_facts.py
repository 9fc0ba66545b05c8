"""What an email to a customer may say, from the CRM (pure logic, no database, no model).

A draft is written *to* the recipient, so nothing internal may reach it: notes are never
quoted, and only customer-safe phrases are lifted from them — what was covered ("the
contract", "your security review") and what we promised to send ("the revised order
form") — from a fixed vocabulary. Sentences carrying an objection, a competitor, a
discount or the budget are skipped outright. Dates are only ever future ones: proposed
call slots and due dates still ahead; the last interaction is named relatively
("yesterday", "last week"). `DraftSheet.forbidden` lists what must never appear
(competitor names, the notes' own sentences, task titles), for the renderer's last
check and for a model's verifier later.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.assistant import format as fmt
from bot.assistant.brief_facts import (
    ROUTINE_EMAIL,
    NoteRec,
    TaskRec,
    find_competitors,
)
from bot.assistant.summarize import classify, split_sentences

CONVERSATIONS = ("call", "meeting", "email")
ANCHOR_WORDS = {"call": "call", "meeting": "meeting", "email": "email exchange"}
_I = re.IGNORECASE
# Anything a customer must not read about themselves, whatever the sentence says else.
INTERNAL = re.compile(r"\bdiscount\w*|\bobjection\w*|\bpush ?back\b|\bcompetitor\w*|\bbudget\b|"
                      r"\bcheaper\b|\blower\b|\bquoted\b|\bcomparing\b|\bevaluating\b|"
                      r"\bconcern\w*|\brisk\w*|\bworr\w*|\bno (?:answer|reply|response)\b|"
                      r"\bvoicemail\b|\bpark\b|\bnot a fit\b|\bchampion\b", _I)
TOPIC_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), phrase) for p, phrase in (
        (r"\bcontract\b|\bredlines?\b|\blegal\b", "the contract"),
        (r"\bsecurity\b|\bSSO\b|\bquestionnaire\b", "your security review"),
        (r"\bdemo\b", "the demo"),
        (r"\btrial\b|\bpilot\b", "the trial"),
        (r"\border form\b", "the order form"),
        (r"\bpric(?:e|es|ing)\b|\bproposal\b|\bquote\b", "pricing"),
        (r"\bonboarding\b|\bkickoff\b|\brollout\b", "onboarding"),
        (r"\btimeline\b|\bgo[- ]live\b|\bsignature\b", "timing"),
        (r"\bROI\b", "the ROI"),
        (r"\breports?\b|\breporting\b|\bforecast\w*", "reporting"),
        (r"\breference call\b", "a reference call"),
    ))
# A task that hands the customer something ("Send…", "Walk … through ROI"); "Chase
# redlines" or "Get discount approval" are ours to do, not theirs to receive.
GIVING = re.compile(r"\s*(?:send|share|prepare|set up|book|deliver|walk|introduce|intro)\b", _I)
DELIVERABLES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), phrase) for p, phrase in (
        (r"\brevised order form\b", "the revised order form"),
        (r"\bfinal order form\b", "the final order form"),
        (r"\border form\b", "the order form"),
        (r"\bproposal\b", "the proposal"),
        (r"\bpricing\b|\bquote\b", "pricing"),
        (r"\boverview deck\b", "the overview deck"),
        (r"\bbusiness review deck\b", "the business review deck"),
        (r"\bcase study\b", "a relevant case study"),
        (r"\brecording\b", "the demo recording"),
        (r"\bsecurity questionnaire\b", "our security questionnaire answers"),
        (r"\bROI\b", "an ROI walkthrough"),
        (r"\busage report\b", "your usage report"),
        (r"\breference call\b", "a reference call"),
        (r"\btrial\b", "the trial setup"),
        (r"\bredlines?\b", "our reply on the contract redlines"),
        (r"\bonboarding (?:plan|checklist|timeline)\b|\bkickoff\b", "a kickoff plan"),
        (r"\bdiscovery recap\b|\brecap\b", "a short recap"),
        (r"\bagenda\b", "an agenda"),
    ))


@dataclass(frozen=True)
class DraftSheet:
    """The customer-safe facts of one draft, as display text; None when unknown."""

    first_name: str | None
    name: str | None
    account: str | None
    sender: str
    anchor: str | None  # "call" | "meeting" | "email exchange"
    when: str | None  # "yesterday", "on Monday", "last week"
    topics: str | None  # "the contract and your security review"
    deliverables: str | None  # "the revised order form"
    deliver_by: str | None  # " by Friday, Dec 4" (always ahead of now)
    day1: str  # proposed call slots, always ahead of now
    day2: str
    product: str | None
    amount: str | None
    days_quiet: int | None
    cites: tuple[str, ...]  # the fact ids it rests on
    forbidden: tuple[str, ...]  # competitor names, note sentences, task titles

    def values(self) -> dict[str, str]:
        """The placeholders a template may use, known ones only."""
        return {k: v for k, v in self.__dict__.items()
                if isinstance(v, str) and v and k not in ("forbidden", "cites")}


def first_name(name: str | None) -> str | None:
    """'Dr. Jane Doe' → 'Jane'; None when there is no name."""
    titles = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"}
    words = [w for w in (name or "").split() if w.lower().rstrip(".") not in titles]
    return words[0] if words else None


def relative_day(at: dt.datetime, *, now: dt.datetime, tz: ZoneInfo) -> str:
    """How an email names a past day without a date: 'today', 'on Monday', 'last week'."""
    days = (now.astimezone(tz).date() - at.astimezone(tz).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {at.astimezone(tz):%A}"
    if days < 14:
        return "last week"
    return "a few weeks ago" if days < 45 else "a while back"


def future_day(day: dt.date) -> str:
    """'Tuesday, Dec 1'."""
    return f"{day:%A}, {day:%b} {day.day}"


def call_slots(*, now: dt.datetime, tz: ZoneInfo) -> tuple[str, str]:
    """The next two working days after today, in the sender's zone."""
    day = now.astimezone(tz).date()
    slots: list[str] = []
    while len(slots) < 2:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            slots.append(future_day(day))
    return slots[0], slots[1]


def join_words(items: Sequence[str]) -> str | None:
    """'a', 'a and b', 'a, b and c'; None when empty."""
    items = list(dict.fromkeys(items))
    if not items:
        return None
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _safe(sentence: str, competitors: Sequence[str]) -> bool:
    category, _ = classify(sentence)
    return category != "objection" and not INTERNAL.search(sentence) and not any(
        re.search(rf"\b{re.escape(c)}\b", sentence, _I) for c in competitors)


def topics_of(note: NoteRec | None, competitors: Sequence[str]) -> list[str]:
    """Customer-safe phrases for what a conversation covered."""
    found: list[str] = []
    for sentence in split_sentences(note.body if note else ""):
        if not _safe(sentence, competitors):
            continue
        found += [phrase for pattern, phrase in TOPIC_PHRASES if pattern.search(sentence)]
    return list(dict.fromkeys(found))[:3]


def deliverable_of(text: str) -> str | None:
    """The customer-safe name of what a commitment sends, if the vocabulary knows it."""
    return next((phrase for pattern, phrase in DELIVERABLES if pattern.search(text)), None)


def promised(note: NoteRec | None, tasks: Sequence[TaskRec], competitors: Sequence[str], *,
             now: dt.datetime, tz: ZoneInfo) -> tuple[list[str], str | None, list[str]]:
    """What we said we would send, by when (only when still ahead), and the tasks used."""
    found: list[str] = []
    used: list[str] = []
    due: list[dt.datetime] = []
    overdue = False
    for sentence in split_sentences(note.body if note else ""):
        category, _ = classify(sentence)
        phrase = deliverable_of(sentence)
        if category == "next_step" and phrase and _safe(sentence, competitors):
            found.append(phrase)
    for task in tasks:
        phrase = deliverable_of(task.title) if GIVING.match(task.title) else None
        if phrase is None or not _safe(task.title, competitors):
            continue
        found.append(phrase)
        used.append(f"T{task.id}")
        if task.due_at is not None and task.due_at > now:
            due.append(task.due_at)
        elif task.due_at is not None:
            overdue = True
    by = None
    if due and not overdue:
        by = f" by {future_day(min(due).astimezone(tz).date())}"
    return list(dict.fromkeys(found))[:2], by, used


def product_of(deal_title: str | None, account: str | None) -> str | None:
    """'Greencrest Learning - Enterprise upgrade' → 'the Enterprise upgrade'."""
    if not deal_title:
        return None
    title = deal_title
    if account and title.lower().startswith(account.lower()):
        title = title[len(account):].lstrip(" -–—:")
    if not title:
        return None
    return title if title.lower().startswith("the ") else f"the {title}"


def build_draft_sheet(*, name: str | None, account: str | None, sender: str,
                      notes: Sequence[NoteRec], tasks: Sequence[TaskRec],
                      deal_title: str | None, deal_amount: Decimal | None, currency: str,
                      now: dt.datetime, tz: ZoneInfo,
                      known_names: Sequence[str] = ()) -> DraftSheet:
    """The facts a draft may use: anchored on the latest conversation with the contact."""
    notes = sorted((n for n in notes if n.at <= now), key=lambda n: (n.at, n.id), reverse=True)
    talks = [n for n in notes if n.kind in CONVERSATIONS]
    anchor = talks[0] if talks else None
    competitors = find_competitors([n.body for n in notes],
                                   known_names=[*known_names, *(x for x in (name, account) if x)])
    # A routine email we sent is where things were left, but not something we discussed.
    discussed = anchor if anchor and not (anchor.kind == "email"
                                          and ROUTINE_EMAIL.match(anchor.body)) else None
    things, by, used = promised(anchor, tasks, competitors, now=now, tz=tz)
    day1, day2 = call_slots(now=now, tz=tz)
    forbidden = [*competitors, *(t.title for t in tasks)]
    forbidden += [s for n in notes for s in split_sentences(n.body) if len(s.split()) >= 4]
    cites = ([f"A{anchor.id}"] if anchor else []) + used
    return DraftSheet(
        first_name=first_name(name), name=name, account=account, sender=sender,
        anchor=ANCHOR_WORDS[anchor.kind] if anchor else None,
        when=relative_day(anchor.at, now=now, tz=tz) if anchor else None,
        topics=join_words(topics_of(discussed, competitors)),
        deliverables=join_words(things), deliver_by=by, day1=day1, day2=day2,
        product=product_of(deal_title, account),
        amount=fmt.money(deal_amount, currency) if deal_amount else None,
        days_quiet=(now - notes[0].at).days if notes else None,
        cites=tuple(cites), forbidden=tuple(dict.fromkeys(forbidden)))
