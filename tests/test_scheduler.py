"""Scheduled delivery: on time in the user's zone, exactly once, recovered after a crash."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from bot.assistant.types import Reply
from crm_store.models import LOCAL_TEAM, Delivery, Task, TaskStatus
from crm_store.services import tasks
from scheduler.reminders import dispatch_reminders
from tests.conftest import make_user

NY = ZoneInfo("America/New_York")


class Outbox:
    """Records what would reach Slack (the scheduler's output is what we test)."""

    def __init__(self, fail_times: int = 0):
        self.sent: list[tuple[str, Reply]] = []
        self.fail_times = fail_times

    def dm(self, user, reply):
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("slack is down")
        self.sent.append((user.name, reply))

    def post(self, team_id, channel, reply):
        self.sent.append((f"#{channel}", reply))

    def upload(self, team_id, channel, *, filename, content, title):
        self.sent.append((f"#{channel}", Reply(title)))


def local(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=NY).astimezone(dt.UTC)


@pytest.fixture
def sam(database):
    with database.session() as s:
        return make_user(s, "Sam Rivera", tz="America/New_York")


def add_task(database, user, title, due, **kw):
    with database.session() as s:
        return tasks.create_task(s, actor=None, team_id=user.team_id, title=title, due_at=due,
                                 assignee_id=user.id, **kw).id


def test_a_reminder_fires_at_its_local_time_and_only_once(database, sam):
    add_task(database, sam, "Send pricing to Jane", local(2026, 11, 20, 15))
    box = Outbox()
    assert dispatch_reminders(database, box, worker="w", now=local(2026, 11, 20, 14, 59)) == 0
    assert dispatch_reminders(database, box, worker="w", now=local(2026, 11, 20, 15, 0)) == 1
    assert dispatch_reminders(database, box, worker="w", now=local(2026, 11, 20, 16, 0)) == 0
    [(who, reply)] = box.sent
    assert who == "Sam Rivera"
    assert "Send pricing to Jane* — due today, Fri Nov 20, 15:00" in reply.text
    assert [b.label for b in reply.buttons] == ["Done", "Snooze 1 h", "Tomorrow 9:00"]
    assert not reply.context  # on time: not marked late


def test_reminders_follow_the_wall_clock_across_a_dst_change(database, sam):
    # New York leaves daylight time on 2026-11-01: 9:00 is 13:00 UTC before, 14:00 after.
    add_task(database, sam, "before", local(2026, 10, 31, 9))
    add_task(database, sam, "after", local(2026, 11, 2, 9))
    box = Outbox()
    dispatch_reminders(database, box, worker="w",
                       now=dt.datetime(2026, 10, 31, 13, 0, tzinfo=dt.UTC))
    dispatch_reminders(database, box, worker="w",
                       now=dt.datetime(2026, 11, 2, 13, 59, tzinfo=dt.UTC))
    assert [r.text.split("*")[1] for _, r in box.sent] == ["before"]
    dispatch_reminders(database, box, worker="w",
                       now=dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC))
    assert [r.text.split("*")[1] for _, r in box.sent] == ["before", "after"]
    assert "due today, Mon Nov 2, 09:00" in box.sent[1][1].text


def test_what_fell_due_while_down_goes_out_on_start_marked_late(database, sam):
    add_task(database, sam, "Call Tom", local(2026, 11, 20, 9))
    box = Outbox()
    dispatch_reminders(database, box, worker="w", now=local(2026, 11, 20, 11, 30))
    [(_, reply)] = box.sent
    assert reply.context and reply.context[0].startswith("Late:")


def test_a_crash_between_claim_and_send_is_recovered_by_the_lease(database, sam):
    add_task(database, sam, "Call Tom", local(2026, 11, 20, 9))
    now = local(2026, 11, 20, 9)
    with database.session() as s:  # worker "dead" claims, then dies before sending
        assert len(tasks.claim_due_reminders(s, worker="dead", now=now)) == 1
    box = Outbox()

    def after(minutes):
        return dispatch_reminders(database, box, worker="alive",
                                  now=now + dt.timedelta(minutes=minutes))

    assert (after(1), after(6), after(12)) == (0, 1, 0)
    assert len(box.sent) == 1


def test_a_failed_send_is_retried_after_the_lease(database, sam):
    add_task(database, sam, "Call Tom", local(2026, 11, 20, 9))
    now = local(2026, 11, 20, 9)
    box = Outbox(fail_times=1)
    assert dispatch_reminders(database, box, worker="w", now=now) == 0
    assert dispatch_reminders(database, box, worker="w", now=now + dt.timedelta(minutes=6)) == 1
    assert len(box.sent) == 1


def test_completed_and_deleted_tasks_are_skipped(database, sam):
    done = add_task(database, sam, "done already", local(2026, 11, 20, 9))
    gone = add_task(database, sam, "deleted", local(2026, 11, 20, 9))
    with database.session() as s:
        tasks.complete_task(s, actor=None, task=s.get(Task, done))
        s.delete(s.get(Task, gone))
    box = Outbox()
    assert dispatch_reminders(database, box, worker="w", now=local(2026, 11, 20, 10)) == 0
    assert box.sent == []


def test_a_user_who_left_gets_nothing_and_the_manager_is_told_once(database):
    with database.session() as s:
        boss = make_user(s, "Morgan Lee")
        gone = make_user(s, "Pat Gone", manager=boss)
        gone.is_active = False
    add_task(database, gone, "first", local(2026, 11, 20, 9))
    add_task(database, gone, "second", local(2026, 11, 20, 9))
    box = Outbox()
    dispatch_reminders(database, box, worker="w", now=local(2026, 11, 20, 10))
    dispatch_reminders(database, box, worker="w", now=local(2026, 11, 21, 10))
    assert [who for who, _ in box.sent] == ["Morgan Lee"]
    assert "Pat Gone is no longer in Slack" in box.sent[0][1].text
    with database.session(readonly=True) as s:
        states = set(s.scalars(select(Task.delivery)))
        assert states == {Delivery.SKIPPED}


SCRIPT = """
import sys
import threading
from crm_store.db import Database
from scheduler.reminders import dispatch_reminders
import datetime as dt

class Out:
    lock = threading.Lock()  # messages are sent from several threads

    def dm(self, user, reply):
        with self.lock:
            for part in reply.parts or [reply]:
                print(part.text, flush=True)

db = Database.open(sys.argv[1])
now = dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC)
dispatch_reminders(db, Out(), worker=sys.argv[2], now=now, batch=int(sys.argv[3]))
"""


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_two_processes_deliver_each_of_1000_reminders_exactly_once(database):
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        due = dt.datetime(2026, 11, 20, 19, 0, tzinfo=dt.UTC)
        s.execute(insert(Task), [
            {"team_id": LOCAL_TEAM, "title": f"task {i:04d}", "due_at": due, "remind_at": due,
             "assignee_id": sam.id, "status": TaskStatus.OPEN, "delivery": Delivery.PENDING,
             "delivery_attempts": 0} for i in range(1000)])
    url = database.engine.url.render_as_string(hide_password=False)
    # The repository root, not the working directory: tests run from an empty one.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, url, f"w{i}", "25"],
                              stdout=subprocess.PIPE, text=True, env=env) for i in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    lines = [line for out in outputs for line in out.splitlines() if line.strip()]
    titles = sorted(line.split("*")[1] for line in lines)
    assert titles == [f"task {i:04d}" for i in range(1000)]  # all delivered, none twice
    assert all(out.strip() for out in outputs), "both processes took a share"
    with database.session(readonly=True) as s:
        assert s.scalar(select(func.count()).where(Task.delivery == Delivery.SENT)) == 1000


def test_the_morning_overdue_list_goes_out_once_at_8_local(database, sam):
    from scheduler.nudges import overdue_lists

    add_task(database, sam, "Send the SOW", local(2026, 11, 18, 15))
    box = Outbox()
    assert overdue_lists(database, box, worker="w", now=local(2026, 11, 19, 7, 55)) == 0
    assert overdue_lists(database, box, worker="w", now=local(2026, 11, 19, 8, 0)) == 1
    assert overdue_lists(database, box, worker="x", now=local(2026, 11, 19, 8, 5)) == 0
    [(who, reply)] = box.sent
    assert who == "Sam Rivera" and "1 overdue task" in reply.text
    assert reply.table.rows[0][1] == "Send the SOW"


def test_quiet_deals_nudge_their_owner_at_most_weekly(database, sam):
    from crm_store.services import accounts, activities, deals
    from scheduler.nudges import stale_deal_nudges

    start = local(2026, 10, 1, 9)
    with database.session() as s:
        acme = accounts.create_account(s, actor=None, team_id=sam.team_id, name="Acme")
        busy = accounts.create_account(s, actor=None, team_id=sam.team_id, name="Busy Co")
        for account in (acme, busy):
            deals.create_deal(s, actor=None, team_id=sam.team_id, title=f"{account.name} deal",
                              account_id=account.id, owner_id=sam.id, now=start)
        activities.log_activity(s, actor=None, team_id=sam.team_id, kind="call", body="hi",
                                account_id=busy.id, occurred_at=local(2026, 11, 17, 9))
    box = Outbox()

    def run(when):
        return stale_deal_nudges(database, box, worker="w", quiet_days=14, now=when)

    assert run(local(2026, 11, 18, 9)) == 1   # Wednesday morning
    assert run(local(2026, 11, 20, 9)) == 0   # same week: not again
    assert run(local(2026, 11, 23, 9)) == 1   # next week, still quiet
    titles = [row[0] for row in box.sent[0][1].table.rows]
    assert titles == ["Acme deal"]  # Busy Co had a call yesterday


def test_reminders_due_together_arrive_as_one_message_each_with_its_buttons(database, sam):
    for i in range(3):
        add_task(database, sam, f"call back #{i}", local(2026, 11, 20, 9))
    box = Outbox()
    assert dispatch_reminders(database, box, worker="w", now=local(2026, 11, 20, 9)) == 3
    [(who, reply)] = box.sent
    assert reply.text == "⏰ 3 reminders are due:"
    assert [p.text.split("*")[1] for p in reply.parts] == [f"call back #{i}" for i in range(3)]
    assert [b.label for b in reply.all_buttons()] == ["Done", "Snooze 1 h", "Tomorrow 9:00"] * 3
    done_ids = {b.value for b in reply.all_buttons() if b.label == "Done"}
    assert len(done_ids) == 3  # each Done button is for its own task
