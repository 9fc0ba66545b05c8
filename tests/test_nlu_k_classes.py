"""What set_k's misses showed, on new examples: dictated messages (punctuation and
clock times said as words, fillers), requests joined with "+", and deal titles."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2027, 3, 10, 10, 0)  # a Wednesday


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


@pytest.mark.parametrize(("said", "due"), [
    ("Friday at three p m", "2027-03-12T15:00"),
    ("Friday at seven thirty a m", "2027-03-12T07:30"),
    ("Friday at ten o'clock", "2027-03-12T10:00"),
    ("in ninety minutes", "2027-03-10T11:30"),
])
def test_a_time_said_in_words(said, due):
    (task,) = actions(f"remind me {said} to call Tane Walker")
    assert task["due"] == due and task["title"] == "Call Tane Walker"


def test_dictated_punctuation_splits_the_message():
    log, update = actions("log a meeting with Hemi Parata from Kauri Events on Monday we walked "
                          "the hall period put Kauri Events at proposal")
    assert (log["kind"], log["contact"], log["occurred_on"]) == ("meeting", "Hemi Parata",
                                                                 "2027-03-08")
    assert update == {"intent": "update_deal", "account": "Kauri Events", "stage": "proposal"}
    (contact,) = actions("add contact Ravi Menon comma ops head at Kochi Freight comma phone "
                         "98450 12345")
    assert (contact["title"], contact["account"]) == ("ops head", "Kochi Freight")
    (note,) = actions("note: the trial period ends on Friday for Kauri Events")
    assert note["intent"] == "log_activity"


def test_fillers_of_a_voice_memo():
    log, task = actions("okay so just did a site visit at Rangi Quarries with Aroha Rangi um "
                        "they want two loaders um send her the quote monday")
    assert (log["kind"], log["contact"], log["account"]) == ("meeting", "Aroha Rangi",
                                                              "Rangi Quarries")
    assert task["due"] == "2027-03-15T09:00"


@pytest.mark.parametrize(("text", "want"), [
    ("overdue tasks + top 5 hot leads", ["list_tasks", "hot_leads"]),
    ("my open deals? + anything overdue", ["list_deals", "list_tasks"]),
    ("done: send the loader specs. what's due today?", ["complete_task", "list_tasks"]),
    ("win rate by rep last quarter + avg deal size for Q4", ["pipeline_query", "pipeline_query"]),
    ("how much did we win in January and what's Tama's win rate this year",
     ["pipeline_query", "pipeline_query"]),
])
def test_requests_joined_by_plus_or_a_question_mark(text, want):
    assert [a["intent"] for a in actions(text)] == want


@pytest.mark.parametrize(("text", "account", "title"), [
    ("new deal Rangi Quarries crusher service contract one point two million negotiation",
     "Rangi Quarries", "crusher service contract"),
    ("new deal: Tonga Rugby Union awards dinner, 78k, lead", "Tonga Rugby Union", "awards dinner"),
    ("new deal vdm plant hire, 30t excavator rental, 96k, proposal", "vdm plant hire",
     "30t excavator rental"),
    ("create deal: The Harbour Collective – year-end party – $54,000", "Harbour Collective",
     "year-end party"),
])
def test_a_new_deals_name_said_after_its_account(text, account, title):
    (deal,) = actions(text)
    assert (deal["account"], deal["title"]) == (account, title)
    assert deal["amount"] > 0


def test_a_new_deal_for_a_lower_case_account_with_its_amount():
    assert actions("new deal for kumara farms 40k") == [
        {"intent": "create_deal", "account": "kumara farms", "amount": 40000}]
