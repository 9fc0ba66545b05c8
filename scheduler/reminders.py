"""Reminders: each due task reminds its assignee once, in their zone, with Done/Snooze."""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from bot.assistant import format as fmt
from bot.assistant.types import Reply
from bot.render.buttons import task_buttons
from crm_store.db import Database
from crm_store.models import Task, utcnow
from crm_store.services import tasks
from scheduler.notify import Notifier
from scheduler.once import dm_once
from scheduler.snapshot import Snapshot

log = logging.getLogger(__name__)
LATE_AFTER = dt.timedelta(minutes=10)  # older than this when sent: marked late
SENDERS = 8  # messages in flight at once per process
PER_MESSAGE = 12  # reminders in one DM: up to four blocks each stays within Slack's 50


def build_reminder(task, *, now: dt.datetime, tz) -> Reply:
    """One reminder (a row of tasks.tasks_to_remind): the task, what it is about, and
    Done / Snooze buttons."""
    due = fmt.moment(task.due_at, tz, now=now) if task.due_at else None
    text = f"⏰ Reminder: *{task.title}*" + (f" — due {due}" if due else "")
    about = [name for name in (task.contact_name, task.account_name) if name]
    if task.deal_title:
        about.append(f"deal {task.deal_title} ({task.deal_stage})")
    if about:  # in the same text: a reminder stays two blocks, so a DM holds many
        text += "\nAbout: " + " · ".join(about)
    reply = Reply(text, buttons=task_buttons(task))
    if task.remind_at and now - task.remind_at > LATE_AFTER:
        reply.context.append(f"Late: this was due to remind you {fmt.moment(task.remind_at, tz)}"
                             " while I was offline.")
    return reply


def build_reminders(tasks_due: list, *, now: dt.datetime, tz) -> Reply:
    """The DM for one person: a single reminder, or several, each with its own buttons."""
    if len(tasks_due) == 1:
        return build_reminder(tasks_due[0], now=now, tz=tz)
    return Reply(f"⏰ {len(tasks_due)} reminders are due:",
                 parts=[build_reminder(t, now=now, tz=tz) for t in tasks_due])


def dispatch_reminders(db: Database, notifier: Notifier, *, worker: str,
                       now: dt.datetime | None = None, batch: int = 2000,
                       assignee_id: int | None = None) -> int:
    """Claim and send every due reminder (of one assignee if given); returns how many.

    Reminders due together for one person go out as one DM (up to PER_MESSAGE each), so
    a busy morning is a few messages, not a flood — and Slack's one message per second
    per channel is never the bottleneck.
    """
    sent = 0
    while True:
        moment = now or utcnow()
        with db.session() as session:
            claimed = tasks.claim_due_reminders(session, worker=worker, now=moment, limit=batch,
                                                assignee_id=assignee_id)
            messages = _group(tasks.tasks_to_remind(session, task_ids=claimed), moment)
        # Sending waits on Slack, so a few senders share the batch; each message is still
        # finished (recorded as sent) right after it went out, one by one.
        with ThreadPoolExecutor(SENDERS, thread_name_prefix="reminders") as senders:
            sent += sum(senders.map(partial(_deliver, db, notifier, worker, moment),
                                    *zip(*messages, strict=True)) if messages else [])
        if len(claimed) < batch:
            return sent


def _group(claimed: list, now: dt.datetime) -> list[tuple]:
    """(recipient, task ids, reply, skip reason) per message to send."""
    by_user: dict[int | None, list] = {}
    for task in claimed:
        by_user.setdefault(task.assignee_id, []).append(task)
    messages = []
    rounds: list[list[tuple]] = []  # round k holds everyone's k-th message
    for group in by_user.values():
        user = group[0]  # each row carries its assignee's fields
        if user.assignee_id is None or not user.is_active:
            reason = "no assignee" if user.assignee_id is None else "assignee left"
            messages.append((None, [t.id for t in group], None, reason))
            continue
        for k, start in enumerate(range(0, len(group), PER_MESSAGE)):
            chunk = group[start:start + PER_MESSAGE]
            if len(rounds) <= k:
                rounds.append([])
            rounds[k].append((Snapshot(user), [t.id for t in chunk],
                              build_reminders(chunk, now=now, tz=_zone(user)), None))
    # Round by round, so a person's next message comes after everyone else's: the
    # one-per-second-per-channel pause is already over by then instead of blocking.
    return messages + [message for batch in rounds for message in batch]


def _deliver(db: Database, notifier: Notifier, worker: str, now: dt.datetime, recipient,
             task_ids: list[int], reply: Reply | None, skip_reason: str | None) -> int:
    if skip_reason:
        log.info("reminders %s skipped: %s", task_ids, skip_reason)
    else:
        try:
            notifier.dm(recipient, reply)
        except Exception:
            # Not marked: the lease runs out and a worker tries again.
            log.exception("reminders %s not sent", task_ids)
            return 0
    with db.session() as session:
        tasks.finish_reminders(session, task_ids=task_ids, worker=worker,
                               sent=skip_reason is None, now=now)
        left = _left_with_manager(session, task_ids[0]) if skip_reason == "assignee left" \
            else None
    if left is not None:  # once per person who left, told with no transaction open
        key, manager, reply = left
        dm_once(db, notifier, team_id=manager.team_id, key=key, kind="left", worker=worker,
                now=now, compose=lambda _: (manager, reply))
    return 0 if skip_reason else len(task_ids)


def _left_with_manager(session, task_id: int) -> tuple[str, Snapshot, Reply] | None:
    """The message to the active manager of an assignee who left, with its delivery key;
    None without one."""
    task = session.get(Task, task_id)
    user, manager = task.assignee, task.assignee.manager if task.assignee else None
    if manager is None or not manager.is_active:
        return None
    return f"left:{user.id}", Snapshot(manager), Reply(
        f"{user.name} is no longer in Slack, so their reminders are not being delivered. "
        f"Reassign their open tasks and deals (for example: '{task.title}').")


def _zone(user):
    from zoneinfo import ZoneInfo

    return ZoneInfo(user.tz or "UTC")
