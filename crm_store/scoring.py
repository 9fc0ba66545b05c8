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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

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


@dataclass(frozen=True)
class Reason:
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


def _fade(age_days: float, half_life: float) -> float:
    return 0.5 ** (age_days / half_life)


def _ago(days: float) -> str:
    whole = int(days)
    if whole == 0:
        return "today"
    if whole == 1:
        return "yesterday"
    if whole < 14:
        return f"{whole} days ago"
    if whole < 60:
        return f"{whole // 7} weeks ago"
    return f"{whole // 30} months ago"


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


def signals_of(touch: Touch) -> tuple[Signal, ...]:
    """The signals and warnings of a touch: from its marks when it has them, else its text."""
    if touch.marks is None:
        return tuple(found_signals(touch.text))
    return _unpack(touch.marks)[0]


def is_inbound(touch: Touch) -> bool:
    """A reply or an inbound call/email from the lead."""
    if touch.marks is None:
        return bool(_INBOUND.search(touch.text))
    return _unpack(touch.marks)[1]


# score_lead walks the touches once and hands each part what it needs: a workspace scan
# scores ~100k leads, so that loop stays plain.


def _recency(last: Touch, age: float) -> list[Reason]:
    points = round(RECENCY_MAX * _fade(age, RECENCY_HALF_LIFE))
    kind = last.kind.replace("_", " ")
    return [Reason(f"Last touch {_ago(age)} ({kind})", points)] if points else []


def _frequency(weight: float, recent: int, count: int) -> list[Reason]:
    points = round(FREQUENCY_MAX * (1 - math.exp(-weight / 3)))
    if not points:
        return []
    if recent:
        text = f"{recent} touch{'es' if recent != 1 else ''} in the last 30 days"
    else:
        text = f"{count} earlier touch{'es' if count != 1 else ''}"
    return [Reason(text, points)]


def _signals(newest: dict[str, tuple[Signal, float]]) -> list[Reason]:
    """Each signal once, at its latest mention (`newest`, in order of first mention)."""
    reasons, room = [], SIGNALS_MAX
    positives = sorted((v for v in newest.values() if v[0].points > 0),
                       key=lambda v: -v[0].points * _fade(v[1], SIGNAL_HALF_LIFE))
    for signal, age in positives:
        points = min(room, round(signal.points * _fade(age, SIGNAL_HALF_LIFE)))
        if points > 0:
            reasons.append(Reason(f"{signal.label} ({_ago(age)})", points))
            room -= points
    for signal, age in (v for v in newest.values() if v[0].points < 0):
        points = round(signal.points * _fade(age, SIGNAL_HALF_LIFE))
        if points:
            reasons.append(Reason(f"{signal.label} ({_ago(age)})", points))
    return reasons


def _inbound(weight: float, replies: int) -> list[Reason]:
    points = min(INBOUND_MAX, round(5 * weight))
    if not points:
        return []
    return [Reason(f"{replies} inbound repl{'ies' if replies != 1 else 'y'}", points)]


def freshness(inputs: LeadInputs, now: dt.datetime) -> float:
    """1.0 for a relationship touched today, fading to a floor when nobody talks."""
    ages = [_age_days(t.occurred_at, now) for t in inputs.touches]
    return _freshness(min(ages, default=None), inputs, now)


def _freshness(youngest: float | None, inputs: LeadInputs, now: dt.datetime) -> float:
    # The latest moment has the smallest age (ages are clamped at 0 alike).
    if inputs.deal_touched_at is not None:
        deal_age = _age_days(inputs.deal_touched_at, now)
        youngest = deal_age if youngest is None else min(youngest, deal_age)
    if youngest is None:
        return FRESHNESS_FLOOR
    return max(FRESHNESS_FLOOR, _fade(youngest, FRESHNESS_HALF_LIFE))


def _deal(inputs: LeadInputs, youngest: float | None, now: dt.datetime) -> list[Reason]:
    if inputs.probability is None:
        return []
    fresh = _freshness(youngest, inputs, now)
    reasons = []
    stage_points = round(STAGE_MAX * inputs.probability / 100 * fresh)
    if stage_points:
        label = inputs.stage or "open"
        reasons.append(Reason(f"Open deal at {label} ({inputs.probability}%)", stage_points))
    amount, average = inputs.amount, inputs.team_avg_amount
    if amount and average and float(average) > 0:
        ratio = float(amount) / float(average)
        size_points = min(SIZE_MAX, round(SIZE_MAX / 2 * ratio * fresh))
        if size_points:
            reasons.append(Reason(f"Deal size {ratio:.1f}× the team average", size_points))
    return reasons


def score_lead(inputs: LeadInputs, *, now: dt.datetime) -> Score:
    """The 0–100 score and every reason with its points, largest first."""
    reasons: list[Reason] = []
    youngest: float | None = None  # days since the latest touch
    inbound_weight, replies = 0.0, 0
    if inputs.touches:
        last, last_age = inputs.touches[0], 0.0
        weight, recent = 0.0, 0
        newest: dict[str, tuple[Signal, float]] = {}
        for touch in inputs.touches:
            age = max(0.0, (now - touch.occurred_at).total_seconds() / 86400.0)
            if touch is last or touch.occurred_at > last.occurred_at:  # the first latest
                last, last_age = touch, age
            if youngest is None or age < youngest:
                youngest = age
            weight += KIND_WEIGHT.get(touch.kind, 0.5) * _fade(age, FREQUENCY_HALF_LIFE)
            if age <= 30:
                recent += 1
            marks = note_marks(touch.text) if touch.marks is None else touch.marks
            if marks & _INBOUND_BIT:
                inbound_weight += _fade(age, INBOUND_HALF_LIFE)
                replies += 1
            if marks & ~_INBOUND_BIT:
                for signal in _unpack(marks)[0]:
                    seen = newest.get(signal.key)
                    if seen is None or age < seen[1]:
                        newest[signal.key] = (signal, age)
        reasons += _recency(last, last_age)
        reasons += _frequency(weight, recent, len(inputs.touches))
        reasons += _signals(newest)
    reasons += _deal(inputs, youngest, now)
    reasons += _inbound(inbound_weight, replies)
    total = max(0, min(100, sum(r.points for r in reasons)))
    return Score(total, tuple(sorted(reasons, key=lambda r: -r.points)))
