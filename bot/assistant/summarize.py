"""Extractive, faithful summaries of a contact or account (pure logic, no database).

Nothing here writes a claim of its own about the customer: every line is either a CRM
fact (last touch, open deal, next task) or a sentence quoted from a logged note, and
each one carries the timeline ref it came from ("activity:42") so it can be checked.
Sentences are scored for buying signals, objections and next steps, weighted by recency.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.assistant import format as fmt
from crm_store.services.timeline import TimelineItem

NOTE_KINDS = frozenset({"call", "meeting", "email", "note", "voice_note"})
HALF_LIFE_DAYS = 30.0  # a note this old counts half as much as one from today
MIN_WEIGHT = 1.5  # weaker matches ("seats" alone) are not worth a line
MAX_QUOTE = 200
PER_CATEGORY = {"signal": 3, "objection": 3, "next_step": 2}
CATEGORY_TITLES = {"signal": "Buying signals", "objection": "Objections and risks",
                   "next_step": "Next steps in the notes"}
KIND_WORDS = {"call": "call", "meeting": "meeting", "email": "email", "note": "note",
              "voice_note": "voice note"}

_I = re.IGNORECASE
_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# (category, pattern, weight). A sentence goes to the category it scores highest in;
# negations ("no budget", "hasn't signed") outweigh the signal words they contain.
CUES: tuple[tuple[str, re.Pattern[str], float], ...] = tuple(
    (category, re.compile(pattern, _I), weight) for category, pattern, weight in (
        ("signal", r"\bbudget\s+(?:is\s+|was\s+|has been\s+|got\s+|now\s+)?(?:approved|"
                   r"confirmed|signed off|allocated|secured|in place)", 3),
        ("signal", r"\b(?:approved|secured|confirmed|own(?:s)?)\s+(?:the\s+)?budget\b", 3),
        ("signal", r"\bpric(?:e|es|ing)\b|\bquote\b|\bproposal\b", 2),
        ("signal", r"\bcontracts?\b|\bMSA\b|\border form\b|\brenewal\b", 2),
        ("signal", r"\bdecision[- ]makers?\b|\beconomic buyer\b|\bsigns? off\b|\bCFO\b", 2),
        ("signal", r"\btimeline\b|\bgo[- ]live\b|\blive (?:by|before)\b|\brollout\b", 1.5),
        ("signal", r"(?-i:\bPOs?\b)|\bpurchase order\b", 3),
        ("signal", r"\bsigned\b|\bsignature\b|\bverbal(?:ly)? (?:yes|commit)", 3),
        ("signal", r"\blegal\b|\bprocurement\b|\bredlines?\b", 2),
        ("signal", r"\btrial\b|\bpilot\b", 1.5),
        ("signal", r"\bready to (?:buy|sign|move)\b|\bgo[- ]ahead\b|\bgreen light\b", 3),
        ("signal", r"\bseats?\b|\blicen[cs]es\b", 1),
        ("signal", r"\b(?:review|questionnaire|security|legal|procurement|IT) (?:\w+ )?"
                   r"(?:passed|cleared|approved)\b|\bvendor of choice\b|\bon board\b", 3),
        ("objection", r"\bno budget\b|\bbudget (?:freeze|cuts?|is tight|concerns?)\b|"
                      r"\black of budget\b|\bno money\b", 3.5),
        ("objection", r"(?:\bnot|n't|\bnever|\byet to)\s+(?:been\s+|yet\s+)?"
                      r"(?:signed|approved|decided|sign|approve)\b", 3.5),
        ("objection", r"\btoo (?:expensive|pricey|costly)\b|\bprice (?:is )?(?:too high|"
                      r"concerns?|objections?|pushback)\b|\bobjections?\b|\bpush(?:ed)? ?back\b|"
                      r"\bcheaper\b", 3),
        ("objection", r"\bdiscount\b", 1.5),
        ("objection", r"\bgoing with\b|\bwent with\b|\bchose\b|\blost to\b|"
                      r"\bnot a (?:good )?fit\b", 3),
        ("objection", r"\bcompetitors?\b|\bcompeting\b|\bcomparing\b|\bevaluating \w+ "
                      r"vendors\b|\balternatives?\b|\bincumbent\b", 2.5),
        ("objection", r"\bsecurity (?:review|questionnaire|concerns?)\b|\bcompliance\b|"
                      r"\bSOC ?2\b|\bGDPR\b|\bSSO\b", 2.5),
        ("objection", r"\bdelay(?:s|ed)?\b|\bpushed (?:out|back)\b|\bpostpon\w*|\bon hold\b|"
                      r"\bnext (?:quarter|year)\b|\bnot (?:a )?priority\b|\bslipp(?:ed|ing)\b|"
                      r"\bstalled\b|\bfreeze\b", 2.5),
        ("objection", r"\bconcern(?:s|ed)?\b|\bworr(?:y|ied)\b|\brisk\b|\bhesitant\b|"
                      r"\bnot sure\b|\bunhappy\b|\bchurn\b|\bcancel\w*", 2),
        ("objection", r"\bwent (?:quiet|dark)\b|\bno (?:response|reply)\b|\bghost\w*|"
                      r"\bunresponsive\b|\bno answer\b", 2),
        ("next_step", r"\bnext steps?\b", 3),
        ("next_step", r"\bfollow(?:ing)?[- ]?up\b|\bcircle back\b|\bcall back\b|"
                      r"\btry again\b", 2),
        ("next_step", r"\b(?:will|to|going to|gonna)\s+(?:send|call|email|schedule|book|"
                      r"set up|share|loop in|intro|introduce|review)\b", 2),
        ("next_step", r"\bsend(?:ing)?\b|\bschedul(?:e|ed|ing)\b|\bbook(?:ed|ing)?\b|"
                      r"\bset up\b", 1.5),
        ("next_step", rf"\bnext (?:week|month|{_DAYS})\b|\btomorrow\b|\bon {_DAYS}\b|"
                      r"\bby (?:end of|eod|eow)\b", 1.5),
    )
)
# Whichever category wins a tie: a risk hidden in a positive sentence matters most.
_TIE_ORDER = {"objection": 0, "signal": 1, "next_step": 2}
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'“(]?[A-Z0-9])|\s*;\s+|\s*\n+\s*|\s+[—–]\s+")


@dataclass(frozen=True)
class DealFact:
    """An open deal as it stands in the CRM."""

    title: str
    stage: str
    amount: Decimal | None
    currency: str
    close_date: dt.date | None
    ref: str  # "deal:7"


@dataclass(frozen=True)
class TaskFact:
    """An open task (the next step someone committed to)."""

    title: str
    due_at: dt.datetime | None
    ref: str  # "task:3"
    assignee: str | None = None


@dataclass(frozen=True)
class KeySentence:
    """A sentence quoted from a note, with what it signals and where it came from."""

    text: str
    category: str  # signal | objection | next_step
    ref: str
    at: dt.datetime
    score: float


@dataclass(frozen=True)
class Summary:
    subject: str  # how the contact or account is named in the header
    last_touch: TimelineItem | None
    deals: tuple[DealFact, ...]
    next_task: TaskFact | None
    sentences: tuple[KeySentence, ...]
    notes: int  # how many notes were read
    of_contact: bool = False  # about one person, so the contact need not be named per item

    @property
    def empty(self) -> bool:
        return self.last_touch is None and not self.deals and self.next_task is None

    def of(self, category: str) -> list[KeySentence]:
        """The key sentences of one category, newest first."""
        return sorted((s for s in self.sentences if s.category == category),
                      key=lambda s: s.at, reverse=True)

    @property
    def refs(self) -> list[str]:
        """Every source the summary cites, in the order it cites them."""
        refs = [self.last_touch.ref] if self.last_touch else []
        refs += [d.ref for d in self.deals]
        refs += [self.next_task.ref] if self.next_task else []
        for category in PER_CATEGORY:
            refs += [s.ref for s in self.of(category)]
        return list(dict.fromkeys(refs))


def split_sentences(text: str) -> list[str]:
    """A note's sentences (and '; '- or dash-separated clauses), stripped."""
    return [part.strip() for part in _SPLIT.split(text or "") if len(part.strip()) > 2]


def trim_quote(sentence: str, limit: int = MAX_QUOTE) -> str:
    """The sentence, cut at a word boundary with '…' when it is longer than `limit`."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def classify(sentence: str) -> tuple[str | None, float]:
    """The category a sentence signals most strongly and its raw weight (None, 0 if none)."""
    totals: dict[str, float] = {}
    for category, pattern, weight in CUES:
        if pattern.search(sentence):
            totals[category] = totals.get(category, 0.0) + weight
    if not totals:
        return None, 0.0
    category = min(totals, key=lambda c: (-totals[c], _TIE_ORDER[c]))
    return category, totals[category]


def recency(at: dt.datetime, now: dt.datetime) -> float:
    """1.0 for today, halving every HALF_LIFE_DAYS; future-dated notes count as today."""
    age_days = max((now - at).total_seconds() / 86400, 0.0)
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def key_sentences(items: Iterable[TimelineItem], *, now: dt.datetime) -> list[KeySentence]:
    """The best-scoring quoted sentences per category across the notes, deduplicated."""
    best: dict[str, KeySentence] = {}
    for item in items:
        if item.kind not in NOTE_KINDS:
            continue
        for sentence in split_sentences(item.text):
            category, weight = classify(sentence)
            if category is None or weight < MIN_WEIGHT:
                continue
            found = KeySentence(text=trim_quote(sentence), category=category, ref=item.ref,
                                at=item.at, score=weight * recency(item.at, now))
            key = re.sub(r"\W+", " ", sentence.lower()).strip()
            if key not in best or best[key].score < found.score:
                best[key] = found
    chosen: list[KeySentence] = []
    for category, limit in PER_CATEGORY.items():
        ranked = sorted((s for s in best.values() if s.category == category),
                        key=lambda s: (-s.score, -s.at.timestamp()))
        chosen += ranked[:limit]
    return chosen


def build_summary(subject: str, items: Sequence[TimelineItem], *, deals: Sequence[DealFact],
                  next_task: TaskFact | None, now: dt.datetime,
                  of_contact: bool = False) -> Summary:
    """The summary of one contact or account from its timeline and CRM facts."""
    notes = sorted((i for i in items if i.kind in NOTE_KINDS), key=lambda i: i.at, reverse=True)
    return Summary(subject=subject, last_touch=notes[0] if notes else None, deals=tuple(deals),
                   next_task=next_task, sentences=tuple(key_sentences(notes, now=now)),
                   notes=len(notes), of_contact=of_contact)


def short_day(moment: dt.datetime | dt.date, tz: ZoneInfo, *, now: dt.datetime) -> str:
    """'Nov 3' (with the year when it is not this year), in the reader's zone."""
    day = moment.astimezone(tz).date() if isinstance(moment, dt.datetime) else moment
    text = f"{day:%b} {day.day}"
    return text if day.year == now.astimezone(tz).year else f"{text}, {day.year}"


def cite(ref: str, at: dt.datetime | dt.date | None, tz: ZoneInfo, *, now: dt.datetime) -> str:
    """The small citation after a statement: '[activity:42, Nov 3]'."""
    return f"[{ref}, {short_day(at, tz, now=now)}]" if at is not None else f"[{ref}]"


def describe_deal(deal: DealFact, tz: ZoneInfo, *, now: dt.datetime) -> str:
    """'Acme expansion — proposal, $40,000, closing Dec 15'."""
    parts = [deal.stage]
    if deal.amount is not None:
        parts.append(fmt.money(deal.amount, deal.currency))
    if deal.close_date is not None:
        parts.append(f"closing {short_day(deal.close_date, tz, now=now)}")
    return f"{deal.title} — {', '.join(parts)}"


def describe_task(task: TaskFact, tz: ZoneInfo, *, now: dt.datetime) -> str:
    """'send pricing — due Fri Nov 20, 09:00 (Sam Rivera)'."""
    due = f" — due {fmt.moment(task.due_at, tz, now=now)}" if task.due_at else " — no due date"
    who = f" ({task.assignee})" if task.assignee else ""
    return f"{task.title}{due}{who}"


def render_summary(summary: Summary, *, tz: ZoneInfo, now: dt.datetime) -> str:
    """The summary as Slack mrkdwn: facts first, then quoted sentences, each cited."""
    if summary.empty:
        return (f"Nothing is logged for {summary.subject} yet — no calls, meetings, notes, "
                "open deals or tasks.")
    lines = [f"*Summary: {summary.subject}*"]
    touch = summary.last_touch
    if touch is None:
        lines.append("*Last touch:* no calls, meetings or notes logged yet.")
    else:
        by = f" by {touch.author}" if touch.author else ""
        with_ = f" with {touch.contact}" if touch.contact and not summary.of_contact else ""
        lines.append(f"*Last touch:* {KIND_WORDS.get(touch.kind, touch.kind)}{with_}, "
                     f"{fmt.moment(touch.at, tz, now=now)}{by} "
                     f"{cite(touch.ref, touch.at, tz, now=now)}")
    if summary.deals:
        label = "Open deal" if len(summary.deals) == 1 else "Open deals"
        lines.append(f"*{label}:* " + "; ".join(
            f"{describe_deal(d, tz, now=now)} [{d.ref}]" for d in summary.deals))
    else:
        lines.append("*Open deals:* none.")
    if summary.next_task is not None:
        task = summary.next_task
        lines.append(f"*Next task:* {describe_task(task, tz, now=now)} [{task.ref}]")
    else:
        lines.append("*Next task:* none open.")
    quoted = False
    for category, title in CATEGORY_TITLES.items():
        found = summary.of(category)
        if not found:
            continue
        quoted = True
        lines.append(f"*{title}*")
        lines += [f"• “{s.text}” {cite(s.ref, s.at, tz, now=now)}" for s in found]
    if summary.notes and not quoted:
        lines.append(f"No buying signals, objections or next steps stand out in the "
                     f"{fmt.plural(summary.notes, 'note')}.")
    return "\n".join(lines)
