"""Pipeline questions → crm_store.services.reports (never SQL built from text).

The answer says the figure first, in words and with the period spelled out, then a
small table per group or the top deals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from bot.assistant import format as fmt
from bot.assistant.asked import (
    Whose,
    money_range,
    not_used,
    period_verb,
    reading,
    stage_words,
    status_words,
    whose,
)
from bot.assistant.charts import chart_later
from bot.assistant.context import Ctx, executes
from bot.assistant.permissions import report_owner_ids
from bot.assistant.resolve import find_account, resolve_user
from bot.assistant.types import Compose, Reply, Table
from bot.nlu.actions import ListDeals, Period, PipelineQuery
from bot.render.charts import Bar
from crm_store.errors import Forbidden
from crm_store.models import Deal, DealStatus, Role
from crm_store.services import deals
from crm_store.services.pipelines import default_pipeline, stage_map
from crm_store.services.reports import PipelineFilter, PipelineRow, pipeline_report, top_deals

MAX_ROWS = 25
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
GROUP_TITLES = {"stage": "Stage", "owner": "Owner", "month": "Month", "account": "Account"}


# ------------------------------------------------------------------ periods in words
def _quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def period_words(period: Period | None, today: dt.date) -> str:
    """'this quarter (Q4 2026)', 'Q3 2026', 'November 2026', 'Nov 3 – Dec 2, 2026'."""
    if period is None:
        return ""
    start, end = period.start, period.end
    this = start <= today <= end
    if start == end:
        return f"on {fmt.day(start, today=today)}"
    if start.day == 1 and end == _month_end(start.year, start.month):
        name = f"{MONTHS[start.month - 1]} {start.year}"
        return f"this month ({name})" if this else f"in {name}"
    q = _quarter_of(start)
    if start == dt.date(start.year, 3 * q - 2, 1) and end == _month_end(start.year, 3 * q):
        name = f"Q{q} {start.year}"
        return f"this quarter ({name})" if this else f"in {name}"
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return f"this year ({start.year})" if this else f"in {start.year}"
    if start.weekday() == 0 and end == start + dt.timedelta(days=6):
        week = f"the week of {start:%b} {start.day}"
        return f"this week ({week[4:]})" if this else f"in {week}"
    same_year = start.year == end.year
    first = f"{start:%b} {start.day}" + ("" if same_year else f", {start.year}")
    return f"from {first} to {end:%b} {end.day}, {end.year}"


# ------------------------------------------------------------------ what was asked
@dataclass(frozen=True)
class Scope:
    """Whose deals, which ones, and when — as words."""

    whose: str  # "", "your", "your team's", "Nate Brown's"
    among: str  # "", " of yours", " in your team", " for Nate Brown"
    status: DealStatus | None
    stage_label: str | None
    period: str  # "this quarter (Q4 2026)", "in Q3 2026", ""

    @property
    def kind(self) -> str:
        """'open deals', 'won deals', 'deals'."""
        return {DealStatus.OPEN: "open deals", DealStatus.WON: "won deals",
                DealStatus.LOST: "lost deals", None: "deals"}[self.status]

    @property
    def in_stage(self) -> str:
        return f" in {self.stage_label}" if self.stage_label else ""

    @property
    def subject(self) -> str:
        """'Open pipeline', "Nate Brown's won deals", 'Your open pipeline in Demo'."""
        noun = "open pipeline" if self.status == DealStatus.OPEN else self.kind
        return _cap(f"{self.whose} {noun}".strip() + self.in_stage)

    @property
    def when(self) -> str:
        """'closing this quarter (Q4 2026)', 'won in Q3 2026', ''."""
        if not self.period:
            return ""
        verb = {DealStatus.WON: "won", DealStatus.LOST: "lost"}.get(self.status, "closing")
        return f"{verb} {self.period}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _scope(ctx: Ctx, who: Whose, status: DealStatus | None, stage_label: str | None,
           period: str) -> Scope:
    if who.people == "you":
        whose_, among = "your", " of yours"
    elif who.owner_ids is None:
        whose_, among = "", ""
    elif who.people.startswith("your team ("):
        whose_, among = "your team's", " in your team"
    else:
        name = who.people.split(" (")[0]
        whose_, among = f"{name}'s", f" for {name}"
    return Scope(whose_, among, status, stage_label, period)


# ------------------------------------------------------------------ figures in words
def headline(measure: str | None, scope: Scope, total: PipelineRow,
             currency: str = "USD") -> str:
    """The figure(s) first, in words: 'Open pipeline closing this quarter: 14 deals, …'."""
    head = f"{scope.subject} {scope.when}".strip()
    deals = fmt.plural(total.count, "deal")
    amount, weighted = fmt.money(total.amount, currency), fmt.money(total.weighted_amount, currency)
    if measure == "amount":
        return f"{head}: {amount} across {deals} (weighted {weighted})."
    if measure == "weighted_amount":
        return f"{head}, weighted: {weighted} ({deals}, {amount} unweighted)."
    if measure == "win_rate":
        closed = total.won + total.lost
        what = _cap(f"{scope.whose} win rate".strip())
        return (f"{what} {scope.period}".strip() + f": {fmt.percent(total.win_rate)} "
                f"({total.won} won of {closed} closed).")
    if measure == "avg_amount":
        size = scope.kind.replace("deals", "deal size")
        what = _cap(f"{scope.whose} average {size}".strip() + scope.in_stage)
        average = fmt.money(total.avg_amount, currency) if total.avg_amount is not None else "n/a"
        return f"{what} {scope.when}".strip() + f": {average} across {deals}."
    if measure == "cycle_days":
        what = _cap(f"{scope.whose} average sales cycle".strip())
        return (f"{what} {scope.period}".strip() + f": {total.cycle_days:.0f} days "
                f"(from {fmt.plural(total.won, 'won deal')}).")
    return f"{head}: {deals}, {amount}, weighted {weighted}."


def empty_answer(measure: str | None, scope: Scope, total: PipelineRow) -> str | None:
    """A plain sentence when there is nothing to report, or None."""
    tail = f" {scope.when}" if scope.when else ""
    period = f" {scope.period}" if scope.period else ""
    if measure == "win_rate" and total.won + total.lost == 0:
        still_open = f" ({fmt.plural(total.count, 'deal')} still open)" if total.count else ""
        return (f"No won or lost deals{scope.among}{scope.in_stage}{period}, so there is "
                f"no win rate{still_open}.")
    if total.count == 0:
        return f"No {scope.kind}{scope.among}{scope.in_stage}{tail}."
    if measure == "cycle_days" and total.cycle_days is None:
        return (f"No won deals{scope.among}{scope.in_stage}{period}, so there is no sales "
                "cycle to measure yet.")
    return None


# ------------------------------------------------------------------ tables
def _group_label(group_by: str, row: PipelineRow) -> str:
    if group_by == "month" and len(row.key) == 7:
        year, month = row.key.split("-")
        return f"{MONTHS[int(month) - 1][:3]} {year}"
    if group_by == "month" and not row.key:
        return "(no close date)"
    return row.label


def group_table(group_by: str, rows: list[PipelineRow], measure: str | None,
                status: DealStatus | None, currency: str = "USD") -> Table:
    """Per group: deals, amount, weighted; win rate, average or cycle where relevant."""
    columns = [GROUP_TITLES[group_by], "Deals", "Amount", "Weighted"]
    show_win = measure == "win_rate" or (status is None and any(r.won + r.lost for r in rows))
    if show_win:
        columns.append("Win rate")
    if measure == "avg_amount":
        columns.append("Average")
    if measure == "cycle_days":
        columns.append("Cycle")
    body = []
    for row in rows[:MAX_ROWS]:
        cells = [_group_label(group_by, row), f"{row.count:,}", fmt.money(row.amount, currency),
                 fmt.money(row.weighted_amount, currency)]
        if show_win:
            cells.append(fmt.percent(row.win_rate))
        if measure == "avg_amount":
            cells.append(fmt.money(row.avg_amount, currency) if row.avg_amount is not None
                         else "n/a")
        if measure == "cycle_days":
            cells.append(f"{row.cycle_days:.0f} d" if row.cycle_days is not None else "n/a")
        body.append(tuple(cells))
    return Table(tuple(columns), tuple(body))


def trend_chart(ctx: Ctx, rows: list[PipelineRow], measure: str | None, *, title: str) -> None:
    """Month by month as bars, in time order: the asked measure, worded as the table has it."""
    def words(row: PipelineRow) -> tuple[float, str]:
        if measure == "count":
            return row.count, fmt.plural(row.count, "deal")
        if measure == "weighted_amount":
            return float(row.weighted_amount or 0), f"{fmt.money(row.weighted_amount)} weighted"
        if measure == "win_rate":
            return row.win_rate or 0.0, fmt.percent(row.win_rate)
        if measure == "avg_amount":
            return float(row.avg_amount or 0), (fmt.money(row.avg_amount)
                                                if row.avg_amount is not None else "n/a")
        if measure == "cycle_days":
            return row.cycle_days or 0.0, (f"{row.cycle_days:.0f} d"
                                           if row.cycle_days is not None else "n/a")
        return float(row.amount or 0), f"{fmt.money(row.amount)} ({fmt.plural(row.count, 'deal')})"

    months = [row for row in rows if len(row.key) == 7]  # "(no close date)" is no point in time
    chart_later(ctx, name=title, title=title,
                bars=[Bar(_group_label("month", row), *words(row)) for row in months])


def close_words(deal: Deal, today: dt.date) -> str:
    """The close date as read: past-due open deals are flagged, never shown as upcoming."""
    return fmt.close_day(deal.close_date, today, still_open=deal.status == DealStatus.OPEN)


def upcoming_first(deals: list[Deal], today: dt.date) -> list[Deal]:
    """The same deals, those still ahead first and the slipped ones kept apart after them."""
    def slipped(d: Deal) -> bool:
        return d.status == DealStatus.OPEN and d.close_date is not None and d.close_date < today
    return [d for d in deals if not slipped(d)] + [d for d in deals if slipped(d)]


def deals_table(deals: list[Deal], today: dt.date, stage_labels: dict[str, str]) -> Table:
    """Top deals: title, account, stage, amount, close date, owner."""
    return Table(("Deal", "Account", "Stage", "Amount", "Close", "Owner"), tuple(
        (d.title, d.account.name if d.account else "—", stage_labels.get(d.stage, d.stage),
         fmt.money(d.amount, d.currency), close_words(d, today),
         d.owner.name if d.owner else "—")
        for d in upcoming_first(deals, today)))


# ------------------------------------------------------------------ the executor
MEASURE_WORDS = {"count": "number of", "amount": "total amount of",
                 "weighted_amount": "weighted amount of", "win_rate": "win rate of",
                 "avg_amount": "average amount of", "cycle_days": "average days to win, for"}
LIST_ROWS = 10


@executes("pipeline_query")
def pipeline_query(ctx: Ctx, action: PipelineQuery) -> Reply:
    # Imported here: the other answers reuse this module's words and filters.
    from bot.assistant.executors.analysis import special_answer

    special = special_answer(ctx, action)
    if special is None:
        return deals_answer(ctx, action)
    read, _, said = special.text.partition("\n")
    if ctx.settings.llm_configured and special.ok and read.startswith("Reading: ") and said \
            and not (action.unread or action.cannot):
        special.compose = answer_compose(ctx, special, read, said)
    return special


def deals_answer(ctx: Ctx, action: PipelineQuery) -> Reply:
    """Figures of the deals that match: headline, slipped apart, a table or the deals."""
    if action.group_by == "owner" and ctx.user.role == Role.REP:
        raise Forbidden("Per-rep breakdowns are for managers and admins. Ask for the team's "
                        "total, or for 'my pipeline'.")
    who = whose(ctx, action)
    status = DealStatus(action.status) if action.status else None
    if action.limit and status is None and action.measure is None:
        status = DealStatus.OPEN  # "top 5 deals closing this month" means deals still open
    where = deal_filter(action, status, who.owner_ids)
    today = ctx.local_now.date()
    labels = {k: s.label for k, s in stage_map(default_pipeline(ctx.session,
                                                                team_id=ctx.team_id)).items()}
    stage_label = stage_words(action, labels).removeprefix("in ") or None
    when = period_words(action.period, today)
    scope = _scope(ctx, who, status, stage_label, when)
    kind = status_words(status.value if status else None)
    if status is None and (action.stage or action.stages):
        kind = "deals"  # in an open stage a deal is open: closing moves it to won or lost
    if action.measure == "weighted_amount" and status is None:
        kind = "deals: open ones by their probability, won in full, lost as zero"
    read = reading(f"{MEASURE_WORDS[action.measure]} {kind}" if action.measure else kind,
                   f"{period_verb(action.status)} {when}" if when else "",
                   stage_words(action, labels), money_range(action.min_amount, action.max_amount),
                   who.words)
    unused = not_used(action, {"measure", "status", "stage", "stages", "group_by", "limit",
                               "min_amount", "max_amount"})

    total = pipeline_report(ctx.session, team_id=ctx.team_id, where=where)[0]
    empty = empty_answer(action.measure, scope, total)
    if empty:
        return with_reading(Reply(empty), read, unused)

    if action.limit or (action.measure is None and not action.group_by):
        shown = action.limit or LIST_ROWS
        found = top_deals(ctx.session, team_id=ctx.team_id, where=where, limit=shown)
        if action.limit:
            text = (f"Top {plural_deals(len(found), action.limit)} — "
                    f"{scope.kind}{scope.among}{scope.in_stage}")
            reply = Reply(f"{text} {scope.when}".strip() + ":",
                          table=deals_table(found, today, labels))
            reply.context.append(headline(action.measure, scope, total))
        else:
            reply = Reply(headline(action.measure, scope, total),
                          table=deals_table(found, today, labels))
            if total.count > len(found):
                reply.context.append(f"Showing the {len(found)} largest of {total.count:,}.")
    else:
        reply = Reply(headline(action.measure, scope, total))
    if action.measure not in ("win_rate", "cycle_days"):
        _split_slipped(ctx, reply, where, status, today)
    if action.group_by and not action.limit:
        rows = pipeline_report(ctx.session, team_id=ctx.team_id, where=where,
                               group_by=action.group_by)
        reply.table = group_table(action.group_by, rows, action.measure, status)
        if action.group_by == "month":
            trend_chart(ctx, rows[:MAX_ROWS], action.measure,
                        title=f"{scope.subject} by month"
                        + (f", {scope.period}" if scope.period else ""))
        if len(rows) > MAX_ROWS:
            reply.context.append(f"Showing the first {MAX_ROWS} of {len(rows)} groups.")
    if who.owner_ids is None and ctx.user.role == Role.REP:
        reply.context.append("Company-wide figures. Say 'my pipeline' for yours.")
    if ctx.settings.llm_configured:
        reply.compose = answer_compose(ctx, reply, read, reply.text)
    return with_reading(reply, read, unused)


def answer_compose(ctx: Ctx, reply: Reply, read: str, said: str) -> Compose:
    """What a model may say around an answer: the question as read and the query's own
    figures, each a fact it cites; its words replace the figures' sentences only (the
    reading and the table stay the code's)."""
    lines = [line for line in said.split("\n") if line.strip()]
    facts = [{"id": "Q", "kind": "question", "text": read}]
    facts += [{"id": f"F{i}", "kind": "figure", "text": line}
              for i, line in enumerate([*lines, *reply.context], 1)]
    if reply.table is not None:
        columns = reply.table.columns
        facts += [{"id": f"R{i}", "kind": "row",
                   "text": "; ".join(f"{c}: {v}" for c, v in zip(columns, row, strict=False))}
                  for i, row in enumerate(reply.table.rows[:MAX_ROWS], 1)]
    return Compose("answer", {"subject": read, "now": ctx.now.isoformat(), "tz": ctx.tz.key,
                              "facts": facts, "offline": said,
                              "cited": [f["id"] for f in facts]},
                   team_id=ctx.team_id, user_id=ctx.user.id)


def deal_filter(action: PipelineQuery, status: DealStatus | None,
                owner_ids: tuple[int, ...] | None, period: Period | None = None) -> PipelineFilter:
    """The store's filter for a question (optionally over another period)."""
    period = period or action.period
    return PipelineFilter(
        status=status, start=period.start if period else None,
        end=period.end if period else None, owner_ids=owner_ids, stage=action.stage,
        stages=tuple(action.stages) if action.stages else None,
        min_amount=Decimal(str(action.min_amount)) if action.min_amount is not None else None,
        max_amount=Decimal(str(action.max_amount)) if action.max_amount is not None else None)


def _split_slipped(ctx: Ctx, reply: Reply, where: PipelineFilter, status: DealStatus | None,
                   today: dt.date) -> None:
    """Say apart the open deals whose close date has passed: they are not upcoming."""
    if status not in (None, DealStatus.OPEN) or (where.start and where.start >= today):
        return
    end = min(where.end, today - dt.timedelta(days=1)) if where.end else \
        today - dt.timedelta(days=1)
    late = pipeline_report(ctx.session, team_id=ctx.team_id, where=replace(
        where, status=DealStatus.OPEN, end=end))[0]
    if not late.count:
        return
    ahead = pipeline_report(ctx.session, team_id=ctx.team_id, where=replace(
        where, status=DealStatus.OPEN, start=max(where.start or today, today)))[0]
    reply.text += (f"\n⚠️ {fmt.plural(late.count, 'open deal')} ({fmt.money(late.amount)}) "
                   "slipped: the close date passed, still open. "
                   f"Still ahead: {fmt.plural(ahead.count, 'deal')}, {fmt.money(ahead.amount)}.")


def with_reading(reply: Reply, read: str, unused: list[str]) -> Reply:
    """The reading first; tables as cards that fit a phone (long ones stay a grid)."""
    reply.text = f"{read}\n{reply.text}"
    if reply.table is not None:
        reply.table = replace(reply.table, layout="cards")
    if unused:
        reply.context.append("Not used for this answer: " + ", ".join(unused) + ".")
    return reply


def plural_deals(found: int, asked: int) -> str:
    """'5 deals' — or 'the 3 deals there are' when fewer than asked exist."""
    if found < asked:
        return f"{fmt.plural(found, 'deal')} (all there are)"
    return fmt.plural(found, "deal")


# ------------------------------------------------------------------ deal lists
LIST_LIMIT = 25


@executes("list_deals")
def list_deals(ctx: Ctx, action: ListDeals) -> Reply:
    """The deals asked for ("my deals", "Dana's open deals", "deals in negotiation"): open
    ones unless a status is said, with the same reading, figures and slipped flags as a
    pipeline question; at one account, that account's deals."""
    if not action.account:
        return deals_answer(ctx, PipelineQuery(owner=action.owner, stage=action.stage,
                                               status=action.status or "open"))
    asked = resolve_user(ctx, action.owner) if action.owner else None
    owner_ids = report_owner_ids(ctx.session, ctx.user, asked=asked)
    account = find_account(ctx, action.account)
    if account is None:
        return Reply(f"I don't know an account called '{action.account}'.", ok=False)
    status = DealStatus(action.status) if action.status else None
    found = [d for d in deals.find_deals(
        ctx.session, team_id=ctx.team_id, account_id=account.id, status=status,
        owner_ids=list(owner_ids) if owner_ids is not None else None)
        if action.stage is None or d.stage == action.stage]
    labels = {k: s.label for k, s in stage_map(default_pipeline(ctx.session,
                                                                team_id=ctx.team_id)).items()}
    read = reading(status_words(action.status) if action.status else "deals of every status",
                   f"at {account.name}",
                   f"in {labels.get(action.stage, action.stage)}" if action.stage else "",
                   f"owner: {asked.name}" if asked is not None else "")
    if not found:
        return Reply(f"{read}\nNone.")
    reply = Reply(f"{read}\n{fmt.plural(len(found), 'deal')}.",
                  table=deals_table(found[:LIST_LIMIT], ctx.local_now.date(), labels))
    if len(found) > LIST_LIMIT:
        reply.context.append(f"Showing the first {LIST_LIMIT} of {len(found)}.")
    return reply
