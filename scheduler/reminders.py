"""Reminders: each due task reminds its assignee once, in their zone, with Done/Snooze."""

from __future__ import annotations

import datetime as dt
import logging

from bot.assistant import format as fmt
from bot.assistant.executors.tasks import task_buttons
from bot.assistant.types import Reply
from crm_store.db import Database
from crm_store.models import Task, User, utcnow
from crm_store.services import deliveries, tasks
from scheduler.notify import Notifier

log = logging.getLogger(__name__)
LATE_AFTER = dt.timedelta(minutes=10)  # older than this when sent: marked late


def build_reminder(task: Task, *, now: dt.datetime, tz) -> Reply:
    """The reminder DM: the task, what it is about, and Done / Snooze buttons."""
    due = fmt.moment(task.due_at, tz, now=now) if task.due_at else None
    text = f"⏰ Reminder: *{task.title}*" + (f" — due {due}" if due else "")
    reply = Reply(text, buttons=task_buttons(task))
    about = []
    if task.contact is not None:
        about.append(task.contact.name)
    if task.account is not None:
        about.append(task.account.name)
    if task.deal is not None:
        about.append(f"deal {task.deal.title} ({task.deal.stage})")
    if about:
        reply.fields.append(("About", " · ".join(about)))
    if task.remind_at and now - task.remind_at > LATE_AFTER:
        reply.context.append(f"Late: this was due to remind you {fmt.moment(task.remind_at, tz)}"
                             " while I was offline.")
    return reply


def dispatch_reminders(db: Database, notifier: Notifier, *, worker: str,
                       now: dt.datetime | None = None, batch: int = 100,
                       assignee_id: int | None = None) -> int:
    """Claim and send every due reminder (of one assignee if given); returns how many."""
    sent = 0
    while True:
        moment = now or utcnow()
        with db.session() as session:
            claimed = tasks.claim_due_reminders(session, worker=worker, now=moment, limit=batch,
                                                assignee_id=assignee_id)
            work = [(t.id, _prepare(session, t, moment)) for t in claimed]
        if not work:
            return sent
        for task_id, (recipient, reply, skip_reason) in work:
            ok = False
            if skip_reason:
                log.info("reminder for task %s skipped: %s", task_id, skip_reason)
            else:
                try:
                    notifier.dm(recipient, reply)
                    ok = True
                except Exception:
                    # Not marked: the lease runs out and a worker tries again.
                    log.exception("reminder for task %s not sent", task_id)
                    continue
            with db.session() as session:
                tasks.finish_reminder(session, task_id=task_id, worker=worker, sent=ok)
                if skip_reason == "assignee left":
                    _tell_manager_once(session, notifier, task_id, worker, moment)
            sent += ok
        if len(work) < batch:
            return sent


def _prepare(session, task: Task, now: dt.datetime):
    user = task.assignee
    if user is None:
        return None, None, "no assignee"
    if not user.is_active:
        return None, None, "assignee left"
    return Snapshot(user), build_reminder(task, now=now, tz=_zone(user)), None


def _tell_manager_once(session, notifier: Notifier, task_id: int, worker: str,
                       now: dt.datetime) -> None:
    task = session.get(Task, task_id)
    user, manager = task.assignee, task.assignee.manager if task.assignee else None
    if manager is None or not manager.is_active:
        return
    key = f"left:{user.id}"
    if not deliveries.claim(session, team_id=user.team_id, key=key, kind="left", worker=worker,
                            now=now):
        return
    notifier.dm(Snapshot(manager), Reply(
        f"{user.name} is no longer in Slack, so their reminders are not being delivered. "
        f"Reassign their open tasks and deals (for example: '{task.title}')."))
    deliveries.finish(session, team_id=user.team_id, key=key, worker=worker, sent=True, now=now)


class Snapshot:
    """The few fields of a user a notifier needs, safe to use after the session closed."""

    def __init__(self, user: User) -> None:
        self.team_id, self.slack_user_id, self.name = user.team_id, user.slack_user_id, user.name
        self.tz = user.tz


def _zone(user: User):
    from zoneinfo import ZoneInfo

    return ZoneInfo(user.tz or "UTC")
