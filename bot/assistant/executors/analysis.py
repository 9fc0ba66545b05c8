"""Pipeline questions beyond the figures: risks, a scorecard, comparisons (activity and
changes in activity_answers.py) — and the honest answers when a question cannot be read
or answered.

Each answer opens with its reading; every figure comes from a crm_store service.
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic import ValidationError

from bot.assistant import format as fmt
from bot.assistant.asked import (
    KIND_WORDS,
    local_bounds,
    money_range,
    not_used,
    period_verb,
    reading,
    stage_words,
    status_words,
    whose,
)
from bot.assistant.charts import chart_later
from bot.assistant.context import EXECUTORS, Ctx, on_press
from bot.assistant.executors.activity_answers import (
    ROWS,
    activity_answer,
    capitalized,
    changes_answer,
    finish,
    this_week,
)
from bot.assistant.executors.pipeline import (
    deal_filter,
    period_words,
    plural_deals,
)
from bot.assistant.types import Button, Reply, Table
from bot.nlu.actions import Period, PipelineQuery, action_to_dict, parse_action
from bot.render.charts import Bar
from crm_store.models import DealStatus
from crm_store.services.activity_report import (
    ActivityWhere,
    activity_counts,
)
from crm_store.services.deal_risk import EARLY_PROBABILITY, RiskRules, deals_at_risk
from crm_store.services.pipeline_changes import pipeline_changes
from crm_store.services.pipelines import default_pipeline, stage_map
from crm_store.services.reports import PipelineRow, pipeline_report

MEASURE_LABELS = {"count": "Number", "amount": "Total", "weighted_amount": "Weighted total",
                  "win_rate": "Win rate", "avg_amount": "Average size",
                  "cycle_days": "Days to win"}


def special_answer(ctx: Ctx, action: PipelineQuery) -> Reply | None:
    """The answer for anything but plain deal figures, or None."""
    today = ctx.local_now.date()
    if action.unread:
        return unread_answer(action, today)
    if action.cannot:
        return cannot_answer(action, today)
    if action.activity is not None:
        return activity_answer(ctx, action)
    if action.changes is not None:
        return changes_answer(ctx, action)
    if action.risk is not None:
        return risk_answer(ctx, action)
    if action.scorecard:
        return scorecard_answer(ctx, action)
    if action.compare is not None:
        return compare_answer(ctx, action)
    return None


# ------------------------------------------------------------------ can't read / can't answer
def ask_button(label: str, query: PipelineQuery) -> Button:
    """A button that asks `query` when pressed (the question rides on the button)."""
    return Button(label, "ask", json.dumps(action_to_dict(query), separators=(",", ":")))


def question_words(q: PipelineQuery, today: dt.date) -> str:
    """A short label for a question: 'Total, won deals in Q3 2026 by rep'."""
    words = status_words(q.status) if q.status else "all deals"
    if q.measure:
        words = f"{MEASURE_LABELS[q.measure]}, {words}"
    if q.period:
        words += f" {period_words(q.period, today).split(' (')[0]}"
    if q.group_by:
        words += f" by {'rep' if q.group_by == 'owner' else q.group_by}"
    return words[:1].upper() + words[1:]


def unread_answer(action: PipelineQuery, today: dt.date) -> Reply:
    """Something in the question could not be read: say what, guess nothing."""
    missing = "; ".join(action.unread or [])
    nearest = action.model_copy(update={"unread": None})
    return Reply(f"I couldn't read {missing} — so I haven't answered rather than guess. "
                 "Rephrase that part, or ask without it:", ok=False,
                 buttons=[ask_button(question_words(nearest, today), nearest)])


def cannot_answer(action: PipelineQuery, today: dt.date) -> Reply:
    """The CRM holds no data for part of the question: say so, offer what it can answer."""
    base = action.model_copy(update={"cannot": None})
    nearest = [base]
    for group in ("owner", "stage", "account"):
        if base.group_by != group:
            nearest.append(base.model_copy(update={"group_by": group}))
    return Reply(f"I can't answer that yet: the CRM keeps no {action.cannot} data. "
                 "The nearest questions I can answer:", ok=False,
                 buttons=[ask_button(question_words(q, today), q) for q in nearest[:3]])


@on_press("ask")
def _press_ask(ctx: Ctx, value: str) -> Reply:
    try:
        action = parse_action(json.loads(value))
    except (ValueError, TypeError, ValidationError):
        action = None
    if not isinstance(action, PipelineQuery):  # a question button only ever asks
        return Reply("That question has expired; please ask again.", ok=False)
    return EXECUTORS[action.intent](ctx, action)


# ------------------------------------------------------------------ risk
def risk_answer(ctx: Ctx, action: PipelineQuery) -> Reply:
    who = whose(ctx, action, personal=True)
    today = ctx.local_now.date()
    rules = RiskRules(quiet_days=action.quiet_days or ctx.settings.stale_deal_days)
    kinds = tuple(action.risk) if action.risk else None
    risky = deals_at_risk(ctx.session, team_id=ctx.team_id, now=ctx.now, today=today,
                          owner_ids=who.owner_ids, kinds=kinds, rules=rules, limit=ROWS)
    found = risky.deals
    checks = {
        "overdue": "close date passed",
        "quiet": f"no activity for {rules.quiet_days}+ days",
        "stuck": f"in a stage over {rules.stuck_factor:g}× as long as deals usually stay",
        "single_contact": "one contact or none at the account",
        "early_close": f"closing within {rules.soon_days} days below "
                       f"{EARLY_PROBABILITY}% (Lead, Qualified, Demo)",
    }
    asked = [checks[k] for k in (action.risk or checks)]
    read = reading("open deals at risk", "reasons: " + "; ".join(asked),
                   who.words)
    unused = not_used(action, {"measure", "status", "quiet_days"})
    if not found:
        return finish(Reply("No open deals at risk by those checks."), read, unused)
    reply = Reply(f"{fmt.plural(risky.count, 'open deal')} at risk, "
                  f"{fmt.money(risky.amount)} in all"
                  + (f" — the {ROWS} with the most reasons first:" if risky.count > ROWS
                     else ":"))
    reply.table = Table(("Deal", "Amount", "Owner", "Why"), tuple(
        (d.title, fmt.money(d.amount, d.currency), d.owner or "—",
         "; ".join(words for _, words in d.reasons)) for d in found))
    return finish(reply, read, unused)


# ------------------------------------------------------------------ scorecard
def scorecard_answer(ctx: Ctx, action: PipelineQuery) -> Reply:
    q = action if action.owner or action.owners or action.team else \
        action.model_copy(update={"owner": "me"})
    who = whose(ctx, q, personal=True)
    today = ctx.local_now.date()
    period = action.period or _quarter(today)
    when = period_words(period, today)
    person = who.people.split(" (")[0]
    name = "Your" if person == "you" else f"{person}'s"
    read = reading(f"{'your' if person == 'you' else name} scorecard {when}",
                   "won and lost by close date", "open pipeline as of today", "activity logged")
    closed = pipeline_report(ctx.session, team_id=ctx.team_id, where=deal_filter(
        q, None, who.owner_ids, period))[0]
    won = pipeline_report(ctx.session, team_id=ctx.team_id, where=deal_filter(
        q, DealStatus.WON, who.owner_ids, period))[0]
    lost = pipeline_report(ctx.session, team_id=ctx.team_id, where=deal_filter(
        q, DealStatus.LOST, who.owner_ids, period))[0]
    open_now = pipeline_report(ctx.session, team_id=ctx.team_id, where=deal_filter(
        q.model_copy(update={"period": None}), DealStatus.OPEN, who.owner_ids))[0]
    late = pipeline_report(ctx.session, team_id=ctx.team_id, where=deal_filter(
        q, DealStatus.OPEN, who.owner_ids,
        Period(start=dt.date(2000, 1, 1), end=today - dt.timedelta(days=1))))[0]
    start, end = local_bounds(ctx, period)
    counts = activity_counts(ctx.session, team_id=ctx.team_id, by="owner",
                             where=ActivityWhere(start=start, end=end,
                                                 author_ids=who.owner_ids))
    by_kind: dict[str, int] = {}
    for row in counts:
        for kind, n in row.counts.items():
            by_kind[kind] = by_kind.get(kind, 0) + n
    new = pipeline_changes(ctx.session, team_id=ctx.team_id, start=start, end=end,
                           owner_ids=who.owner_ids, kinds=("new",))
    reply = Reply(f"{name} scorecard {when}:")
    reply.fields = [
        ("Won", f"{fmt.plural(won.count, 'deal')}, {fmt.money(won.amount)}"),
        ("Lost", f"{fmt.plural(lost.count, 'deal')}, {fmt.money(lost.amount)}"),
        ("Win rate", f"{fmt.percent(closed.win_rate)} ({closed.won} of "
                     f"{closed.won + closed.lost} closed)"),
        ("Avg days to win", f"{won.cycle_days:.0f}" if won.cycle_days is not None else "n/a"),
        ("Open pipeline now", f"{fmt.plural(open_now.count, 'deal')}, "
                              f"{fmt.money(open_now.amount)} (weighted "
                              f"{fmt.money(open_now.weighted_amount)})"),
        ("⚠️ Slipped", f"{fmt.plural(late.count, 'open deal')} past close date, "
                      f"{fmt.money(late.amount)}"),
        ("New deals", f"{len(new)}, {fmt.money(sum((c.amount or 0) for c in new))}"),
        ("Activity logged", ", ".join(f"{n} {KIND_WORDS.get(k, k)}"
                                      for k, n in sorted(by_kind.items())) or "none"),
    ]
    return finish(reply, read, not_used(action, {"measure", "status", "owner"}))


def _quarter(today: dt.date) -> Period:
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_month = first.month + 2
    end = (dt.date(today.year + last_month // 12, last_month % 12 + 1, 1)
           - dt.timedelta(days=1))
    return Period(start=first, end=end)


# ------------------------------------------------------------------ compare
def compare_answer(ctx: Ctx, action: PipelineQuery) -> Reply:
    assert action.compare is not None
    # Deltas run from the earlier period to the later, whichever was said first.
    first, second = sorted((action.period or this_week(ctx.local_now.date()),
                            action.compare), key=lambda p: p.start)
    who = whose(ctx, action)
    today = ctx.local_now.date()
    status = DealStatus(action.status) if action.status else None
    labels = {k: s.label for k, s in stage_map(default_pipeline(ctx.session,
                                                                team_id=ctx.team_id)).items()}
    a = pipeline_report(ctx.session, team_id=ctx.team_id,
                        where=deal_filter(action, status, who.owner_ids, first))[0]
    b = pipeline_report(ctx.session, team_id=ctx.team_id,
                        where=deal_filter(action, status, who.owner_ids, second))[0]
    name_a, name_b = _short(first, today), _short(second, today)
    verb = period_verb(action.status)
    read = reading(f"{status_words(action.status)} {verb} {period_words(first, today)} "
                   f"compared with {period_words(second, today).removeprefix('in ')}",
                   stage_words(action, labels), money_range(action.min_amount,
                                                            action.max_amount), who.words)
    rows = [("Deals", f"{a.count:,}", f"{b.count:,}", _delta(a.count, b.count, money=False)),
            ("Amount", fmt.money(a.amount), fmt.money(b.amount), _delta(a.amount, b.amount))]
    if status != DealStatus.WON and status != DealStatus.LOST:
        rows.append(("Weighted", fmt.money(a.weighted_amount), fmt.money(b.weighted_amount),
                     _delta(a.weighted_amount, b.weighted_amount)))
    if status is None:
        rows.append(("Win rate", fmt.percent(a.win_rate), fmt.percent(b.win_rate),
                     _points(a, b)))
    rows.append(("Average", fmt.money(a.avg_amount) if a.avg_amount is not None else "n/a",
                 fmt.money(b.avg_amount) if b.avg_amount is not None else "n/a",
                 _delta(a.avg_amount, b.avg_amount) if a.avg_amount is not None
                 and b.avg_amount is not None else "—"))
    kind = capitalized(status_words(action.status).split(' of every')[0])
    said_a = f"{fmt.money(a.amount)} ({plural_deals(a.count, a.count)})"
    said_b = f"{fmt.money(b.amount)} ({plural_deals(b.count, b.count)})"
    change = _delta(a.amount, b.amount)
    head = f"{kind}: {name_a} {said_a} → {name_b} {said_b}, {change}."
    reply = Reply(head, table=Table(("", name_a, name_b, "Change"), tuple(rows)))
    chart_later(ctx, name=f"{name_a} vs {name_b}", title=f"{kind}: {name_a} vs {name_b}",
                bars=(Bar(name_a, float(a.amount or 0), said_a),
                      Bar(name_b, float(b.amount or 0), said_b)),
                note=f"Change: {change}")
    return finish(reply, read, not_used(action, {"measure", "status", "stage", "stages",
                                                "min_amount", "max_amount", "compare"}))


def _short(period: Period, today: dt.date) -> str:
    words = period_words(period, today)
    if "(" in words:
        return words.split("(")[1].rstrip(")")
    return words.removeprefix("in ").removeprefix("the ")


def _delta(a, b, *, money: bool = True) -> str:
    diff = (b or 0) - (a or 0)
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    size = fmt.money(abs(diff)) if money else f"{abs(diff):,}"
    pct = f" ({sign}{abs(diff) / a * 100:.0f}%)" if a else ""
    return f"{sign}{size}{pct}"


def _points(a: PipelineRow, b: PipelineRow) -> str:
    if a.win_rate is None or b.win_rate is None:
        return "—"
    diff = (b.win_rate - a.win_rate) * 100
    return f"{'+' if diff >= 0 else '−'}{abs(diff):.0f} pts"

