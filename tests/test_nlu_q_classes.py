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
