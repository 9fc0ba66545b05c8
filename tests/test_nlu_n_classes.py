"""What set_n's misses showed, on new examples: an SDR's touches, questions about the
bot, corrections and half-orders, and time on a clock's edge."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 3, 10, 10, 0)  # a Wednesday


def actions(text: str, now: dt.datetime = NOW, tz: str = "UTC") -> list[dict]:
    return actions_to_json(parse(text, now=now, tz=tz))["actions"]


@pytest.mark.parametrize(("text", "kinds"), [
    ("lvm for Aisling Byrne (Wexford Freight), try her again thurs", ["call"]),
    ("no answer from Jean-Paul Désir at Désir Imports, lvm for Ada Obi (Lekki Health)",
     ["call", "call"]),
    ("left msg w/ assistant for Tran Van Minh at Mekong Rice, call back in 2 days", ["call"]),
    ("gatekeeper at Ridgeline Tools Inc. again, couldn't get past the front desk", ["call"]),
])
def test_an_sdrs_touches_are_calls(text, kinds):
    assert [a["kind"] for a in actions(text) if a["intent"] == "log_activity"] == kinds


@pytest.mark.parametrize("text", [
    "sorry if this is a dumb q but can it set reminders?",
    "what's the syntax for adding a new contact?",
    "does this work in DMs or only in channels?",
    "what kinds of pipeline questions can I ask you?",
    "if I mess up a reminder can I undo it?",
])
def test_questions_about_the_bot_are_help(text):
    assert actions(text) == [{"intent": "help"}]


@pytest.mark.parametrize("text", ["remind me", "add a task", "can you book a conf room for 2pm",
                                  "did the clocks change tonight?"])
def test_half_orders_and_errands_are_not_understood_and_file_nothing(text):
    (said,) = actions(text)
    assert said["intent"] == "unknown"


def test_an_order_said_after_when_it_is_due():
    (task,) = actions("EOD remind me to update the forecast sheet")
    assert task == {"intent": "create_task", "title": "Update the forecast sheet",
                    "due": "2027-03-10T17:00"}


def test_a_reminder_in_the_hour_the_clocks_skip_is_due_as_the_clocks_show_it():
    (task,) = actions("remind me in 30 min to send the deck to Oyelaran Foods Ltd",
                      dt.datetime(2026, 3, 8, 1, 40), "America/New_York")
    assert task["due"] == "2026-03-08T03:10"


def test_a_reminders_half_past_four_is_the_afternoon_a_digests_half_past_seven_the_morning():
    (task,) = actions("remind me at 4:30 to prep for the Tremblay call")
    assert task["due"] == "2027-03-10T16:30"
    (digest,) = actions("post a daily digest to #emea-sales at 7:30")
    assert digest["time"] == "07:30"


@pytest.mark.parametrize(("text", "want"), [
    ("who has the most open pipeline right now?", {"group_by": "owner", "status": "open"}),
    ("how long does it take us to close a deal on avg?", {"measure": "cycle_days"}),
])
def test_manager_questions_in_other_words(text, want):
    (query,) = actions(text)
    assert query["intent"] == "pipeline_query" and want.items() <= query.items()


def test_em_is_them():
    log, update = actions("demo w/ Park Ji-hoon at Hanbit Robotics went great, move em to proposal")
    assert update == {"intent": "update_deal", "account": "Hanbit Robotics", "stage": "proposal"}
