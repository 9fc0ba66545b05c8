"""Date, time and period phrases resolve the way the parse contract says."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.nlu.dates import find_period, find_when

WED = dt.datetime(2026, 11, 18, 10, 0)  # Wednesday 18 Nov 2026, 10:00
MON = dt.datetime(2026, 11, 23, 8, 30)


@pytest.mark.parametrize(
    ("phrase", "now", "due"),
    [
        ("tomorrow", WED, "2026-11-19T09:00"),
        ("tomorrow 3pm", WED, "2026-11-19T15:00"),
        ("Friday", WED, "2026-11-20T09:00"),
        ("next Tuesday", WED, "2026-11-24T09:00"),
        ("next wednesday", MON, "2026-11-25T09:00"),
        ("this wednesday", WED, "2026-11-18T09:00"),
        ("Tuesday next week", WED, "2026-11-24T09:00"),
        ("by EOD", WED, "2026-11-18T17:00"),
        ("in 45 minutes", MON, "2026-11-23T09:15"),
        ("in 2 weeks", WED, "2026-12-02T09:00"),
        ("in a couple of days", WED, "2026-11-20T09:00"),
        ("end of month", WED, "2026-11-30T09:00"),
        ("end of Q1", WED, "2027-03-31T09:00"),
        ("end of Dec", WED, "2026-12-31T09:00"),
        ("Dec 3 at 2:30pm", WED, "2026-12-03T14:30"),
        ("March 31", WED, "2027-03-31T09:00"),
        ("3rd of December", WED, "2026-12-03T09:00"),
        ("2027-01-05", WED, "2027-01-05T09:00"),
        ("the day after tomorrow", WED, "2026-11-20T09:00"),
        ("friday at 4", WED, "2026-11-20T16:00"),
        ("at noon", WED, "2026-11-18T12:00"),
    ],
)
def test_future_phrases_for_tasks(phrase: str, now: dt.datetime, due: str) -> None:
    when = find_when(phrase, now, future=True)
    assert when.due() == dt.datetime.fromisoformat(due)


@pytest.mark.parametrize(
    ("phrase", "now", "day"),
    [
        ("yesterday", WED, "2026-11-17"),
        ("on Monday", WED, "2026-11-16"),
        ("last Friday", MON, "2026-11-20"),
        ("Friday", MON, "2026-11-20"),
        ("2 days ago", WED, "2026-11-16"),
        ("this morning", WED, "2026-11-18"),
        ("Dec 3", WED, "2025-12-03"),  # a day in a log is the most recent one
    ],
)
def test_past_phrases_for_logs(phrase: str, now: dt.datetime, day: str) -> None:
    assert find_when(phrase, now, future=False).day == dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    ("phrase", "past", "start", "end"),
    [
        ("this month", True, "2026-11-01", "2026-11-30"),
        ("last month", True, "2026-10-01", "2026-10-31"),
        ("this quarter", True, "2026-10-01", "2026-12-31"),
        ("last quarter", True, "2026-07-01", "2026-09-30"),
        ("Q3", True, "2026-07-01", "2026-09-30"),
        ("Q1", True, "2026-01-01", "2026-03-31"),
        ("Q1", False, "2027-01-01", "2027-03-31"),
        ("in October", True, "2026-10-01", "2026-10-31"),
        ("in March", False, "2027-03-01", "2027-03-31"),
        ("this year", True, "2026-01-01", "2026-12-31"),
        ("this week", True, "2026-11-16", "2026-11-22"),
        ("last week", True, "2026-11-09", "2026-11-15"),
        ("next 30 days", False, "2026-11-18", "2026-12-17"),  # 30 days, counting today
        ("last 7 days", True, "2026-11-12", "2026-11-18"),
        ("ytd", True, "2026-01-01", "2026-11-18"),
    ],
)
def test_periods(phrase: str, past: bool, start: str, end: str) -> None:
    found = find_period(phrase, WED, past=past)
    assert found is not None
    period, _ = found
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("phrase", ["blursday", "on flurbsday"])
def test_nonsense_days_are_reported_not_guessed(phrase: str) -> None:
    when = find_when(phrase, WED)
    assert when.due() is None
    assert when.unparsed is not None


def test_a_mistyped_weekday_is_still_understood() -> None:
    assert find_when("wendsday", WED).day == dt.date(2026, 11, 25)


def test_day_month_order_follows_the_zone() -> None:
    assert find_when("3/4", WED, us=True).day == dt.date(2027, 3, 4)
    assert find_when("3/4", WED, us=False).day == dt.date(2027, 4, 3)


@pytest.mark.parametrize("phrase", ["200 seats", "3 vendors", "20% off", "40k budget"])
def test_numbers_that_are_not_dates(phrase: str) -> None:
    assert find_when(phrase, WED).due() is None
