"""What set_j's misses showed, on new examples: polite Japanese and Nigerian English,
orders said around the note, company names that hold a cue word or open with a digit."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 12, 21, 10, 0)  # a Monday


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


def test_a_name_with_san_is_a_person():
    email, update = actions("Sato-san replied by email, Kobe Digital K.K. approved the budget "
                            "8.5M yen. please update the deal amount and move to negotiation")
    assert (email["contact"], email["account"]) == ("Sato-san", "Kobe Digital K.K.")
    assert (update["account"], update["amount"]) == ("Kobe Digital K.K.", 8500000)


def test_close_the_deal_as_won_names_no_company_close():
    log, update = actions("Called Emeka yesterday, Lekki Port Services agreed the rates!!! "
                          "Close the deal as won")
    assert update["account"] == "Lekki Port Services" and update["status"] == "won"


def test_finished_call_with_is_a_call_not_a_finished_task():
    log, task = actions("Please I just finished call with Emeka Obi of Lekki Port Services, they "
                        "will revert by next week Tuesday. Kindly remind me to call him on "
                        "Tuesday by 10am")
    assert (log["kind"], log["contact"]) == ("call", "Emeka Obi")
    assert task["due"] == "2026-12-22T10:00"


@pytest.mark.parametrize(("text", "kind"), [
    ("email received from Ama at The Accra Group: they signed!", "email"),
    ("I was calling to Ewa Nowak from Baltic Cold Chain, they want 12 reefers weekly", "call"),
])
def test_how_non_native_writers_log_a_touch(text, kind):
    assert actions(text)[0]["kind"] == kind


def test_departments_are_no_contacts():
    (log, *_) = actions("rang purchasing at Pines Health, no answer")
    assert "contact" not in log and log["account"] == "Pines Health"


@pytest.mark.parametrize(("text", "want"), [
    ("give me my five hottest leads", {"intent": "hot_leads", "limit": 5}),
    ("list all deals in lead stage", {"intent": "list_deals", "stage": "lead"}),
])
def test_requests(text, want):
    assert actions(text) == [want]


def test_company_names_that_open_with_a_digit_or_hold_a_cue_word():
    (update,) = actions("3PL Direct — close date move to 31 March, amount reduce to 12.5m")
    assert update["account"] == "3PL Direct" and update["amount"] == 12500000
    (deal,) = actions("Jollibrew Coffee Co. new deal, 1.5M pesos, demo stage, closing Feb 15")
    assert deal["account"] == "Jollibrew Coffee Co." and deal["amount"] == 1500000


def test_an_amount_said_bare_after_the_word_amount():
    (update,) = actions("Kaweah Valley Regional — move to negotiation, amount now 97,500")
    assert update["amount"] == 97500


def test_add_a_companys_deal_is_a_deal_not_a_contact():
    (deal,) = actions("add Kano Flour Mills deal 30 million naira, qualification stage")
    assert deal["intent"] == "create_deal" and deal["account"] == "Kano Flour Mills"


def test_a_holiday_is_its_date():
    (task,) = actions("remind me to call Bridget O'Malley at noon on Christmas Eve")
    assert task["due"] == "2026-12-24T12:00"


def test_a_figure_named_as_the_deals_value_needs_no_currency():
    (deal,) = actions("new deal for Baltic Cold Chain, value 240 000, stage qualification")
    assert deal["amount"] == 240000


def test_quarter_past_an_hour_said_in_words():
    (task,) = actions("remind me at quarter past two to try Becca again")
    assert task["due"] == "2026-12-21T14:15"


def test_the_company_whose_department_it_is():
    (task,) = actions("remind me tomorrow at 7:30am to call the St. Agnes biomed dept")
    assert task.get("account") == "St. Agnes"
