"""The model's budgets as an admin sees them: a switch that stops every call, a daily
token budget for the workspace that calls running together cannot overspend, and an
hourly allowance per person — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_store.models import AiUsage
from crm_store.services import ai
from tests.conftest import make_user

NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
LIMITS = ai.Limits(daily_tokens=10_000, user_calls_per_hour=3)


def book(session, user, need=1_000, now=NOW, team="T1"):
    return ai.reserve(session, team_id=team, user_id=user.id, prompt="brief@v1", need=need,
                      limits=LIMITS, now=now)


def test_the_switch_stops_every_call_and_says_why(session, rep):
    assert isinstance(book(session, rep), int)
    assert ai.set_enabled(session, team_id="T1", on=False, by=rep.id)
    assert "turned the model off" in book(session, rep)
    assert not ai.set_enabled(session, team_id="T1", on=False, by=rep.id)  # no change
    ai.set_enabled(session, team_id="T1", on=True, by=rep.id)
    assert isinstance(book(session, rep), int)


def test_the_daily_budget_counts_bookings_and_settled_costs(session, rep):
    other = make_user(session, "Ana Souza")
    first = book(session, rep, need=4_000)
    ai.settle(session, first, prompt_tokens=5_000, completion_tokens=1_000, outcome="ok")
    assert isinstance(book(session, other, need=3_000), int)  # 9,000 used or booked
    refused = book(session, other, need=2_000)
    assert refused == "today's model budget (10,000 tokens) is spent"
    # Another workspace's budget is its own, and tomorrow starts afresh.
    assert isinstance(book(session, rep, need=2_000, team="T2"), int)
    assert isinstance(book(session, other, need=2_000, now=NOW + dt.timedelta(days=1)), int)


def test_each_person_has_an_hourly_allowance(session, rep):
    for minute in range(3):
        assert isinstance(book(session, rep, need=10, now=NOW + dt.timedelta(minutes=minute)),
                          int)
    assert "3 model answers for this hour" in book(session, rep, need=10,
                                                   now=NOW + dt.timedelta(minutes=5))
    assert isinstance(book(session, make_user(session, "Kofi Mensah"), need=10), int)
    assert isinstance(book(session, rep, need=10, now=NOW + dt.timedelta(minutes=61)), int)


def test_status_shows_today_and_who_spent_it(session, rep):
    done = book(session, rep, need=100)
    ai.settle(session, done, prompt_tokens=700, completion_tokens=300, outcome="ok")
    failed = book(session, rep, need=100)
    ai.settle(session, failed, prompt_tokens=0, completion_tokens=0, outcome="fallback:timeout")
    yesterday = book(session, rep, need=100, now=NOW - dt.timedelta(days=1))
    ai.settle(session, yesterday, prompt_tokens=500, completion_tokens=0, outcome="ok")
    status = ai.status(session, team_id="T1", limits=LIMITS, now=NOW)
    assert (status.enabled, status.used_today, status.calls_today, status.fallbacks_today) == \
        (True, 1_000, 2, 1)
    assert status.left_today == 9_000
    assert status.top_users == ((rep.name, 1_000),)


def test_ratings_keep_the_prompt_version_and_list_newest_down_first(session, rep):
    ai.record_feedback(session, team_id="T1", user_id=rep.id, prompt="brief@v1", rating="down",
                       excerpt="Greencrest  — proposal,\n$40,000")
    ai.record_feedback(session, team_id="T1", user_id=rep.id, prompt="draft@v2", rating="up",
                       excerpt="fine")
    ai.record_feedback(session, team_id="T1", user_id=None, prompt="draft@v2", rating="down",
                       excerpt="too long")
    downs = ai.recent_feedback(session, team_id="T1")
    assert [(f.prompt, f.excerpt, name) for f, name in downs] == [
        ("draft@v2", "too long", None), ("brief@v1", "Greencrest — proposal, $40,000", rep.name)]
    with pytest.raises(ValueError):
        ai.record_feedback(session, team_id="T1", user_id=None, prompt="x", rating="meh",
                           excerpt="")
    assert session.query(AiUsage).count() == 0
