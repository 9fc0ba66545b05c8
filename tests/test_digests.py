"""Digest subscriptions: DST-correct next runs, weekday math, subscribe/update/undo."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.assistant.context import Ctx
from bot.assistant.core import execute
from bot.nlu.actions import SubscribeDigest
from crm_store.errors import BadInput, NotFound
from crm_store.models import Cadence, DigestSubscription
from crm_store.services import audit, digests
from tests.conftest import make_settings, make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)  # Wed 10:00 in New York
NY = "America/New_York"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# ------------------------------------------------------------------ next run (pure)
@pytest.mark.parametrize("cadence, clock, weekday, tz, after, expected", [
    # Daily 08:00 in New York across the end of DST (2026-11-01): 12:00 UTC, then 13:00 UTC.
    ("daily", dt.time(8), None, NY, utc(2026, 10, 31, 11, 0), utc(2026, 10, 31, 12, 0)),
    ("daily", dt.time(8), None, NY, utc(2026, 10, 31, 12, 0), utc(2026, 11, 1, 13, 0)),
    ("daily", dt.time(8), None, NY, utc(2026, 11, 1, 13, 0), utc(2026, 11, 2, 13, 0)),
    # 01:30 happens twice on 2026-11-01: run at the first, and only once.
    ("daily", dt.time(1, 30), None, NY, utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 5, 30)),
    ("daily", dt.time(1, 30), None, NY, utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)),
    # Spring forward (2026-03-08): 02:30 does not exist; it runs at 03:30 EDT.
    ("daily", dt.time(2, 30), None, NY, utc(2026, 3, 8, 5, 0), utc(2026, 3, 8, 7, 30)),
    ("daily", dt.time(8), None, NY, utc(2026, 3, 7, 13, 0), utc(2026, 3, 8, 12, 0)),
    # Weekly: Monday (0) 08:00 asked on a Wednesday → next Monday.
    ("weekly", dt.time(8), 0, NY, NOW, utc(2026, 11, 23, 13, 0)),
    # Friday (4) 09:00: earlier on a Friday → that day; after it → a week later.
    ("weekly", dt.time(9), 4, NY, utc(2026, 11, 20, 13, 0), utc(2026, 11, 20, 14, 0)),
    ("weekly", dt.time(9), 4, NY, utc(2026, 11, 20, 14, 0), utc(2026, 11, 27, 14, 0)),
    # Weekly across the DST change keeps the wall time: Sun 08:00 before and after.
    ("weekly", dt.time(8), 6, NY, utc(2026, 10, 25, 12, 0), utc(2026, 11, 1, 13, 0)),
    # Berlin ends DST a week earlier (2026-10-25).
    ("daily", dt.time(8), None, "Europe/Berlin", utc(2026, 10, 24, 6, 0),
     utc(2026, 10, 25, 7, 0)),
    # Late evening in the zone is already the next day in UTC.
    ("daily", dt.time(23, 30), None, "America/Los_Angeles", utc(2026, 11, 18, 8, 0),
     utc(2026, 11, 19, 7, 30)),
])
def test_next_run_keeps_the_wall_time(cadence, clock, weekday, tz, after, expected):
    got = digests.next_run_at(cadence=cadence, time_of_day=clock, tz=tz, after=after,
                              weekday=weekday)
    assert got == expected
    assert got.tzinfo is not None and got.utcoffset() == dt.timedelta(0)


def test_next_run_reads_the_subscription():
    sub = DigestSubscription(cadence=Cadence.WEEKLY, time_of_day=dt.time(8), weekday=0, tz=NY)
    assert digests.next_run(sub, NOW) == utc(2026, 11, 23, 13, 0)
    # `after` may be in any zone.
    assert digests.next_run(sub, NOW.astimezone(dt.timezone(dt.timedelta(hours=9)))) == \
        utc(2026, 11, 23, 13, 0)


@pytest.mark.parametrize("text, expected", [
    (None, dt.time(8)), ("", dt.time(8)), ("17:30", dt.time(17, 30)), ("8", dt.time(8)),
    ("8am", dt.time(8)), ("5:30 pm", dt.time(17, 30)), ("12am", dt.time(0)),
    ("12pm", dt.time(12)), (dt.time(9, 15, 42), dt.time(9, 15)),
])
def test_times_of_day(text, expected):
    assert digests.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "7:60", "13pm", "noon-ish", "0am"])
def test_bad_times_are_refused_clearly(text):
    with pytest.raises(BadInput, match="not a time of day"):
        digests.parse_time(text)


@pytest.mark.parametrize("text, expected", [
    ("monday", 0), ("Fri", 4), ("Fridays", 4), ("thursday", 3), (6, 6), (None, 0)])
def test_weekdays(text, expected):
    assert digests.parse_weekday(text) == expected


@pytest.mark.parametrize("text", ["funday", "t", 7, -1])
def test_bad_weekdays(text):
    with pytest.raises(BadInput):
        digests.parse_weekday(text)


@pytest.mark.parametrize("text, expected", [("#Sales", "sales"), ("team-west", "team-west")])
def test_channel_names(text, expected):
    assert digests.parse_channel(text) == expected


@pytest.mark.parametrize("text", [None, "", "#", "sales team", "ventes!"])
def test_bad_channel_names(text):
    with pytest.raises(BadInput):
        digests.parse_channel(text)


def test_unknown_zone_is_bad_input():
    with pytest.raises(BadInput, match="time zone"):
        digests.next_run_at(cadence="daily", time_of_day=dt.time(8), tz="Mars/Olympus",
                            after=NOW)


# ------------------------------------------------------------------ service
def test_bad_time_is_refused_before_anything_is_written(session, rep):
    with pytest.raises(BadInput, match="25:00"):
        digests.subscribe(session, actor=rep, team_id=rep.team_id, channel="sales",
                          time_of_day="25:00", now=NOW)
    assert digests.list_subscriptions(session, team_id=rep.team_id) == []


def test_subscribe_stores_who_when_and_the_next_run(session, rep):
    sub, outcome = digests.subscribe(session, actor=rep, team_id=rep.team_id, channel="#Sales",
                                     cadence="weekly", time_of_day="09:30", weekday="friday",
                                     tz=NY, now=NOW)
    assert outcome == "created"
    assert (sub.channel, sub.cadence, sub.time_of_day, sub.weekday, sub.tz) == (
        "sales", Cadence.WEEKLY, dt.time(9, 30), 4, NY)
    assert sub.created_by_id == rep.id and sub.active
    assert sub.next_run_at == utc(2026, 11, 20, 14, 30)
    assert [s.id for s in digests.list_subscriptions(session, team_id=rep.team_id)] == [sub.id]


def test_resubscribing_updates_and_another_cadence_adds(session, rep):
    manager = make_user(session, "Dana Boss", tz="Europe/London")
    first, _ = digests.subscribe(session, actor=rep, team_id=rep.team_id, channel="sales",
                                 tz=NY, now=NOW)
    again, outcome = digests.subscribe(session, actor=manager, team_id=rep.team_id,
                                       channel="sales", time_of_day="07:00",
                                       tz=manager.tz, now=NOW)
    assert again.id == first.id and outcome == "updated"
    assert (again.time_of_day, again.tz, again.created_by_id) == (dt.time(7), "Europe/London",
                                                                  rep.id)
    assert again.next_run_at == utc(2026, 11, 19, 7, 0)
    same, outcome = digests.subscribe(session, actor=manager, team_id=rep.team_id,
                                      channel="sales", time_of_day="07:00", tz=manager.tz,
                                      now=NOW)
    assert outcome == "unchanged"
    weekly, outcome = digests.subscribe(session, actor=rep, team_id=rep.team_id, channel="sales",
                                        cadence="weekly", tz=NY, now=NOW)
    assert outcome == "created" and weekly.weekday == 0
    assert len(digests.list_subscriptions(session, team_id=rep.team_id)) == 2


def test_unsubscribe_switches_off_and_resubscribing_takes_it_over(session, rep):
    other = make_user(session, "Ola Other")
    digests.subscribe(session, actor=rep, team_id=rep.team_id, channel="sales", tz=NY, now=NOW)
    stopped = digests.unsubscribe(session, actor=rep, team_id=rep.team_id, channel="sales")
    assert [s.active for s in stopped] == [False] and stopped[0].next_run_at is None
    assert digests.list_subscriptions(session, team_id=rep.team_id) == []
    with pytest.raises(NotFound):
        digests.unsubscribe(session, actor=rep, team_id=rep.team_id, channel="sales")
    back, outcome = digests.subscribe(session, actor=other, team_id=rep.team_id,
                                      channel="sales", tz=NY, now=NOW)
    assert outcome == "updated" and back.active and back.created_by_id == other.id


def test_mark_sent_schedules_the_next_run(session, rep):
    sub, _ = digests.subscribe(session, actor=rep, team_id=rep.team_id, channel="sales",
                               tz=NY, now=NOW)
    due = sub.next_run_at
    digests.mark_sent(session, sub=sub, sent_at=due + dt.timedelta(seconds=40))
    assert sub.last_sent_at == due + dt.timedelta(seconds=40)
    assert sub.next_run_at == due + dt.timedelta(days=1)


def test_workspaces_do_not_share_subscriptions(session, rep):
    assert digests.find_subscription(session, team_id="T-other", channel="sales",
                                     cadence="daily") is None


# ------------------------------------------------------------------ executor
def _ctx(session, user, now=NOW) -> Ctx:
    return Ctx(session=session, user=user, now=now, settings=make_settings(), source_id="t1")


def test_subscribe_digest_says_when_the_first_one_arrives(session, rep):
    reply = execute(_ctx(session, rep), [SubscribeDigest(channel="sales", cadence="daily")])
    assert reply.ok and reply.wrote
    assert reply.text.startswith("Done: #sales gets the pipeline digest daily at 08:00 "
                                 "(America/New_York)")
    assert "first one arrives tomorrow, Thu Nov 19, 08:00" in reply.text
    assert any(b.action_id == "undo" for b in reply.buttons)
    sub = digests.find_subscription(session, team_id=rep.team_id, channel="sales",
                                    cadence="daily")
    assert sub.tz == NY and sub.created_by_id == rep.id
    assert sub.next_run_at == utc(2026, 11, 19, 13, 0)


def test_weekly_digest_defaults_to_monday(session, rep):
    reply = execute(_ctx(session, rep), [SubscribeDigest(channel="pipeline", cadence="weekly",
                                                         time=dt.time(9, 0))])
    session.flush()  # the audit rows must be writable too
    assert "every Monday at 09:00" in reply.text
    assert "Mon Nov 23, 09:00" in reply.text


def test_resubscribing_says_it_updated_and_undo_restores(session, rep):
    manager = make_user(session, "Dana Boss")
    execute(_ctx(session, rep), [SubscribeDigest(channel="sales", time=dt.time(8))])
    session.info.pop("audit_batch", None)  # the next message is its own unit of work
    reply = execute(_ctx(session, manager), [SubscribeDigest(channel="sales",
                                                             time=dt.time(7, 15))])
    assert reply.text.startswith("Updated: #sales's daily digest (set up by Sam Rivera) now "
                                 "comes daily at 07:15")
    batch = next(b.value for b in reply.buttons if b.action_id == "undo")
    audit.undo(session, actor=manager, batch=batch)
    sub = digests.find_subscription(session, team_id=rep.team_id, channel="sales",
                                    cadence="daily")
    assert sub.time_of_day == dt.time(8)
    assert sub.next_run_at == utc(2026, 11, 19, 13, 0)


def test_same_subscription_again_changes_nothing(session, rep):
    execute(_ctx(session, rep), [SubscribeDigest(channel="sales")])
    reply = execute(_ctx(session, rep), [SubscribeDigest(channel="sales")])
    assert reply.text.startswith("#sales already gets the daily digest")
    assert not reply.wrote


def test_missing_channel_is_asked_for(session, rep):
    with pytest.raises(BadInput, match="Which channel"):
        execute(_ctx(session, rep), [SubscribeDigest(cadence="daily")])
