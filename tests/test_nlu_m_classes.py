"""What set_m's misses showed, on new examples: how much of Europe writes amounts and
dates, greetings before the message, and a speaker's name before a question."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse
from bot.nlu.money import find_money

NOW = dt.datetime(2027, 3, 10, 10, 0)  # a Wednesday


def actions(text: str, tz: str = "Europe/Berlin") -> list[dict]:
    return actions_to_json(parse(text, now=NOW, tz=tz))["actions"]


@pytest.mark.parametrize(("said", "amount"), [
    ("600 000 PLN", 600000), ("1 100 000 zł", 1100000), ("212 000 €", 212000),
    ("55 TEUR", 55000), ("NOK 4,2 mill.", 4200000), ("2,5 Mio NOK", 2500000),
    ("84.500 €", 84500),
])
def test_amounts_as_europe_writes_them(said, amount):
    assert find_money(f"new deal Wisła Tools sp. z o.o., {said}, lead")[0] == amount


def test_a_split_figure_is_never_read_as_zero():
    (deal,) = actions("New deal Polimex Tech sp. z o.o., 600 000 PLN, stage qualification")
    assert deal["amount"] == 600000
    assert find_money("met 3 000 people at the fair") is None
