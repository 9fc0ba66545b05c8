"""APScheduler 3 inside each process, with an in-memory job store of its own.

Processes never share a job store: every job only *looks* for due work and claims it
in the database, so any number of processes may run these jobs and each reminder,
alert and digest still goes out once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.settings import Settings
from crm_store.db import Database
from crm_store.models import utcnow
from scheduler.alerts import hot_lead_alerts, nightly_rescore
from scheduler.digests import deliver_digests
from scheduler.notify import Notifier
from scheduler.nudges import overdue_lists, stale_deal_nudges
from scheduler.outbox import OutboxSender, drain_outbox
from scheduler.reminders import dispatch_reminders

log = logging.getLogger(__name__)


def worker_id() -> str:
    """A name unique to this process, recorded on every claim it makes."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Jobs:
    """The periodic jobs of one process, all sharing its worker id and clock."""

    db: Database
    notifier: Notifier
    settings: Settings
    worker: str = field(default_factory=worker_id)
    clock: Callable[[], dt.datetime] = utcnow
    assignee_id: int | None = None  # reminders of this user only (the terminal's user)

    def reminders(self) -> int:
        return dispatch_reminders(self.db, self.notifier, worker=self.worker, now=self.clock(),
                                  assignee_id=self.assignee_id)

    def overdue(self) -> int:
        return overdue_lists(self.db, self.notifier, worker=self.worker, now=self.clock())

    def stale(self) -> int:
        return stale_deal_nudges(self.db, self.notifier, worker=self.worker, now=self.clock(),
                                 quiet_days=self.settings.stale_deal_days)

    def rescore(self) -> int:
        return nightly_rescore(self.db, worker=self.worker, now=self.clock())

    def alerts(self) -> int:
        return hot_lead_alerts(self.db, self.notifier, worker=self.worker, now=self.clock(),
                               threshold=self.settings.hot_lead_threshold,
                               channel=self.settings.hot_lead_channel,
                               cooldown=dt.timedelta(days=self.settings.hot_lead_cooldown_days))

    def digests(self) -> int:
        return deliver_digests(self.db, self.notifier, worker=self.worker, now=self.clock(),
                               hot_threshold=self.settings.hot_lead_threshold)

    def outbox(self) -> int:
        # Only a Slack notifier can send what Slack refused; the terminal has no outbox.
        if not isinstance(self.notifier, OutboxSender):
            return 0
        return drain_outbox(self.db, self.notifier, worker=self.worker, now=self.clock())

    def run_all_due(self) -> None:
        """Everything that is due now, once: also what fell due while all were down."""
        for name, job, _seconds in self.schedule():
            _guarded(name, job)

    def schedule(self) -> list[tuple[str, Callable[[], object], int]]:
        """(name, job, interval in seconds) of every periodic job."""
        # The rescore comes before the alerts, so a catch-up alerts on fresh scores.
        return [("reminders", self.reminders, 15), ("overdue", self.overdue, 300),
                ("stale", self.stale, 900), ("rescore", self.rescore, 3600),
                ("alerts", self.alerts, 10), ("digests", self.digests, 60),
                ("outbox", self.outbox, 10)]


def _guarded(name: str, job: Callable[[], object]) -> None:
    # A failing job is logged and retried at its next run; it never stops the scheduler.
    try:
        job()
    except Exception:
        log.exception("scheduled job %s failed", name)


def start(jobs: Jobs, *, blocking: bool = False, only: Collection[str] | None = None):
    """Start the jobs (those named in `only`, when given) on APScheduler, catching up on
    start; returns the scheduler."""
    scheduler = BlockingScheduler() if blocking else BackgroundScheduler(daemon=True)
    table = [entry for entry in jobs.schedule() if only is None or entry[0] in only]
    for name, job, seconds in table:
        scheduler.add_job(_guarded, "interval", args=(name, job), seconds=seconds, id=name,
                          next_run_time=dt.datetime.now(dt.UTC), coalesce=True,
                          max_instances=1, misfire_grace_time=seconds)
    log.info("scheduler %s started with %d jobs", jobs.worker, len(table))
    scheduler.start()
    return scheduler
