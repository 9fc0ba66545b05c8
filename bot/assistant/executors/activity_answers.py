"""Activity and change questions: calls per rep, last touch, who went quiet, and what
moved in the pipeline over a period — each answer opening with its reading."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.assistant import format as fmt
from bot.assistant.asked import (
    CHANGE_WORDS,
    KIND_WORDS,
    local_bounds,
    not_used,
    reading,
    whose,
)
from bot.assistant.charts import chart_later
from bot.assistant.context import Ctx
from bot.assistant.executors.pipeline import (
    period_words,
    with_reading,
)
from bot.assistant.types import Reply, Table
from bot.nlu.actions import Period, PipelineQuery
from bot.render.charts import Bar
from crm_store.models import ActivityKind, Role
from crm_store.services.activity_report import (
    ActivityRow,
    ActivityWhere,
    activity_counts,
    last_touches,
    without_activity,
)
from crm_store.services.pipeline_changes import pipeline_changes
from crm_store.services.pipelines import default_pipeline, stage_map
from crm_store.services.users import list_users

ROWS = 25
BY_TITLES = {"owner": "Rep", "account": "Account", "week": "Week of", "month": "Month"}


# ------------------------------------------------------------------ activity
def activity_answer(ctx: Ctx, action: PipelineQuery) -> Reply:
    ask = action.activity
    assert ask is not None
    who = whose(ctx, action, personal=True)
    today = ctx.local_now.date()
    kinds = tuple(ActivityKind(k) for k in ask.kinds) if ask.kinds else None
    what = _kind_words(ask.kinds)
    unused = not_used(action, {"measure", "status", "group_by"}
                      | ({"quiet_days"} if ask.measure == "none" else set()))
    if ask.measure == "none":
        period = action.period or Period(
            start=today - dt.timedelta(days=action.quiet_days or ctx.settings.stale_deal_days),
            end=today)
        start, end = local_bounds(ctx, period)
        by = "owner" if ask.by not in ("owner", "account") else ask.by
        total, rows = without_activity(ctx.session, team_id=ctx.team_id, by=by, since=start,
                                       where=ActivityWhere(end=end, kinds=kinds),
                                       owner_ids=who.owner_ids, limit=ROWS)
        noun = "rep" if by == "owner" else "account"
        read = reading(f"{noun}s with no {what} logged from {_span(period, today)}",
                       who.words if by == "owner" else f"accounts of {who.people}")
        if not total:
            return finish(Reply(f"Every {noun} has {what} logged from {_span(period, today)}."),
                         read, unused)
        reply = Reply(f"{fmt.plural(total, noun)} with no {what} from "
                      f"{_span(period, today)}:",
                      table=Table((BY_TITLES[by], "Last activity"), tuple(
                          (t.label, fmt.moment(t.last_at, ctx.tz, now=ctx.now) if t.last_at
                           else "never") for t in rows)))
        if total > len(rows):
            reply.context.append(f"Showing {len(rows)} of {total:,}, longest silent first.")
        return finish(reply, read, unused)
    if ask.measure == "last_touch":
        by = "owner" if ask.by == "owner" else "account"
        where = ActivityWhere(kinds=kinds)
        if action.period:
            where = ActivityWhere(*local_bounds(ctx, action.period), kinds=kinds)
        rows = last_touches(ctx.session, team_id=ctx.team_id, by=by, where=where,
                            owner_ids=who.owner_ids, limit=ROWS)
        read = reading(f"the last {what[:-1] if what.endswith('s') else what} per "
                       f"{'rep' if by == 'owner' else 'account'}",
                       period_words(action.period, today),
                   who.words if by == "owner" else f"accounts of {who.people}")
        if not rows:
            return finish(Reply(f"No {what} logged yet."), read, unused)
        return finish(Reply(f"Last touch, least recent first ({len(rows)} shown):",
                           table=Table((BY_TITLES[by], "Last touch", "Days ago"), tuple(
                               (t.label, fmt.moment(t.last_at, ctx.tz, now=ctx.now)
                                if t.last_at else "never",
                                str((ctx.now - t.last_at).days) if t.last_at else "—")
                               for t in rows))),
                     read, unused)
    # count
    where = ActivityWhere(kinds=kinds, author_ids=who.owner_ids)
    if action.period:
        where = ActivityWhere(*local_bounds(ctx, action.period), kinds=kinds,
                              author_ids=who.owner_ids)
    rows = activity_counts(ctx.session, team_id=ctx.team_id, by=ask.by, where=where)
    if ask.by == "owner":
        rows += _silent_reps(ctx, rows, who.owner_ids)
    columns = list(ask.kinds) if ask.kinds else sorted({k for r in rows for k in r.counts})
    when = period_words(action.period, today) or "all time"
    read = reading(f"{what} logged {when}", f"per {BY_TITLES[ask.by].split()[0].lower()}",
                   f"logged by {who.people}")
    total = sum(r.total for r in rows)
    reply = Reply(f"{fmt.plural(total, _singular(what), what)} logged {when}"
                  + (f" across {fmt.plural(len([r for r in rows if r.total]), 'rep')}."
                     if ask.by == "owner" else "."))
    head = [BY_TITLES[ask.by], *(KIND_WORDS.get(k, k).capitalize() for k in columns)]
    if len(columns) > 1:
        head.append("Total")
    body, bars = [], []
    for row in rows[:ROWS]:
        label = _week_label(row.key) if ask.by == "week" else row.label
        cells = [label, *(f"{row.counts.get(k, 0):,}" for k in columns)]
        if len(columns) > 1:
            cells.append(f"{row.total:,}")
        body.append(tuple(cells))
        bars.append(Bar(label, row.total, cells[-1]))  # the row's total, as the table says it
    if body:
        reply.table = Table(tuple(head), tuple(body))
    per = "rep" if ask.by == "owner" else BY_TITLES[ask.by].split()[0].lower()
    chart_later(ctx, name=f"{what} {when} per {per}", bars=bars,
                title=capitalized(f"{what} logged {when}, per {per}"))
    if len(rows) > ROWS:
        reply.context.append(f"Showing {ROWS} of {len(rows)}.")
    return finish(reply, read, unused)


def _silent_reps(ctx: Ctx, rows, owner_ids) -> list:
    """Reps in scope who logged nothing: a zero row each, so nobody is missing."""
    seen = {r.key for r in rows}
    return [ActivityRow(str(u.id), u.name) for u in list_users(ctx.session, team_id=ctx.team_id)
            if str(u.id) not in seen and (owner_ids is None and u.role == Role.REP
                                          or owner_ids is not None and u.id in owner_ids)]


def _kind_words(kinds) -> str:
    if not kinds:
        return "activities"
    words = [KIND_WORDS.get(k, k) for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _singular(words: str) -> str:
    return "activity" if words == "activities" else words.removesuffix("s")


def _span(period: Period, today: dt.date) -> str:
    return f"{fmt.day(period.start, today=today)} to {fmt.day(period.end, today=today)}"


def _week_label(key: str) -> str:
    try:
        day = dt.date.fromisoformat(key)
    except ValueError:
        return key
    return f"{day:%b} {day.day}"


def finish(reply: Reply, read: str, unused: list[str]) -> Reply:
    """The answer with its reading first and what it did not use last."""
    return with_reading(reply, read, unused)


# ------------------------------------------------------------------ changes
def this_week(today: dt.date) -> Period:
    monday = today - dt.timedelta(days=today.weekday())
    return Period(start=monday, end=monday + dt.timedelta(days=6))


def changes_answer(ctx: Ctx, action: PipelineQuery) -> Reply:
    who = whose(ctx, action, personal=True)
    today = ctx.local_now.date()
    period = action.period or this_week(today)
    start, end = local_bounds(ctx, period)
    kinds = tuple(action.changes) if action.changes else None
    found = pipeline_changes(ctx.session, team_id=ctx.team_id, start=start, end=end,
                             owner_ids=who.owner_ids, kinds=kinds)
    when = period_words(period, today)
    asked = ", ".join(CHANGE_WORDS[k] for k in action.changes) if action.changes else \
        "every change (new, moved forward or back, won, lost, amounts, close dates)"
    read = reading(f"pipeline changes {when}", asked, who.words)
    unused = not_used(action, {"measure", "status"})
    if not found:
        return finish(Reply(f"No changes {when}."), read, unused)
    labels = {k: s.label for k, s in stage_map(default_pipeline(ctx.session,
                                                                team_id=ctx.team_id)).items()}
    counts: dict[str, list] = {}
    for change in found:
        counts.setdefault(change.kind, []).append(change)
    summary = []
    for kind in CHANGE_WORDS:
        if kind in counts:
            items = counts[kind]
            money = sum((c.amount or Decimal(0)) for c in items)
            extra = f" ({fmt.money(money)})" if kind in ("new", "won", "lost") else ""
            summary.append(f"{CHANGE_WORDS[kind]}: {len(items)}{extra}")
    reply = Reply(f"{capitalized(when)}: " + "; ".join(summary) + ".")
    newest = sorted(found, key=lambda c: c.at, reverse=True)[:ROWS]
    reply.table = Table(("When", "Deal", "Change", "Owner"), tuple(
        (fmt.day(ctx.local(c.at).date(), today=today), c.title, _change_text(c, labels),
         c.owner or "—") for c in newest))
    if len(found) > ROWS:
        reply.context.append(f"Showing the newest {ROWS} of {len(found)} changes.")
    return finish(reply, read, unused)


def _change_text(change, labels: dict[str, str]) -> str:
    if change.kind == "new":
        return f"new in {labels.get(change.after, change.after)}, {fmt.money(change.amount)}"
    if change.kind in ("forward", "back", "won", "lost"):
        return (f"{labels.get(change.before, change.before)} → "
                f"{labels.get(change.after, change.after)}")
    if change.kind == "amount":
        before = fmt.money(Decimal(change.before)) if change.before else "no amount"
        after = fmt.money(Decimal(change.after)) if change.after else "no amount"
        return f"amount {before} → {after}"
    before, after = dt.date.fromisoformat(change.before), dt.date.fromisoformat(change.after)
    return f"close date pushed {before:%b} {before.day} → {after:%b} {after.day}"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
