"""Sentence-level reading of notes (pure logic): splitting, cue classification, quoting.

The brief (brief_facts, brief_render) and the drafts (draft_facts) build on this: a note
is split into sentences, and each sentence is scored for buying signals, objections and
next steps. Quotes are trimmed at a word, never reworded, so every quote stays a
substring of the note it cites.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.assistant import format as fmt

NOTE_KINDS = frozenset({"call", "meeting", "email", "note", "voice_note"})
MAX_QUOTE = 200
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


def short_day(moment: dt.datetime | dt.date, tz: ZoneInfo, *, now: dt.datetime) -> str:
    """'Nov 3' (with the year when it is not this year), in the reader's zone."""
    day = moment.astimezone(tz).date() if isinstance(moment, dt.datetime) else moment
    text = f"{day:%b} {day.day}"
    return text if day.year == now.astimezone(tz).year else f"{text}, {day.year}"


def describe_deal(deal: DealFact, tz: ZoneInfo, *, now: dt.datetime) -> str:
    """'Acme expansion — proposal, $40,000, closing Dec 15'."""
    parts = [deal.stage]
    if deal.amount is not None:
        parts.append(fmt.money(deal.amount, deal.currency))
    if deal.close_date is not None:
        parts.append(f"closing {short_day(deal.close_date, tz, now=now)}")
    return f"{deal.title} — {', '.join(parts)}"
