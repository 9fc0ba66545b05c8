"""`salesbot chat` runs the scheduler's own jobs: the chatting user's reminders, here."""

from __future__ import annotations

import datetime as dt
import io
import time

from rich.console import Console
from sqlalchemy import select

from bot.assistant.types import Person
from bot.cli.chat import TERMINAL_JOBS, _start_reminders
from crm_store.models import Delivery, Task
from crm_store.services import tasks
from tests import clock
from tests.conftest import make_settings, make_user


class Terminal(io.StringIO):
    def isatty(self) -> bool:  # the jobs start only for a person at a terminal
        return True


def test_the_terminal_prints_my_reminders_from_the_scheduler_job_table(database, monkeypatch):
    with clock.at(clock.MOMENTS["wed"]) as now:
        with database.session() as s:
            sam, ana = make_user(s, "Sam Rivera"), make_user(s, "Ana Lima")
            for user, title in ((sam, "Send pricing to Jane"), (ana, "Call Bob")):
                tasks.create_task(s, actor=None, team_id=user.team_id, title=title,
                                  due_at=now - dt.timedelta(minutes=1), assignee_id=user.id)
            person = Person(team_id=sam.team_id, user_id=sam.slack_user_id, name=sam.name,
                            tz=sam.tz)
        monkeypatch.setattr("sys.stdin", Terminal())
        out = io.StringIO()
        console = Console(file=out, width=120, highlight=False)
        scheduler = _start_reminders(database, console, person,
                                     make_settings(hot_lead_channel="sales"))
        try:
            assert sorted(job.id for job in scheduler.get_jobs()) == sorted(TERMINAL_JOBS)
            deadline = time.monotonic() + 10
            while "Send pricing to Jane" not in out.getvalue() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            scheduler.shutdown(wait=True)
    assert "Reminder: Send pricing to Jane" in out.getvalue()
    with database.session(readonly=True) as s:
        delivery = {t.title: t.delivery for t in s.scalars(select(Task))}
    # Ana's reminder waits for her own Slack DM; the terminal took only Sam's.
    assert delivery == {"Send pricing to Jane": Delivery.SENT, "Call Bob": Delivery.PENDING}
