"""pipeline_query: the figures equal the store's reports; words, tables, permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.assistant import format as fmt
from bot.assistant.context import Ctx
from bot.assistant.core import execute
from bot.assistant.executors.pipeline import period_words
from bot.nlu.actions import Period, PipelineQuery
from crm_store.errors import Forbidden
from crm_store.models import DealStatus, Role
from crm_store.services import accounts, deals
from crm_store.services.reports import PipelineFilter, pipeline_report
from tests.conftest import make_settings, make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)  # Wed Nov 18, 10:00 in New York
Q4 = Period(start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31))
Q3 = Period(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))


def _ctx(session, user) -> Ctx:
    return Ctx(session=session, user=user, now=NOW, settings=make_settings(), source_id="t1")


@pytest.fixture
def team(session, rep):
    """Dana manages Sam (rep) and Nate; Olga is an admin. Deals open, won and lost."""
    dana = make_user(session, "Dana Boss", role=Role.MANAGER)
    rep.manager_id = dana.id
    nate = make_user(session, "Nate Brown", manager=dana)
    olga = make_user(session, "Olga Admin", role=Role.ADMIN)
    acme = accounts.create_account(session, actor=rep, team_id=rep.team_id, name="Acme")
    globex = accounts.create_account(session, actor=rep, team_id=rep.team_id, name="Globex")
    start = NOW - dt.timedelta(days=60)

    def deal(owner, title, amount, stage, close, account=acme):
        return deals.create_deal(session, actor=owner, team_id=rep.team_id, title=title,
                                 account_id=account.id, amount=amount, stage=stage,
                                 close_date=close, now=start)

    deal(rep, "Acme expansion", 50_000, "demo", dt.date(2026, 12, 1))
    deal(rep, "Acme platform", 1_200_000, "negotiation", dt.date(2026, 11, 30))
    deal(rep, "Acme pilot", None, "lead", dt.date(2027, 2, 1))
    deal(nate, "Globex seats", 80_000, "proposal", dt.date(2026, 10, 20), globex)
    deal(nate, "Globex support", 12_345.67, "qualified", dt.date(2026, 12, 15), globex)
    won = deal(rep, "Acme renewal", 30_000, "proposal", dt.date(2026, 11, 1))
    deals.update_deal(session, actor=rep, deal=won, status="won", now=NOW - dt.timedelta(days=5))
    won2 = deal(nate, "Globex training", 9_000, "demo", dt.date(2026, 10, 30), globex)
    deals.update_deal(session, actor=nate, deal=won2, status="won",
                      now=NOW - dt.timedelta(days=20))
    lost = deal(nate, "Globex add-on", 40_000, "demo", dt.date(2026, 11, 5), globex)
    deals.update_deal(session, actor=nate, deal=lost, status="lost",
                      now=NOW - dt.timedelta(days=10))
    session.flush()
    return {"dana": dana, "sam": rep, "nate": nate, "olga": olga}


def _total(session, user, **where):
    return pipeline_report(session, team_id=user.team_id, where=PipelineFilter(**where))[0]


# ------------------------------------------------------------------ figures = the store's
def test_open_pipeline_this_quarter_states_the_figures_first(session, team):
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(status="open", period=Q4)])
    total = _total(session, team["olga"], status=DealStatus.OPEN, start=Q4.start, end=Q4.end)
    assert total.count == 4
    assert reply.text == (f"Open pipeline closing this quarter (Q4 2026): 4 deals, "
                          f"{fmt.money(total.amount)}, weighted "
                          f"{fmt.money(total.weighted_amount)}.")
    assert reply.ok and not reply.wrote


@pytest.mark.parametrize("measure, status, period", [
    (None, None, None), ("count", "open", Q4), ("amount", "open", None),
    ("weighted_amount", "open", Q4), ("weighted_amount", None, Q4), ("win_rate", None, Q4),
    ("avg_amount", "won", None), ("avg_amount", None, Q4), ("cycle_days", None, Q4),
])
def test_headline_figures_equal_pipeline_report(session, team, measure, status, period):
    admin = team["olga"]
    reply = execute(_ctx(session, admin), [PipelineQuery(measure=measure, status=status,
                                                         period=period)])
    total = _total(session, admin, status=DealStatus(status) if status else None,
                   start=period.start if period else None, end=period.end if period else None)
    expected = {
        None: lambda t: [fmt.plural(t.count, "deal"), fmt.money(t.amount),
                         fmt.money(t.weighted_amount)],
        "count": lambda t: [fmt.plural(t.count, "deal")],
        "amount": lambda t: [fmt.money(t.amount), fmt.plural(t.count, "deal")],
        "weighted_amount": lambda t: [f"weighted: {fmt.money(t.weighted_amount)}"],
        "win_rate": lambda t: [fmt.percent(t.win_rate), f"{t.won} won of {t.won + t.lost} closed"],
        "avg_amount": lambda t: [f": {fmt.money(t.avg_amount)}"],
        "cycle_days": lambda t: [f": {t.cycle_days:.0f} days", fmt.plural(t.won, "won deal")],
    }[measure](total)
    for figure in expected:
        assert figure in reply.text


def test_win_rate_is_won_over_won_and_lost(session, team):
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(measure="win_rate", period=Q4)])
    assert reply.text == "Win rate this quarter (Q4 2026): 67% (2 won of 3 closed)."


def test_cycle_days_come_from_won_deals(session, team):
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(measure="cycle_days",
                                                                period=Q4)])
    # Won after 55 and 40 days: 47.5 on average.
    assert reply.text.startswith("Average sales cycle this quarter (Q4 2026): 48 days")


def test_group_by_stage_table_equals_the_report(session, team):
    admin = team["olga"]
    reply = execute(_ctx(session, admin), [PipelineQuery(status="open", group_by="stage",
                                                         measure="amount")])
    rows = pipeline_report(session, team_id=admin.team_id,
                           where=PipelineFilter(status=DealStatus.OPEN), group_by="stage")
    assert reply.table.columns == ("Stage", "Deals", "Amount", "Weighted")
    assert list(reply.table.rows) == [
        (r.label, str(r.count), fmt.money(r.amount), fmt.money(r.weighted_amount)) for r in rows]
    assert [r[0] for r in reply.table.rows] == ["Lead", "Qualified", "Demo", "Proposal",
                                                "Negotiation"]  # in funnel order


def test_group_by_owner_shows_win_rates_for_managers(session, team):
    reply = execute(_ctx(session, team["dana"]), [PipelineQuery(group_by="owner", period=Q4)])
    assert reply.text.startswith("Your team's deals closing this quarter (Q4 2026):")
    assert reply.table.columns == ("Owner", "Deals", "Amount", "Weighted", "Win rate")
    by_owner = {row[0]: row for row in reply.table.rows}
    assert by_owner["Nate Brown"][4] == "50%" and by_owner["Sam Rivera"][4] == "100%"


def test_group_by_month_reads_as_months(session, team):
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(status="open", group_by="month")])
    assert [r[0] for r in reply.table.rows] == ["Oct 2026", "Nov 2026", "Dec 2026", "Feb 2027"]


def test_top_deals_table(session, team):
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(limit=2, period=Q4)])
    assert reply.text == "Top 2 deals — open deals closing this quarter (Q4 2026):"
    assert reply.table.columns == ("Deal", "Account", "Stage", "Amount", "Close", "Owner")
    assert [r[0] for r in reply.table.rows] == ["Acme platform", "Globex seats"]
    assert reply.table.rows[0][2:] == ("Negotiation", "$1.2M", "Mon Nov 30", "Sam Rivera")


def test_empty_results_say_so_plainly(session, team):
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(status="open", period=Q3)])
    assert reply.text == "No open deals closing in Q3 2026."
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(measure="win_rate", period=Q3)])
    assert reply.text == "No won or lost deals in Q3 2026, so there is no win rate."


# ------------------------------------------------------------------ owners and permissions
def test_my_pipeline_is_the_askers(session, team):
    sam = team["sam"]
    reply = execute(_ctx(session, sam), [PipelineQuery(status="open", owner="me")])
    total = _total(session, sam, status=DealStatus.OPEN, owner_ids=(sam.id,))
    assert reply.text == (f"Your open pipeline: 3 deals, {fmt.money(total.amount)}, weighted "
                          f"{fmt.money(total.weighted_amount)}.")


def test_reps_get_company_totals(session, team):
    sam = team["sam"]
    reply = execute(_ctx(session, sam), [PipelineQuery(status="open")])
    total = _total(session, sam, status=DealStatus.OPEN)
    assert reply.text.startswith(f"Open pipeline: {total.count} deals")
    assert "Company-wide figures" in reply.context[0]


def test_managers_see_a_named_rep(session, team):
    reply = execute(_ctx(session, team["dana"]), [PipelineQuery(status="open", owner="Nate")])
    assert reply.text.startswith("Nate Brown's open pipeline: 2 deals")


@pytest.mark.parametrize("action", [
    PipelineQuery(status="open", owner="Nate"),
    PipelineQuery(status="open", group_by="owner"),
])
def test_reps_do_not_get_per_rep_detail(session, team, action):
    with pytest.raises(Forbidden):
        execute(_ctx(session, team["sam"]), [action])


def test_stage_filter(session, team):
    reply = execute(_ctx(session, team["olga"]), [PipelineQuery(status="open",
                                                                stage="negotiation")])
    assert reply.text == "Open pipeline in Negotiation: 1 deal, $1.2M, weighted $960,000."


# ------------------------------------------------------------------ periods in words
@pytest.mark.parametrize("start, end, words", [
    ("2026-10-01", "2026-12-31", "this quarter (Q4 2026)"),
    ("2026-07-01", "2026-09-30", "in Q3 2026"),
    ("2026-11-01", "2026-11-30", "this month (November 2026)"),
    ("2026-02-01", "2026-02-28", "in February 2026"),
    ("2026-01-01", "2026-12-31", "this year (2026)"),
    ("2025-01-01", "2025-12-31", "in 2025"),
    ("2026-11-16", "2026-11-22", "this week (week of Nov 16)"),
    ("2026-11-09", "2026-11-15", "in the week of Nov 9"),
    ("2026-11-18", "2026-12-17", "from Nov 18 to Dec 17, 2026"),
    ("2026-12-20", "2027-01-05", "from Dec 20, 2026 to Jan 5, 2027"),
])
def test_periods_are_spelled_out(start, end, words):
    period = Period(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    assert period_words(period, dt.date(2026, 11, 18)) == words
