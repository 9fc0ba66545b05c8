"""Tasks: create, list, complete, snooze — and the Done / Snooze buttons on reminders."""

from __future__ import annotations

import datetime as dt

from rapidfuzz import fuzz, process, utils

from bot.assistant import format as fmt
from bot.assistant.context import Ctx, executes, on_press
from bot.assistant.executors.records import check_date, people
from bot.assistant.permissions import check_can_change, team_ids
from bot.assistant.types import Reply, Table
from bot.nlu.actions import CompleteTask, CreateTask, ListTasks
from bot.render.buttons import task_buttons
from crm_store.errors import Ambiguous, BadInput, NotFound
from crm_store.models import Task, TaskStatus
from crm_store.services import tasks

SCOPE_TITLES = {"today": "due today (and overdue)", "overdue": "overdue", "week": "due this week",
                "coming": "due in the next 7 days (and overdue)", "all": "open"}


@executes("create_task")
def create_task(ctx: Ctx, action: CreateTask) -> Reply:
    check_date(ctx, action)
    contact, account = people(ctx, action.contact, action.account)
    due = ctx.to_utc(action.due) if action.due else None
    task = tasks.create_task(
        ctx.session, actor=ctx.user, team_id=ctx.team_id, title=action.title, due_at=due,
        assignee_id=ctx.user.id, contact_id=contact.id if contact else None,
        account_id=account.id if account else None, now=ctx.now,
    )
    when = f" — {fmt.moment(due, ctx.tz, now=ctx.now)}" if due else ""
    reply = Reply(f"Reminder set: *{task.title}*{when}.", wrote=True)
    if due is not None and due < ctx.now:
        reply.context.append("That time has already passed, so it shows as overdue.")
    return reply


@executes("list_tasks")
def list_tasks(ctx: Ctx, action: ListTasks) -> Reply:
    found = tasks.open_tasks(ctx.session, team_id=ctx.team_id, assignee_ids=[ctx.user.id],
                             scope=action.scope, now=ctx.now, tz=ctx.tz.key)
    title = SCOPE_TITLES[action.scope]
    if not found:
        return Reply(f"You have no tasks {title}. 🎉")
    rows = []
    for task in found[:25]:
        overdue = task.due_at is not None and task.due_at < ctx.now
        due = fmt.moment(task.due_at, ctx.tz, now=ctx.now) if task.due_at else "—"
        about = (task.contact.name if task.contact else "") or \
                (task.account.name if task.account else "")
        rows.append((("⚠ " if overdue else "") + due, task.title, about))
    reply = Reply(f"Your tasks {title}: {len(found)}.",
                  table=Table(("Due", "Task", "About"), tuple(rows)))
    if len(found) > 25:
        reply.context.append(f"Showing the first 25 of {len(found)}.")
    if len(found) == 1:
        reply.buttons = task_buttons(found[0])
    return reply


def _find_open_task(ctx: Ctx, title: str) -> Task:
    mine = tasks.open_tasks(ctx.session, team_id=ctx.team_id,
                            assignee_ids=sorted(team_ids(ctx.session, ctx.user)), scope="all",
                            now=ctx.now, tz=ctx.tz.key)
    if "task" in ctx.pinned:
        for task in mine:
            if task.id == ctx.pinned["task"]:
                return task
    if not mine:
        raise NotFound("You have no open tasks.")
    scored = process.extract(utils.default_process(title),
                             {t.id: utils.default_process(t.title) for t in mine},
                             scorer=fuzz.partial_ratio, score_cutoff=70, limit=5)
    if not scored:
        raise NotFound(f"I can't find an open task like '{title}'. Say 'my tasks' to see them.")
    best = scored[0][1]
    ties = [i for _, s, i in scored if best - s < 5]
    by_id = {t.id: t for t in mine}
    if len(ties) > 1:
        raise Ambiguous(f"Several tasks match '{title}'. Which one?",
                        [(i, by_id[i].title) for i in ties], field="task")
    return by_id[ties[0]]


@executes("complete_task")
def complete_task(ctx: Ctx, action: CompleteTask) -> Reply:
    return _complete(ctx, _find_open_task(ctx, action.title))


def _complete(ctx: Ctx, task: Task) -> Reply:
    check_can_change(ctx.session, ctx.user, owner=task.assignee, what=f"The task '{task.title}'")
    if task.status != TaskStatus.OPEN:
        return Reply(f"*{task.title}* was already {task.status.value}.")
    tasks.complete_task(ctx.session, actor=ctx.user, task=task, now=ctx.now)
    return Reply(f"Done: *{task.title}*. ✅", wrote=True)


def _task_from_value(ctx: Ctx, value: str) -> Task:
    try:
        task_id = int(value.split(":")[0])
    except ValueError:
        raise BadInput("That button is broken; please use 'my tasks'.") from None
    task = ctx.session.get(Task, task_id)
    if task is None or task.team_id != ctx.team_id:
        raise NotFound("That task no longer exists.")
    return task


@on_press("task_done")
def press_done(ctx: Ctx, value: str) -> Reply:
    return _complete(ctx, _task_from_value(ctx, value))


def snooze_until(ctx: Ctx, how: str) -> dt.datetime:
    """'1h' → an hour from now; 'tomorrow' → 9:00 tomorrow in the user's zone."""
    if how == "1h":
        return ctx.now + dt.timedelta(hours=1)
    if how == "tomorrow":
        tomorrow = ctx.local_now.date() + dt.timedelta(days=1)
        return ctx.to_utc(dt.datetime.combine(tomorrow, dt.time(9, 0)))
    raise BadInput(f"I can snooze for an hour or until tomorrow, not '{how}'.")


@on_press("task_snooze")
def press_snooze(ctx: Ctx, value: str) -> Reply:
    task = _task_from_value(ctx, value)
    check_can_change(ctx.session, ctx.user, owner=task.assignee, what=f"The task '{task.title}'")
    until = snooze_until(ctx, value.partition(":")[2] or "1h")
    tasks.snooze_task(ctx.session, actor=ctx.user, task=task, until=until)
    return Reply(f"Snoozed *{task.title}* until {fmt.moment(until, ctx.tz, now=ctx.now)}.",
                 wrote=True)

