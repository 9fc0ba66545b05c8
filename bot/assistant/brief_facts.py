"""The fact sheet behind a brief (pure logic, no database, no model).

The executor reads plain records (activities, tasks, deals, contacts) and this module
turns them into a `FactSheet`: every record gets a stable id (`A123` an activity, `T45` a
task, `D7` a deal, `C3` a contact), and every statement of the brief is a `Point` that
cites those ids. The offline renderer (brief_render) writes the brief from the sheet;
a model can later be handed the same sheet and be held to the same ids.

What makes it a brief rather than a list of quotes: sentences are sorted into topics
(budget, timeline, legal, security, pricing, competition, decision) and the newest
sentence on a topic supersedes the older ones, per deal; routine outbound emails are
never risks; stakeholders get their roles from titles and from what the notes say.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from bot.assistant.summarize import NOTE_KINDS, classify, split_sentences, trim_quote

NEXT_STEP_DAYS = 21  # commitments in notes older than this are no longer "next steps"
STALE_DAYS = 60  # notes older than this no longer say where things stand
PER_SECTION = {"signal": 3, "risk": 4}
MAX_TASKS = 5

_I = re.IGNORECASE
# Primary topic of a sentence: the first that matches, most specific first.
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(p, _I)) for topic, p in (
    ("competition", r"\bcompetitors?\b|\bcomparing us\b|\bevaluating\b|\bgoing with\b|"
                    r"\bwent with\b|\bquoted\b|\bis out\b|\bvendor of choice\b|\balternatives?\b"),
    ("security", r"\bsecurity\b|\bSSO\b|\bSOC ?2\b|\bGDPR\b|\bcompliance\b|\bquestionnaire\b"),
    ("legal", r"\blegal\b|\bredlines?\b|\bredlined\b|\bcontract\b|\bMSA\b|\bliability\b"),
    ("budget", r"\bbudget\b|\bfunding\b|\bCFO signed off\b"),
    ("pricing", r"\bpric(?:e|es|ing)\b|\bdiscount\b|\b\d+\s?% off\b|\bquote\b|\bproposal\b|"
                r"\border form\b|\bROI\b|\bterms\b"),
    ("timeline", r"\btimeline\b|\bgo[- ]live\b|\blive before\b|\bnext quarter\b|\bsignature\b|"
                 r"\brollout\b|\bdelay(?:ed|s)?\b|\bpushed (?:out|back)\b|\bon hold\b|\bkickoff\b"),
    ("decision", r"\bdecision[- ]maker\b|\bsigns? off\b|\bsigned off\b|\bbuying process\b|"
                 r"\breference call\b"),
))
TOPIC_LABELS = {"competition": "Competition", "security": "Security", "legal": "Legal",
                "budget": "Budget", "pricing": "Pricing", "timeline": "Timeline",
                "decision": "Decision"}

# What the notes say about a person, and what a title implies.
ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(p, _I)) for role, p in (
    ("owns the budget", r"\bown(?:s)? the budget\b|\bbudget (?:holder|owner)\b|"
                        r"\beconomic buyer\b|\bcontrols the budget\b"),
    ("decision maker", r"\bdecision[- ]maker\b|\bfinal say\b|\bsigns? off\b"),
    ("champion", r"\bchampion\b|\bpushing for us\b|\binternal advocate\b|\bin our corner\b"),
    ("legal", r"\bfrom legal\b|\bhandles legal\b|\bgeneral counsel\b|\bruns legal\b"),
    ("security", r"\bruns security\b|\bfrom security\b|\bowns security\b|\bsecurity lead\b"),
))
# Only functions a title states outright; who decides or holds the budget is for the
# notes to say, not for a title to suggest.
TITLE_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(p, _I)) for role, p in (
    ("legal", r"\blegal\b|\bcounsel\b"),
    ("security", r"\bsecurity\b|\bCISO\b"),
    ("procurement", r"\bprocurement\b|\bpurchasing\b"),
))
# People the notes mention who are not contacts: "their CFO", "their legal team".
OTHERS = re.compile(r"\b(?:their|the)\s+(CFO|CEO|CTO|CISO|legal(?: team)?|IT|procurement|"
                    r"security team|board)\b", _I)
# Outbound routine mail: what we sent is a fact, never a risk on its own.
ROUTINE_EMAIL = re.compile(r"^\s*(?:sent|emailed|shared|forwarded|welcome email|thanked|"
                           r"replied|invited)\b", _I)
DISCOUNT = re.compile(r"\bdiscount\b|\b\d+\s?% off\b|\bmoney off\b", _I)
WON_OVER = re.compile(r"\bis out\b|\bvendor of choice\b|\bchose us\b|\bgoing with us\b", _I)
# "Dealforge quoted 15% lower", "comparing us with Pipewise", "going with CloseLoop".
_NAME = r"([A-Z][\w&.-]*[A-Za-z0-9](?:\s+[A-Z][\w&-]+)?)"
COMPETITOR_CUES = (
    # The cue in any case, the name capitalised: "Competitor in the mix is Pipewise".
    re.compile(r"\b(?i:comparing us (?:with|to|against)|comparing with|evaluating|also looking "
               r"at|competitors?(?: in the mix)?(?: is| are|:)|going with|went with|chose|"
               r"lost to|switch(?:ing)? to|versus|vs\.?)\s+" + _NAME),
    re.compile(_NAME + r"\s+(?:quoted|is cheaper|came in (?:lower|cheaper|under)|undercut|"
               r"is out\b|offered a lower)"),
)
NOT_NAMES = frozenset(w.lower() for w in (
    "They", "The", "Their", "We", "Our", "Us", "It", "He", "She", "CFO", "CEO", "IT", "Legal",
    "Security", "Procurement", "Next", "Also", "Price", "Pricing", "Budget", "A", "An", "This",
    "That", "Them", "Another", "Other", "Several", "Two", "Three", "Vendors", "Options"))


@dataclass(frozen=True)
class NoteRec:
    """An activity as read from the store."""

    id: int
    kind: str
    at: dt.datetime
    body: str
    author: str | None = None
    contact_id: int | None = None
    contact: str | None = None
    deal_id: int | None = None
    permalink: str | None = None  # the Slack message it was logged from


@dataclass(frozen=True)
class TaskRec:
    id: int
    title: str
    due_at: dt.datetime | None
    assignee: str | None = None
    contact: str | None = None
    deal_id: int | None = None


@dataclass(frozen=True)
class DealRec:
    id: int
    title: str
    stage: str
    amount: Decimal | None
    currency: str
    close_date: dt.date | None
    stage_since: dt.datetime | None = None
    earlier_close: dt.date | None = None  # the close date before it last moved later
    contact_id: int | None = None


@dataclass(frozen=True)
class PersonRec:
    id: int
    name: str
    title: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Fact:
    """One record the brief may cite, as the reader (or a model) can check it."""

    id: str  # A123 | T45 | D7 | C3
    kind: str  # call | meeting | email | note | voice_note | task | deal | contact
    at: dt.datetime | dt.date | None
    text: str  # the note verbatim, the task title, the deal or the person described
    permalink: str | None = None
    contact: str | None = None
    deal: str | None = None  # the deal's fact id
    author: str | None = None


@dataclass(frozen=True)
class Point:
    """One statement of the brief and the facts that back it."""

    section: str  # status | signal | risk | next_step | task
    text: str  # quoted from the note (offline), or the task title
    cites: tuple[str, ...]
    at: dt.datetime | None
    topic: str | None = None
    deal: str | None = None
    contact: str | None = None
    tone: str | None = None  # signal | risk, for a status line
    overdue: bool = False


@dataclass(frozen=True)
class DealBrief:
    id: str
    title: str
    stage: str
    amount: Decimal | None
    currency: str
    close_date: dt.date | None
    slipped_from: dt.date | None
    past_due: bool
    days_in_stage: int | None


@dataclass(frozen=True)
class Stakeholder:
    id: str | None  # None for someone the notes mention who is not a contact
    name: str
    title: str | None
    roles: tuple[str, ...]
    cites: tuple[str, ...]


@dataclass(frozen=True)
class FactSheet:
    subject: str
    now: dt.datetime
    facts: dict[str, Fact]
    deals: tuple[DealBrief, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    status: tuple[Point, ...] = ()
    signals: tuple[Point, ...] = ()
    risks: tuple[Point, ...] = ()
    next_steps: tuple[Point, ...] = ()
    last_touch: str | None = None  # fact id
    superseded: tuple[Point, ...] = ()  # kept for the record, not shown
    competitors: tuple[str, ...] = ()
    of_contact: bool = False

    @property
    def empty(self) -> bool:
        return not self.deals and self.last_touch is None and not self.next_steps

    def points(self) -> list[Point]:
        """Every point the brief shows, in reading order."""
        return [*self.status, *self.signals, *self.risks, *self.next_steps]

    def as_data(self) -> dict[str, Any]:
        """The sheet as plain JSON-ready data: what a model is handed instead of the
        timeline, every point with the fact ids it may cite."""
        def plain(value: Any) -> Any:
            if isinstance(value, dt.datetime | dt.date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, tuple | list):
                return [plain(v) for v in value]
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        return plain({
            "subject": self.subject, "now": self.now,
            "facts": [asdict(f) for f in self.facts.values()],
            "deals": [asdict(d) for d in self.deals],
            "stakeholders": [asdict(s) for s in self.stakeholders],
            **{name: [asdict(p) for p in getattr(self, name)]
               for name in ("status", "signals", "risks", "next_steps")},
            "last_touch": self.last_touch, "competitors": self.competitors,
        })


@dataclass
class _Sentence:
    text: str
    note: NoteRec
    topic: str | None
    category: str | None  # signal | objection | next_step
    routine: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def fact_id(kind: str, record_id: int) -> str:
    """'A12' for activity 12, 'T3' for task 3, 'D7' for deal 7, 'C4' for contact 4."""
    return {"activity": "A", "task": "T", "deal": "D", "contact": "C"}[kind] + str(record_id)


def topic_of(sentence: str, competitors: Sequence[str] = ()) -> str | None:
    """The sentence's primary topic, or None."""
    if any(re.search(rf"\b{re.escape(c)}\b", sentence) for c in competitors):
        return "competition"
    for topic, pattern in TOPICS:
        if pattern.search(sentence):
            return topic
    return None


def find_competitors(texts: Sequence[str], *, known_names: Sequence[str] = ()) -> list[str]:
    """Names the notes mention as competitors ('X quoted 15% lower', 'evaluating X')."""
    known = {w.lower() for name in known_names for w in name.split()}
    found: dict[str, None] = {}
    for text in texts:
        for pattern in COMPETITOR_CUES:
            for match in pattern.finditer(text or ""):
                name = match.group(1).strip(" .,;:")
                words = name.split()
                # Keep the leading capitalised words that are not ours or the customer's.
                kept = []
                for word in words:
                    if word.lower() in NOT_NAMES or word.lower() in known:
                        break
                    kept.append(word)
                if kept:
                    found[" ".join(kept)] = None
    return list(found)


def _sentences(notes: Sequence[NoteRec], competitors: Sequence[str]) -> list[_Sentence]:
    out = []
    for note in notes:
        routine = note.kind == "email" and bool(ROUTINE_EMAIL.match(note.body or ""))
        for text in split_sentences(note.body):
            category, _ = classify(text)
            topic = topic_of(text, competitors)
            if DISCOUNT.search(text):  # a price concession asked for is a risk to margin
                category = "objection"
            elif WON_OVER.search(text):  # "X is out", "we're the vendor of choice"
                category = "signal"
            elif category is None and topic == "competition":
                category = "objection"
            out.append(_Sentence(text=trim_quote(text), note=note, topic=topic,
                                 category=category, routine=routine))
    return out


def _deal_key(note: NoteRec, deals: Sequence[DealRec]) -> int | None:
    """The deal a note is about: its own, or the only open one."""
    if note.deal_id is not None:
        return note.deal_id
    return deals[0].id if len(deals) == 1 else None


def _point(s: _Sentence, section: str, deals: Sequence[DealRec], **extra) -> Point:
    deal = _deal_key(s.note, deals)
    return Point(section=section, text=s.text, cites=(fact_id("activity", s.note.id),),
                 at=s.note.at, topic=s.topic, deal=fact_id("deal", deal) if deal else None,
                 contact=s.note.contact, **extra)


def _tone(s: _Sentence) -> str | None:
    if s.category == "objection" and not s.routine:
        return "risk"
    return "signal" if s.category == "signal" else None


def deal_brief(deal: DealRec, *, now: dt.datetime) -> DealBrief:
    """The deal's standing: slipped or past-due close date, days in its stage."""
    today = now.date()
    slipped = deal.earlier_close if (deal.earlier_close and deal.close_date
                                     and deal.earlier_close < deal.close_date) else None
    days = (now - deal.stage_since).days if deal.stage_since else None
    return DealBrief(id=fact_id("deal", deal.id), title=deal.title, stage=deal.stage,
                     amount=deal.amount, currency=deal.currency, close_date=deal.close_date,
                     slipped_from=slipped,
                     past_due=deal.close_date is not None and deal.close_date < today,
                     days_in_stage=max(days, 0) if days is not None else None)


def stakeholders(people: Sequence[PersonRec], notes: Sequence[NoteRec]) -> list[Stakeholder]:
    """Contacts with their titles and the roles the notes give them, then others named."""
    roles: dict[int, dict[str, None]] = {p.id: {} for p in people}
    cites: dict[int, dict[str, None]] = {p.id: {} for p in people}
    others: dict[str, dict[str, None]] = {}
    for person in people:
        for role, pattern in TITLE_ROLES:
            if person.title and pattern.search(person.title):
                roles[person.id][role] = None
    for note in sorted(notes, key=lambda n: n.at, reverse=True):
        for sentence in split_sentences(note.body):
            named = [p for p in people if _names(sentence, p.name)]
            if not named and note.contact_id in roles and _speaks_of_them(sentence):
                named = [p for p in people if p.id == note.contact_id]
            for role, pattern in ROLE_CUES:
                if not pattern.search(sentence):
                    continue
                for person in named:
                    roles[person.id][role] = None
                    cites[person.id][fact_id("activity", note.id)] = None
            for match in OTHERS.finditer(sentence):
                label = match.group(1)
                label = label.upper() if len(label) <= 4 else label.lower()
                others.setdefault(label, {})[fact_id("activity", note.id)] = None
    out = [Stakeholder(id=fact_id("contact", p.id), name=p.name, title=p.title,
                       roles=tuple(roles[p.id]), cites=tuple(cites[p.id])) for p in people]
    out.sort(key=lambda s: (-len(s.roles), s.name))
    out += [Stakeholder(id=None, name=f"their {label}", title=None, roles=(),
                        cites=tuple(list(c)[:2])) for label, c in others.items()]
    return out


def _names(sentence: str, name: str) -> bool:
    words = name.split()
    first = words[0] if words else ""
    return bool(re.search(rf"\b{re.escape(name)}\b", sentence)) or (
        len(first) > 2 and bool(re.search(rf"\b{re.escape(first)}\b", sentence)))


def _speaks_of_them(sentence: str) -> bool:
    # "confirmed they own the budget" in a note logged against the contact is about them.
    return bool(re.search(r"\b(?:they|she|he)\b", sentence, _I))


def build_fact_sheet(subject: str, *, notes: Sequence[NoteRec], tasks: Sequence[TaskRec],
                     deals: Sequence[DealRec], people: Sequence[PersonRec], now: dt.datetime,
                     of_contact: bool = False) -> FactSheet:
    """The brief's facts and points, each point citing the facts it rests on."""
    notes = sorted((n for n in notes if n.kind in NOTE_KINDS), key=lambda n: (n.at, n.id),
                   reverse=True)
    facts: dict[str, Fact] = {}
    for deal in deals:
        facts[fact_id("deal", deal.id)] = Fact(
            id=fact_id("deal", deal.id), kind="deal", at=deal.close_date,
            text=f"{deal.title}: {deal.stage}", deal=fact_id("deal", deal.id))
    for person in people:
        facts[fact_id("contact", person.id)] = Fact(
            id=fact_id("contact", person.id), kind="contact", at=None,
            text=person.name + (f", {person.title}" if person.title else ""))
    for note in notes:
        deal = _deal_key(note, deals)
        facts[fact_id("activity", note.id)] = Fact(
            id=fact_id("activity", note.id), kind=note.kind, at=note.at, text=note.body,
            permalink=note.permalink, contact=note.contact,
            deal=fact_id("deal", deal) if deal else None, author=note.author)
    for task in tasks:
        facts[fact_id("task", task.id)] = Fact(
            id=fact_id("task", task.id), kind="task", at=task.due_at, text=task.title,
            contact=task.contact, deal=fact_id("deal", task.deal_id) if task.deal_id else None)

    known = [p.name for p in people] + [subject]
    competitors = find_competitors([n.body for n in notes], known_names=known)
    sentences = _sentences(notes, competitors)

    # Newest first: the first sentence seen on a topic is the current one, per deal. A
    # note tied to no deal speaks for the account: it gives way to any newer one on the
    # topic, and a newer one of its own supersedes every deal's older ones.
    stale = now - dt.timedelta(days=STALE_DAYS)
    current: dict[tuple[int | None, str], _Sentence] = {}
    superseded: list[Point] = []
    status: list[Point] = []
    for s in sentences:
        if s.topic is None or s.note.at < stale or s.category == "next_step":
            continue
        deal = _deal_key(s.note, deals)
        newer = [current[k] for k in current
                 if k[1] == s.topic and (k[0] in (deal, None) or deal is None)]
        if newer and all(n.note is s.note for n in newer):  # one note, one topic, two lines
            status.append(_point(s, "status", deals, tone=_tone(s)))
            s.extra["shown"] = "1"
        elif newer:
            superseded.append(_point(s, "superseded", deals))
            s.extra["superseded"] = "1"
        else:
            current[(deal, s.topic)] = s
            status.append(_point(s, "status", deals, tone=_tone(s)))
    shown = {id(s) for s in current.values()}
    signals, risks = [], []
    for s in sentences:
        if id(s) in shown or s.extra.get("shown") or s.extra.get("superseded") or s.note.at < stale:
            continue
        tone = _tone(s)
        if tone == "signal" and len(signals) < PER_SECTION["signal"]:
            signals.append(_point(s, "signal", deals))
        elif tone == "risk" and len(risks) < PER_SECTION["risk"]:
            risks.append(_point(s, "risk", deals))

    steps: list[Point] = []
    for task in sorted(tasks, key=lambda t: (t.due_at is None, t.due_at or now, t.id))[:MAX_TASKS]:
        steps.append(Point(section="task", text=task.title, cites=(fact_id("task", task.id),),
                           at=task.due_at, deal=fact_id("deal", task.deal_id)
                           if task.deal_id else None, contact=task.contact,
                           overdue=task.due_at is not None and task.due_at < now))
    # What the latest notes commit to: the newest note per deal with a next step in it.
    seen_deals: set[int | None] = set()
    horizon = now - dt.timedelta(days=NEXT_STEP_DAYS)
    for note in notes:
        if note.at < horizon:
            break
        key = _deal_key(note, deals)
        said = [s for s in sentences if s.note is note and s.category == "next_step"]
        if said and key not in seen_deals:
            seen_deals.add(key)
            steps += [_point(s, "next_step", deals) for s in said[:2]]

    return FactSheet(
        subject=subject, now=now, facts=facts,
        deals=tuple(deal_brief(d, now=now) for d in deals),
        stakeholders=tuple(stakeholders(people, notes)),
        status=tuple(status), signals=tuple(signals), risks=tuple(risks),
        next_steps=tuple(steps),
        last_touch=fact_id("activity", notes[0].id) if notes else None,
        superseded=tuple(superseded), competitors=tuple(competitors), of_contact=of_contact)
