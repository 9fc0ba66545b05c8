"""The rules engine on classes of messages a sixth blind writer showed it missing: several
actions in one message, deal updates said loosely, requests phrased casually, activity
kinds and notes, and dates relative to the moment asked. Examples are new, not the
blind set's."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu import actions_to_json, parse

NOW = dt.datetime(2026, 11, 18, 10, 0)  # a Wednesday


def run(text: str, now: dt.datetime = NOW, tz: str = "America/New_York") -> list[dict]:
    return actions_to_json(parse(text, now=now, tz=tz))["actions"]


def subset(got: dict, want: dict) -> bool:
    return all(got.get(k) == v for k, v in want.items())


def intents(actions: list[dict]) -> list[str]:
    return [a["intent"] for a in actions]


# ---- requests phrased casually --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("tl;dr on Ravi Menon @ Kestrel Freight?", {"contact": "Ravi Menon",
                                                    "account": "Kestrel Freight"}),
        ("tldr Harborview Dental", {"account": "Harborview Dental"}),
        ("tl;dr for Quillfeather Press pls", {"account": "Quillfeather Press"}),
    ],
)
def test_tldr_asks_for_a_summary(text: str, want: dict) -> None:
    (action,) = run(text)
    assert action["intent"] == "summarize" and subset(action, want), action


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("can u write a congrats email to Thibault on the launch",
         {"contact": "Thibault"}),
        ("could u draft a welcome aboard email to Ingrid Solberg at Fjellvann AS",
         {"contact": "Ingrid Solberg", "account": "Fjellvann AS", "purpose": "welcome aboard"}),
        ("draft a post-conference follow-up check-in email to Rahim Chowdhury",
         {"contact": "Rahim Chowdhury"}),
    ],
)
def test_casual_draft_requests_are_drafts_with_a_purpose(text: str, want: dict) -> None:
    (action,) = run(text)
    assert action["intent"] == "draft_email", action
    assert subset(action, want), action
    assert action.get("purpose"), action


# ---- dates relative to the moment asked -------------------------------------------------


def test_a_clock_time_said_at_that_very_minute_is_today() -> None:
    (task,) = run("remind me at 3pm to ring Odile", now=dt.datetime(2026, 11, 18, 15, 0))
    assert task["due"] == "2026-11-18T15:00"
    (later,) = run("remind me at 3pm to ring Odile", now=dt.datetime(2026, 11, 18, 15, 1))
    assert later["due"] == "2026-11-19T15:00"


@pytest.mark.parametrize(
    ("text", "now", "period"),
    [
        # asked in Q1: the Q3/Q4 meant is last year's, the most recent one
        ("average deal size Q3?", dt.datetime(2027, 2, 3, 9), ("2026-07-01", "2026-09-30")),
        ("avg size of deals in q4", dt.datetime(2027, 1, 20, 9), ("2026-10-01", "2026-12-31")),
        # asked inside the quarter: this one
        ("avg deal size Q4", dt.datetime(2026, 11, 18, 9), ("2026-10-01", "2026-12-31")),
    ],
)
def test_average_size_in_a_quarter_is_the_most_recent_one(text, now, period) -> None:
    (query,) = run(text, now=now)
    assert query["measure"] == "avg_amount"
    assert (query["period"]["start"], query["period"]["end"]) == period


def test_average_size_of_open_deals_is_a_question() -> None:
    (query,) = run("what's the avg value of our open deals")
    assert subset(query, {"intent": "pipeline_query", "measure": "avg_amount",
                          "status": "open"}), query
