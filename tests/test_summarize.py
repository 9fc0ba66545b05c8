"""Reading notes and the brief's fact sheet (pure): splitting, cues, topics, supersession."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.assistant.brief_facts import DealRec, NoteRec, TaskRec, build_fact_sheet, deal_brief
from bot.assistant.brief_render import render_brief
from bot.assistant.summarize import MAX_QUOTE, classify, short_day, split_sentences, trim_quote

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
UTC = ZoneInfo("UTC")
NY = ZoneInfo("America/New_York")


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


def sheet_of(items, **kw):
    return build_fact_sheet("Acme", notes=items, tasks=kw.pop("tasks", []),
                            deals=kw.pop("deals", []), people=kw.pop("people", []), now=NOW, **kw)


def note_rec(text: str, *, days: float = 1, ref: int = 1, kind: str = "call",
             contact_id: int | None = None) -> NoteRec:
    return NoteRec(id=ref, kind=kind, at=NOW - dt.timedelta(days=days), body=text,
                   author="Sam Rivera", contact_id=contact_id)


def test_a_newer_note_on_a_topic_supersedes_the_older_one():
    sheet = sheet_of([note_rec("Early days: no budget yet.", days=40, ref=1),
                      note_rec("Budget approved for Q1.", days=3, ref=2)])
    assert [(p.text, p.cites) for p in sheet.status] == [("Budget approved for Q1.", ("A2",))]
    assert [p.cites for p in sheet.superseded] == [("A1",)]
    assert not any("no budget" in p.text for p in sheet.points())


def test_status_is_newest_first_and_stale_notes_no_longer_count():
    sheet = sheet_of([note_rec("Security review passed.", days=5, ref=1),
                      note_rec("Redlines on the liability cap.", days=2, ref=2),
                      note_rec("Competitor in the mix is Pipewise.", days=90, ref=3)])
    assert [p.topic for p in sheet.status] == ["legal", "security"]
    assert sheet.competitors == ("Pipewise",)  # still known, for the drafts


def test_a_routine_email_is_never_a_risk():
    sheet = sheet_of([note_rec("Sent the security questionnaire for their security review.",
                               kind="email")])
    assert sheet.risks == () and all(p.tone != "risk" for p in sheet.status)


def test_the_sheet_as_data_is_json_and_cites_only_its_own_facts():
    sheet = sheet_of([note_rec("Budget approved. Competitor in the mix is Pipewise.", ref=4)],
                     tasks=[TaskRec(id=9, title="Send pricing", due_at=NOW)])
    data = json.loads(json.dumps(sheet.as_data()))
    ids = {f["id"] for f in data["facts"]}
    cited = {c for name in ("status", "signals", "risks", "next_steps")
             for point in data[name] for c in point["cites"]}
    assert cited and cited <= ids == {"A4", "T9"}
    assert data["competitors"] == ["Pipewise"]


def test_overdue_tasks_are_flagged_and_listed_first():
    tasks = [TaskRec(id=1, title="later", due_at=NOW + dt.timedelta(days=2)),
             TaskRec(id=2, title="late", due_at=NOW - dt.timedelta(days=2))]
    steps = sheet_of([], tasks=tasks).next_steps
    assert [(p.text, p.overdue) for p in steps] == [("late", True), ("later", False)]


def test_slipped_and_past_close_dates():
    slipped = deal_brief(DealRec(id=1, title="A", stage="proposal", amount=None, currency="USD",
                                 close_date=dt.date(2026, 12, 20),
                                 earlier_close=dt.date(2026, 11, 30),
                                 stage_since=NOW - dt.timedelta(days=4)), now=NOW)
    assert slipped.slipped_from == dt.date(2026, 11, 30) and not slipped.past_due
    assert slipped.days_in_stage == 4
    past = deal_brief(DealRec(id=2, title="B", stage="proposal", amount=None, currency="USD",
                              close_date=dt.date(2026, 11, 1)), now=NOW)
    assert past.past_due


WORDS = st.sampled_from([
    "budget", "approved", "pricing", "competitor", "next", "steps", "send", "the", "Jane",
    "signed", "no", "security", "review", "follow", "up", "Tuesday", "legal", "PO", "delay",
    "contract", "we", "talked", "about", "coffee", "and", "but", "—", ";", ".", "\n",
])


@given(st.lists(st.lists(WORDS, min_size=1, max_size=40).map(" ".join), min_size=1,
                max_size=6))
def test_every_quoted_sentence_is_in_the_note_it_cites(texts):
    items = [note_rec(t, days=i * 3, ref=i + 1) for i, t in enumerate(texts)]
    by_id = {f"A{i.id}": " ".join(i.body.split()) for i in items}
    sheet = sheet_of(items)
    for point in sheet.points():
        assert point.text.rstrip("…") in by_id[point.cites[0]]
    text = render_brief(sheet, tz=UTC)
    for line in text.splitlines():
        if line.startswith("• "):
            assert re.search(r"\[[ATDC]\d+", line), line


@pytest.mark.parametrize("moment, expected", [
    (dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC), "Nov 3"),
    (dt.datetime(2026, 11, 4, 2, tzinfo=dt.UTC), "Nov 3"),  # still the 3rd in New York
    (dt.datetime(2025, 12, 30, 12, tzinfo=dt.UTC), "Dec 30, 2025"),
    (dt.date(2027, 1, 2), "Jan 2, 2027"),
])
def test_short_day_is_in_the_readers_zone(moment, expected):
    assert short_day(moment, NY, now=NOW) == expected


def test_quotes_never_hold_text_outside_the_note():
    text = render_brief(sheet_of([note_rec("Budget approved by {the CFO}.", ref=5)]), tz=UTC)
    assert re.findall(r"“([^”]+)”", text) == ["Budget approved by {the CFO}."]
