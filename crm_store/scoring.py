"""The explainable 0–100 lead score, from plain inputs (pure: no database, no clock).

Six parts, each with a ceiling, that add up to at most 100:

| part | max | from |
|---|---|---|
| recency | 20 | days since the last touch (half-life 10 days) |
| frequency | 15 | calls, meetings, emails and notes, each fading with age |
| signals | 30 | budget, pricing, contract, decision maker, timeline, PO, legal review |
| stage | 15 | the best open deal's stage probability |
| deal size | 10 | that deal's amount against the team's average |
| inbound | 10 | replies and inbound calls/emails |

Signals in notes fade too (half-life 30 days), and the deal parts are scaled by how
fresh the relationship is, so the same data scores lower as it ages. Warning signs
("not interested", "no budget", "went with a competitor") take points away. Every
part is a whole number and the reasons add up to the score (before the 0–100 clamp).

Matching a note is the slow part, so it happens once per activity, when it is logged:
`note_marks` packs what a note says into a small integer stored on the activity, and a
`Touch` that carries it (`marks`) is scored from that instead of from its text.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

RECENCY_MAX, FREQUENCY_MAX, SIGNALS_MAX, STAGE_MAX, SIZE_MAX, INBOUND_MAX = 20, 15, 30, 15, 10, 10
RECENCY_HALF_LIFE = 10.0  # days
FREQUENCY_HALF_LIFE = 21.0
SIGNAL_HALF_LIFE = 30.0
INBOUND_HALF_LIFE = 14.0
FRESHNESS_HALF_LIFE = 30.0
FRESHNESS_FLOOR = 0.3  # a deal's stage and size still count a little when nobody talks
KIND_WEIGHT = {"meeting": 1.5, "call": 1.0, "email": 0.8, "voice_note": 0.8, "note": 0.4}


@dataclass(frozen=True, slots=True)
class Touch:
    """One activity: its kind (call, meeting, email, note, voice_note), when, and its text
    or, when already matched, its `note_marks` (then the text is not read)."""

    kind: str
    occurred_at: dt.datetime
    text: str = ""
    marks: int | None = None


@dataclass(frozen=True)
class LeadInputs:
    """Everything the score looks at for one contact or deal."""

    touches: Sequence[Touch] = ()
    stage: str | None = None  # the best open deal's stage label
    probability: int | None = None  # its win probability, percent
    amount: Decimal | float | None = None
    team_avg_amount: Decimal | float | None = None
    deal_touched_at: dt.datetime | None = None  # last change of the deal itself


class Reason(NamedTuple):
    """One part of a score: what was seen, and the points it gave (JSON: [text, points])."""

    text: str
    points: int


@dataclass(frozen=True)
class Score:
    score: int
    reasons: tuple[Reason, ...] = field(default=())

    def top(self, n: int = 3) -> tuple[Reason, ...]:
        """The n reasons that moved the score most (warnings included)."""
        return tuple(sorted(self.reasons, key=lambda r: -abs(r.points))[:n])


@dataclass(frozen=True)
class Signal:
    key: str
    label: str
    points: int
    pattern: re.Pattern[str]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


SIGNALS: tuple[Signal, ...] = (
    Signal("budget", "Budget approved", 12, _rx(
        r"\bbudget\s+(?:is\s+|was\s+|has\s+been\s+|got\s+|now\s+)?"
        r"(?:approved|confirmed|allocated|signed off|secured|in place|set aside)"
        r"|\b(?:approved|secured|allocated|have|got)\s+(?:the\s+)?budget\b")),
    Signal("po", "Purchase order in progress", 10, re.compile(
        r"(?i:\bpurchase order\b|\bprocurement\b)|\bP\.?Os?\b")),
    Signal("decision_maker", "Decision maker involved", 8, _rx(
        r"\bdecision[- ]makers?\b|\beconomic buyer\b|\bsign(?:ing)?[- ]off authority\b"
        r"|\b(?:ceo|cfo|cto|cio|coo|founder)\b")),
    Signal("contract", "Contract in play", 8, _rx(
        r"\bcontracts?\b|\bmsa\b|\bredlines?\b|\bready to sign\b|\border form\b")),
    Signal("legal", "Legal / security review", 8, _rx(
        r"\blegal\b|\bsecurity review\b|\bsecurity questionnaire\b|\bdpa\b")),
    Signal("pricing", "Asked about pricing", 6, _rx(
        r"\bpric(?:e|es|ing)\b|\bquotes?\b|\bquotation\b|\bdiscount\b|\bcost\b")),
    Signal("timeline", "Timeline set", 6, _rx(
        r"\btimeline\b|\bgo[- ]live\b|\bdeadline\b|\brollout\b|\bstart date\b"
        r"|\bby (?:end of|the end of|eo[qmy]\b|q[1-4]\b|next (?:week|month|quarter))"
        r"|\b(?:this|next) quarter\b")),
    Signal("champion", "Has a champion", 5, _rx(r"\bchampion\b|\binternal advocate\b")),
)

WARNINGS: tuple[Signal, ...] = (
    Signal("not_interested", "Said not interested", -15, _rx(
        r"\bnot interested\b|\bno interest\b|\bunsubscribe\b|\bstop (?:emailing|contacting)\b"
        r"|\bremove (?:me|us) from\b")),
    Signal("competitor", "Went with a competitor", -15, _rx(
        r"\b(?:went|gone|going) with (?:a |another |the )?(?:competitor|other vendor)"
        r"|\bchose (?:a |another )?(?:competitor|vendor)\b|\bsigned with (?:a |the )?competitor")),
    Signal("no_budget", "No budget", -10, _rx(
        r"\bno budget\b|\bbudget (?:cuts?|frozen|freeze)\b"
        r"|\bbudget (?:is |was |got )?(?:not|never) (?:approved|there)\b"
        r"|\bbudget (?:got |was )?(?:rejected|denied|pulled)\b")),
    Signal("stalled", "Stalled", -5, _rx(
        r"\bon hold\b|\bghost(?:ed|ing)\b|\bno response\b|\bwent dark\b|\bgone quiet\b"
        r"|\bpushed (?:to|back|out)\b")),
)

_NEGATION = re.compile(r"\b(?:no|not|without|never|lacks?|lack of|isn't|wasn't|don't|doesn't)"
                       r"\W+(?:\w+\W+){0,3}$", re.IGNORECASE)
_INBOUND = _rx(
    r"\b(?:replied|reply|responded|response from|wrote back|got back to (?:me|us)|emailed (?:me|us)"
    r"|email from|reached out|inbound|called (?:me|us)|called back|returned (?:my|our) call"
    r"|incoming call|received)\b")


# An activity's stored marks: one bit per signal or warning key, and one for "inbound".
# Stored values outlive code changes, so a bit is never renumbered or reused: a new
# signal takes the next free bit (and a migration re-marks the activities).
MARK_BITS: dict[str, int] = {
    "budget": 0, "po": 1, "decision_maker": 2, "contract": 3, "legal": 4, "pricing": 5,
    "timeline": 6, "champion": 7, "not_interested": 8, "competitor": 9, "no_budget": 10,
    "stalled": 11, "inbound": 12,
}


_INBOUND_BIT = 1 << MARK_BITS["inbound"]


def _age_days(moment: dt.datetime, now: dt.datetime) -> float:
    return max(0.0, (now - moment).total_seconds() / 86400.0)


def found_signals(text: str, catalogue: Iterable[Signal] = SIGNALS + WARNINGS) -> list[Signal]:
    """The signals and warnings a note mentions, skipping negated signals ("no PO yet")."""
    found = []
    for signal in catalogue:
        for match in signal.pattern.finditer(text):
            before = text[max(0, match.start() - 30):match.start()]
            if signal.points > 0 and _NEGATION.search(before):
                continue
            found.append(signal)
            break
    return found


def note_marks(text: str) -> int:
    """What a note says (signals, warnings, inbound) as the bits of MARK_BITS."""
    marks = 0
    for signal in found_signals(text):
        marks |= 1 << MARK_BITS[signal.key]
    if _INBOUND.search(text):
        marks |= 1 << MARK_BITS["inbound"]
    return marks


@functools.cache
def _unpack(marks: int) -> tuple[tuple[Signal, ...], bool]:
    # Few distinct values occur, so each is decoded once; catalogue order, as found_signals.
    found = tuple(s for s in SIGNALS + WARNINGS if marks >> MARK_BITS[s.key] & 1)
    return found, bool(marks >> MARK_BITS["inbound"] & 1)


def is_inbound(touch: Touch) -> bool:
    """A reply or an inbound call/email from the lead."""
    if touch.marks is None:
        return bool(_INBOUND.search(touch.text))
    return _unpack(touch.marks)[1]


@dataclass(slots=True)
class Facts:
    """A lead's touches summed up the way the score reads them.

    Facts add up (`merge`), so a contact's are its own plus its account's, and a
    workspace scan sums each activity as it streams past instead of keeping them all.
    Ages are in days; the same touches give the same facts in any order (the latest
    touch is picked the same way whatever the order; sums may differ in the last bits).
    """

    count: int = 0
    weight: float = 0.0  # kind weight × fade over the frequency half-life, summed
    recent: int = 0  # touches in the last 30 days
    last_age: float = math.inf  # the latest touch
    last_kind: str = ""
    inbound_weight: float = 0.0
    replies: int = 0
    signal_ages: dict[str, float] | None = None  # signal key → its latest mention

    def add(self, kind: str, age: float, marks: int) -> None:
        """Count one touch of `kind`, `age` days old, whose note has these `note_marks`."""
        self.count += 1
        self.weight += KIND_WEIGHT.get(kind, 0.5) * 0.5 ** (age / FREQUENCY_HALF_LIFE)
        if age <= 30:
            self.recent += 1
        if age <= self.last_age:
            self._latest(kind, age)
        if marks:
            if marks & _INBOUND_BIT:
                self.inbound_weight += 0.5 ** (age / INBOUND_HALF_LIFE)
                self.replies += 1
            if marks & ~_INBOUND_BIT:
                ages = self.signal_ages
                if ages is None:
                    ages = self.signal_ages = {}
                for signal in _unpack(marks)[0]:
                    if age < ages.get(signal.key, math.inf):
                        ages[signal.key] = age

    def _latest(self, kind: str, age: float) -> None:
        # Two touches at the same moment: the weightier kind (then the name) names it.
        if age < self.last_age or (-KIND_WEIGHT.get(kind, 0.5), kind) < (
                -KIND_WEIGHT.get(self.last_kind, 0.5), self.last_kind):
            self.last_age, self.last_kind = age, kind

    def merge(self, *others: Facts) -> Facts:
        """These facts and the others' together (none of them changed)."""
        total = Facts(self.count, self.weight, self.recent, self.last_age, self.last_kind,
                      self.inbound_weight, self.replies,
                      dict(self.signal_ages) if self.signal_ages else None)
        for other in others:
            total.count += other.count
            total.weight += other.weight
            total.recent += other.recent
            if other.count and other.last_age <= total.last_age:
                total._latest(other.last_kind, other.last_age)
            total.inbound_weight += other.inbound_weight
            total.replies += other.replies
            if other.signal_ages:
                ages = total.signal_ages if total.signal_ages is not None else {}
                for key, age in other.signal_ages.items():
                    if age < ages.get(key, math.inf):
                        ages[key] = age
                total.signal_ages = ages
        return total


class DealTerms(NamedTuple):
    """The open deal a lead is scored with."""

    stage: str | None  # its stage label
    probability: int  # win probability, percent
    size: float | None  # its amount over the team's average amount
    age: float = math.inf  # days since the deal itself last changed


_CATALOGUE = {s.key: (order, s.label, s.points) for order, s in enumerate(SIGNALS + WARNINGS)}


@functools.cache
def _ago_days(whole: int) -> str:
    if whole == 0:
        return "today"
    if whole == 1:
        return "yesterday"
    if whole < 14:
        return f"{whole} days ago"
    if whole < 60:
        return f"{whole // 7} weeks ago"
    return f"{whole // 30} months ago"


def _ago(days: float) -> str:
    return _ago_days(int(days))


# The parts below each append their reasons; a workspace scan scores ~100k leads, so they
# stay plain.


def _recency(facts: Facts, reasons: list[Reason]) -> None:
    points = round(RECENCY_MAX * 0.5 ** (facts.last_age / RECENCY_HALF_LIFE))
    if points:
        kind = facts.last_kind.replace("_", " ")
        reasons.append(Reason(f"Last touch {_ago(facts.last_age)} ({kind})", points))


def _frequency(facts: Facts, reasons: list[Reason]) -> None:
    points = round(FREQUENCY_MAX * (1 - math.exp(-facts.weight / 3)))
    if not points:
        return
    recent, count = facts.recent, facts.count
    if recent:
        text = f"{recent} touch{'es' if recent != 1 else ''} in the last 30 days"
    else:
        text = f"{count} earlier touch{'es' if count != 1 else ''}"
    reasons.append(Reason(text, points))


def _signals(ages: dict[str, float], reasons: list[Reason]) -> None:
    """Each signal once, at its latest mention, strongest first, within SIGNALS_MAX; then
    the warnings. Ties keep catalogue order."""
    positives, warnings = [], []
    for key, age in ages.items():
        order, label, points = _CATALOGUE[key]
        faded = points * 0.5 ** (age / SIGNAL_HALF_LIFE)
        (positives if points > 0 else warnings).append((-faded, order, label, age))
    room = SIGNALS_MAX
    for negated, _, label, age in sorted(positives):
        points = min(room, round(-negated))
        if points > 0:
            reasons.append(Reason(f"{label} ({_ago(age)})", points))
            room -= points
    warnings.sort(key=_ORDER)
    for faded, _, label, age in warnings:
        points = round(-faded)
        if points:
            reasons.append(Reason(f"{label} ({_ago(age)})", points))


_ORDER = operator.itemgetter(1)


def _inbound(facts: Facts, reasons: list[Reason]) -> None:
    points = min(INBOUND_MAX, round(5 * facts.inbound_weight))
    if points:
        replies = facts.replies
        reasons.append(Reason(f"{replies} inbound repl{'ies' if replies != 1 else 'y'}", points))


def _deal(deal: DealTerms, youngest: float, reasons: list[Reason]) -> None:
    # The deal counts for less as the relationship goes quiet, down to a floor.
    fresh = max(FRESHNESS_FLOOR, 0.5 ** (min(youngest, deal.age) / FRESHNESS_HALF_LIFE))
    stage_points = round(STAGE_MAX * deal.probability / 100 * fresh)
    if stage_points:
        reasons.append(Reason(f"Open deal at {deal.stage or 'open'} ({deal.probability}%)",
                              stage_points))
    if deal.size:
        size_points = min(SIZE_MAX, round(SIZE_MAX / 2 * deal.size * fresh))
        if size_points:
            reasons.append(Reason(f"Deal size {deal.size:.1f}× the team average", size_points))


def score_facts(facts: Facts, deal: DealTerms | None = None) -> Score:
    """The 0–100 score of a lead with these facts and, if it has one, this open deal;
    every reason, largest first."""
    reasons: list[Reason] = []
    if facts.count:
        _recency(facts, reasons)
        _frequency(facts, reasons)
        if facts.signal_ages:
            _signals(facts.signal_ages, reasons)
    if deal is not None:
        _deal(deal, facts.last_age, reasons)
    if facts.replies:
        _inbound(facts, reasons)
    total = max(0, min(100, sum(map(_POINTS, reasons))))
    reasons.sort(key=_POINTS, reverse=True)
    return Score(total, tuple(reasons))


_POINTS = operator.itemgetter(1)


def deal_size(amount: Decimal | float | None, average: Decimal | float | None) -> float | None:
    """A deal's amount over the team's average, when both are known."""
    if not amount or not average or float(average) <= 0:
        return None
    return float(amount) / float(average)


def score_lead(inputs: LeadInputs, *, now: dt.datetime) -> Score:
    """The 0–100 score of one lead from its touches and deal, with every reason."""
    facts = Facts()
    for touch in inputs.touches:
        marks = note_marks(touch.text) if touch.marks is None else touch.marks
        facts.add(touch.kind, _age_days(touch.occurred_at, now), marks)
    if inputs.probability is None:
        return score_facts(facts)
    deal_age = math.inf if inputs.deal_touched_at is None else _age_days(inputs.deal_touched_at,
                                                                         now)
    return score_facts(facts, DealTerms(inputs.stage, inputs.probability,
                                        deal_size(inputs.amount, inputs.team_avg_amount),
                                        deal_age))
