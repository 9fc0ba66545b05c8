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
