"""Extractive summaries: sentence splitting, scoring, recency and faithful rendering."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.assistant.summarize import (
    MAX_QUOTE,
    DealFact,
    TaskFact,
    build_summary,
    classify,
    key_sentences,
    recency,
    render_summary,
    short_day,
    split_sentences,
    trim_quote,
)
from crm_store.services.timeline import TimelineItem

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")


def note(text: str, *, days: float = 1, ref: int = 1, kind: str = "call",
         author: str | None = "Sam Rivera") -> TimelineItem:
    return TimelineItem(at=NOW - dt.timedelta(days=days), kind=kind, text=text,
                        ref=f"activity:{ref}", author=author)


@pytest.mark.parametrize("text, sentences", [
    ("Budget approved. Follow up Tuesday.", ["Budget approved.", "Follow up Tuesday."]),
    ("called jane; budget approved; follow up tuesday",
     ["called jane", "budget approved", "follow up tuesday"]),
    ("met Tom — evaluating 3 vendors", ["met Tom", "evaluating 3 vendors"]),
    ("Line one\n\nLine two", ["Line one", "Line two"]),
    ("Sent pricing at approx. $40k to them.", ["Sent pricing at approx. $40k to them."]),
    ("ok", []),
    ("", []),
])
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences


@pytest.mark.parametrize("sentence, category", [
    ("Budget approved for this year, roughly $40k.", "signal"),
    ("She is the decision maker together with their CFO.", "signal"),
    ("Asked for pricing for 30 seats.", "signal"),
    ("Procurement has the contract.", "signal"),
    ("PO expected next Tuesday.", "signal"),
    ("They signed the order form.", "signal"),
    ("Security review passed.", "signal"),
    ("Early days: interested, no budget yet.", "objection"),
    ("They haven't signed yet.", "objection"),
    ("Objection on price: Globex quoted 15% lower.", "objection"),
    ("Pushback on price for the second year.", "objection"),
    ("Also comparing us with Globex.", "objection"),
    ("Security review needed before a proposal.", "objection"),
    ("Project delayed to next quarter.", "objection"),
    ("They're going with Globex.", "objection"),
    ("Next steps: send the overview deck.", "next_step"),
    ("Will follow up after the board meeting.", "next_step"),
    ("Booked a call for next Tuesday.", "next_step"),
    ("Nice chat about the weather.", None),
    ("Their po box changed.", None),  # lower-case "po" is not a purchase order
])
def test_classify(sentence, category):
    assert classify(sentence)[0] == category


def test_trim_quote_cuts_at_a_word_and_stays_a_substring():
    long = "Budget approved " + "and the team is very keen on it " * 20
    trimmed = trim_quote(long)
    assert trimmed.endswith("…") and len(trimmed) <= MAX_QUOTE + 1
    assert trimmed[:-1] in long and not trimmed[:-1].endswith(" ")
    assert trim_quote("  short   one ") == "short one"


@pytest.mark.parametrize("days, weight", [(0, 1.0), (30, 0.5), (60, 0.25), (-5, 1.0)])
def test_recency_halves_every_thirty_days(days, weight):
    assert recency(NOW - dt.timedelta(days=days), NOW) == pytest.approx(weight)


def test_a_newer_note_outranks_an_older_one_with_the_same_cue():
    items = [note(f"Asked about pricing, round {n}.", days=n * 10, ref=n) for n in range(1, 6)]
    chosen = key_sentences(items, now=NOW)
    assert [s.ref for s in chosen] == ["activity:1", "activity:2", "activity:3"]  # 3 signals


def test_a_strong_old_signal_can_beat_a_weak_new_one():
    items = [note("Budget approved and PO signed.", days=20, ref=1),
             note("Mentioned seats.", days=0, ref=2)]
    assert [s.ref for s in key_sentences(items, now=NOW)] == ["activity:1"]


def test_repeated_sentence_is_quoted_once_from_the_newest_note():
    items = [note("Budget approved.", days=9, ref=1), note("Budget approved.", days=2, ref=2)]
    assert [(s.text, s.ref) for s in key_sentences(items, now=NOW)] == [
        ("Budget approved.", "activity:2")]


@pytest.mark.parametrize("kind", ["task", "stage"])
def test_only_notes_are_quoted(kind):
    items = [note("Task open: send pricing next week", kind=kind)]
    assert key_sentences(items, now=NOW) == []


WORDS = st.sampled_from([
    "budget", "approved", "pricing", "competitor", "next", "steps", "send", "the", "Jane",
    "signed", "no", "security", "review", "follow", "up", "Tuesday", "legal", "PO", "delay",
    "contract", "we", "talked", "about", "coffee", "and", "but", "—", ";", ".", "\n",
])


@given(st.lists(st.lists(WORDS, min_size=1, max_size=40).map(" ".join), min_size=1,
                max_size=6))
def test_every_quoted_sentence_is_in_the_note_it_cites(texts):
    items = [note(t, days=i * 3, ref=i) for i, t in enumerate(texts)]
    by_ref = {i.ref: " ".join(i.text.split()) for i in items}
    for sentence in key_sentences(items, now=NOW):
        assert sentence.text.rstrip("…") in by_ref[sentence.ref]


def _facts():
    deal = DealFact(title="Acme expansion", stage="proposal", amount=Decimal("40000"),
                    currency="USD", close_date=dt.date(2026, 12, 15), ref="deal:7")
    task = TaskFact(title="send pricing", due_at=dt.datetime(2026, 11, 20, 14, tzinfo=dt.UTC),
                    ref="task:3", assignee="Sam Rivera")
    return deal, task


def test_rendered_summary_cites_every_statement():
    deal, task = _facts()
    items = [note("Budget approved. They are comparing us with Globex.", days=5, ref=42),
             note("Next steps: send pricing by Friday.", days=1, ref=43, kind="meeting"),
             TimelineItem(at=NOW, kind="stage", text="Moved from demo to proposal",
                          ref="deal_change:9", deal="Acme expansion")]
    summary = build_summary("Jane Doe (Acme Corp)", items, deals=[deal], next_task=task,
                            now=NOW, of_contact=True)
    text = render_summary(summary, tz=NY, now=NOW)
    assert text.splitlines() == [
        "*Summary: Jane Doe (Acme Corp)*",
        "*Last touch:* meeting, yesterday, Tue Nov 17, 10:00 by Sam Rivera [activity:43, Nov 17]",
        "*Open deal:* Acme expansion — proposal, $40,000, closing Dec 15 [deal:7]",
        "*Next task:* send pricing — due Fri Nov 20, 09:00 (Sam Rivera) [task:3]",
        "*Buying signals*",
        "• “Budget approved.” [activity:42, Nov 13]",
        "*Objections and risks*",
        "• “They are comparing us with Globex.” [activity:42, Nov 13]",
        "*Next steps in the notes*",
        "• “Next steps: send pricing by Friday.” [activity:43, Nov 17]",
    ]
    assert summary.refs == ["activity:43", "deal:7", "task:3", "activity:42"]


def test_summary_with_nothing_logged_says_so_plainly():
    summary = build_summary("Nora Quiet", [], deals=[], next_task=None, now=NOW)
    assert render_summary(summary, tz=UTC, now=NOW) == (
        "Nothing is logged for Nora Quiet yet — no calls, meetings, notes, open deals or tasks.")
    assert summary.refs == []


def test_summary_with_a_deal_but_no_notes_says_there_are_no_notes():
    deal, _ = _facts()
    text = render_summary(build_summary("Acme Corp", [], deals=[deal], next_task=None, now=NOW),
                          tz=UTC, now=NOW)
    assert "*Last touch:* no calls, meetings or notes logged yet." in text
    assert "*Next task:* none open." in text
    assert "“" not in text


def test_notes_without_cues_are_not_quoted():
    text = render_summary(build_summary("Acme Corp", [note("Nice chat about the weather.")],
                                        deals=[], next_task=None, now=NOW), tz=UTC, now=NOW)
    assert "No buying signals, objections or next steps stand out in the 1 note." in text
    assert "“" not in text and "*Open deals:* none." in text


def test_account_summary_names_the_contact_of_the_last_touch():
    item = TimelineItem(at=NOW, kind="call", text="Hi", ref="activity:1", author=None,
                        contact="Jane Doe")
    text = render_summary(build_summary("Acme Corp", [item], deals=[], next_task=None, now=NOW),
                          tz=UTC, now=NOW)
    assert "*Last touch:* call with Jane Doe, today, Wed Nov 18, 15:00 [activity:1, Nov 18]" in text


@pytest.mark.parametrize("moment, expected", [
    (dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC), "Nov 3"),
    (dt.datetime(2026, 11, 4, 2, tzinfo=dt.UTC), "Nov 3"),  # still the 3rd in New York
    (dt.datetime(2025, 12, 30, 12, tzinfo=dt.UTC), "Dec 30, 2025"),
    (dt.date(2027, 1, 2), "Jan 2, 2027"),
])
def test_short_day_is_in_the_readers_zone(moment, expected):
    assert short_day(moment, NY, now=NOW) == expected


def test_quotes_never_hold_text_outside_the_note():
    text = render_summary(build_summary(
        "X", [note("Budget approved by {the CFO}.", ref=5)], deals=[], next_task=None,
        now=NOW), tz=UTC, now=NOW)
    assert re.findall(r"“([^”]+)”", text) == ["Budget approved by {the CFO}."]
