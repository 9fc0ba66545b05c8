"""No scheduled job calls Slack while it holds a write transaction: each claims and
commits, sends, then records the send. A slow Slack must never hold a database lock.

The notifier here checks, at every send, that the sending thread holds no write
transaction, as the engine's own events tell it.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from bot.assistant.types import Reply
from crm_store.models import LOCAL_TEAM
from crm_store.services import accounts, deals, digests, tasks
from scheduler.alerts import hot_lead_alerts
from scheduler.digests import deliver_digests
from scheduler.nudges import overdue_lists, stale_deal_nudges
from scheduler.reminders import dispatch_reminders
from tests.conftest import make_user
from tests.test_alerts import NOW, THRESHOLD, book  # noqa: F401 - a fixture used below
from tests.write_tracker import WriteTracker


class Watchful:
    """A notifier that records every send and whether its own thread held a write
    transaction while sending (senders run in threads of their own)."""

    def __init__(self, tracker: WriteTracker) -> None:
        self.tracker = tracker
        self.sent: list[str] = []
        self.locked: list[str] = []
        self._lock = threading.Lock()

    def _saw(self, where: str) -> None:
        with self._lock:
            self.sent.append(where)
            if self.tracker.holds_write():
                self.locked.append(where)

    def dm(self, user, reply: Reply) -> None:
        self._saw(f"dm {user.name}: {reply.text[:40]}")

    def post(self, team_id, channel, reply: Reply) -> None:
        self._saw(f"#{channel}: {reply.text[:40]}")

    def upload(self, team_id, channel, *, filename, content, title) -> None:
        self._saw(f"upload #{channel}")


@pytest.fixture
def box(database):
    tracker = WriteTracker(database.engine)
    yield Watchful(tracker)
    tracker.close()


def test_reminders_and_the_note_to_a_manager_about_someone_who_left(database, box):
    with database.session() as s:
        boss = make_user(s, "Morgan Lee")
        sam = make_user(s, "Sam Rivera")
        gone = make_user(s, "Pat Gone", manager=boss)
        gone.is_active = False
        for user in (sam, gone):
            tasks.create_task(s, actor=None, team_id=user.team_id, title="call back",
                              due_at=NOW - dt.timedelta(hours=1), assignee_id=user.id)
    dispatch_reminders(database, box, worker="w", now=NOW)
    assert sorted(box.sent)[0].startswith("dm Morgan Lee") and len(box.sent) == 2
    assert box.locked == []


def test_overdue_lists_and_stale_deal_nudges(database, box):
    morning = dt.datetime(2026, 11, 19, 13, 30, tzinfo=dt.UTC)  # 08:30 in New York
    with database.session() as s:
        sam = make_user(s, "Sam Rivera", tz="America/New_York")
        tasks.create_task(s, actor=None, team_id=sam.team_id, title="Send the SOW",
                          due_at=morning - dt.timedelta(days=1), assignee_id=sam.id)
        acme = accounts.create_account(s, actor=None, team_id=sam.team_id, name="Acme")
        deals.create_deal(s, actor=None, team_id=sam.team_id, title="Acme deal",
                          account_id=acme.id, owner_id=sam.id,
                          now=morning - dt.timedelta(days=40))
    assert overdue_lists(database, box, worker="w", now=morning) == 1
    assert stale_deal_nudges(database, box, worker="w", quiet_days=14, now=morning) == 1
    assert len(box.sent) == 2 and box.locked == []


def test_hot_lead_alerts(database, book, box):  # noqa: F811 - the fixture imported above
    assert hot_lead_alerts(database, box, worker="w", threshold=THRESHOLD, channel="sales",
                           now=NOW) == 2
    assert box.locked == []


@pytest.mark.parametrize("cadence", ["daily", "weekly"])
def test_digests(database, box, cadence):
    due = dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC)  # Wednesday 08:00 in New York
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        digests.subscribe(s, actor=sam, team_id=LOCAL_TEAM, channel="sales", cadence=cadence,
                          time_of_day="08:00", weekday=2 if cadence == "weekly" else None,
                          tz="America/New_York", now=due - dt.timedelta(days=8))
    deliver_digests(database, box, worker="w", now=due)
    assert box.sent and box.locked == []
