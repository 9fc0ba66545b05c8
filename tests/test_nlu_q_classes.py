"""What set_q's misses showed, on new examples."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 10, 5, 10, 0)  # a Monday


def actions(text: str) -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz="UTC"))["actions"]


@pytest.mark.parametrize("text", ["Hola! 👋", "G'day, how do I log a call with this thing?",
                                  "selamat pagi! what can you do?"])
def test_greetings_of_many_places_ask_what_the_bot_can_do(text):
    assert actions(text) == [{"intent": "help"}]


def test_a_question_of_figures_with_it_and_for_is_no_question_about_the_bot():
    (query,) = actions("what's our total closed won for Q3? need it before midnight for the board")
    assert query["intent"] == "pipeline_query" and query["status"] == "won"


def test_tasks_asked_for_with_a_typo_list_the_week():
    assert actions("remind me what taks I have for the week") == [
        {"intent": "list_tasks", "scope": "week"}]


@pytest.mark.parametrize("text, owner", [("deals of Katrin?", "Katrin"),
                                         ("Katrin's deals", "Katrin")])
def test_whose_deals_in_either_order(text, owner):
    assert actions(text) == [{"intent": "list_deals", "owner": owner}]


def test_hottest_n_leads_sets_the_limit():
    assert actions("hottest 5 leads?") == [{"intent": "hot_leads", "limit": 5}]


def test_help_me_draft_is_a_draft_not_a_question_about_the_bot():
    (draft,) = actions("Can help me draft email to Omar at Greencrest")
    assert draft["intent"] == "draft_email" and draft["account"] == "Greencrest"


def test_an_exclamation_before_news_is_no_name():
    (update,) = actions("Eish, lost the Zenith deal")
    assert update["intent"] == "update_deal" and update["account"] == "Zenith"
    assert update["status"] == "lost"


def test_an_expansion_opp_is_a_new_deal_and_there_is_its_account():
    deal, contact = actions("expansion opp for Blueline: 18k. add Nadia Okafor as a contact there")
    assert deal == {"intent": "create_deal", "account": "Blueline", "amount": 18000}
    assert contact == {"intent": "create_contact", "name": "Nadia Okafor", "account": "Blueline"}
