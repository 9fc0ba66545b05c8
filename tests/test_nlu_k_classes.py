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
