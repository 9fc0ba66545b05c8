"""What set_i's misses showed, on new examples: requests chained onto requests or news,
several orders in one message, and names the rules misread."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 3, 10, 10, 0)  # a Wednesday


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


def intents(text: str) -> list[str]:
    return [a["intent"] for a in actions(text)]


@pytest.mark.parametrize(("text", "want"), [
    ("hi! what's on my plate today + how's my pipeline", ["list_tasks", "pipeline_query"]),
    ("show my deals and my tasks for this week", ["list_deals", "list_tasks"]),
    ("done: QBR prep ✅ and add a task to send the deck to Mateo first thing friday",
     ["complete_task", "create_task"]),
    ("done: pricing sheet for Ines. now remind me to call her next tuesday",
     ["complete_task", "create_task"]),
    ("met Olu Adebayo at Kano Mills, he wants a summary of the SLA - draft the recap email",
     ["log_activity", "draft_email"]),
])
def test_a_request_chained_onto_another_is_read_as_its_own(text, want):
    assert intents(text) == want


def test_a_chained_order_drops_the_words_that_joined_it():
    done, task = actions("done: pricing sheet for Ines. now remind me to call her next tuesday")
    assert done["title"] == "pricing sheet for Ines"
    assert task["title"].startswith("Call") and task["due"] == "2027-03-16T09:00"


def test_there_is_the_account_named_before():
    timeline, draft = actions("show the timeline for Kauri Timber and draft a check-in email "
                              "to Aroha Ngata there")
    assert draft["contact"] == "Aroha Ngata" and draft["account"] == "Kauri Timber"


def test_a_heading_over_several_orders_is_no_order_itself():
    first, second = actions("three reminders pls: call Ama at Kumasi Foods tomorrow 11am, "
                            "send Kojo the deck friday")
    assert (first["title"], first["due"]) == ("Call Ama at Kumasi Foods", "2027-03-11T11:00")
    assert (second["contact"], second["due"]) == ("Kojo", "2027-03-12T09:00")


def test_a_second_order_with_its_own_day_after_and():
    first, second = actions("remind me thu to send Ilse the DPA and mon to book the legal call")
    assert (first["due"], second["due"]) == ("2027-03-11T09:00", "2027-03-15T09:00")
    assert second["title"] == "Book the legal call"


def test_two_voicemails_in_one_line_are_two_calls():
    one, two = actions("vm for Aino Laine (Polar Kraft) + vm for Bjørn Dahl (Nordkyst AS)")
    assert (one["contact"], two["contact"]) == ("Aino Laine", "Bjørn Dahl")
    assert one["kind"] == two["kind"] == "call"


def test_moving_a_digest_stops_it_in_one_channel_and_starts_it_in_the_other():
    assert actions("move the weekly digest from #emea to #emea-sales, mondays at 8:30") == [
        {"intent": "unsubscribe_digest", "channel": "emea", "cadence": "weekly"},
        {"intent": "subscribe_digest", "channel": "emea-sales", "cadence": "weekly",
         "time": "08:30", "weekday": "monday"}]
