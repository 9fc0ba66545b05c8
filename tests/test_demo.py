"""The demo company: consistent, current, deterministic, and never seeded twice."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.cli import main as salesbot
from crm_store.demo import has_data, plan_demo, seed_demo
from crm_store.errors import BadInput
from crm_store.models import (
    LOCAL_TEAM,
    Account,
    Activity,
    Contact,
    Deal,
    DealStageChange,
    DealStatus,
    Role,
    Task,
    TaskStatus,
    User,
)
from crm_store.services.pipelines import default_pipeline, stage_map
from crm_store.services.reports import pipeline_report
from crm_store.services.tasks import open_tasks

# A Wednesday afternoon in UTC: late evening in London, morning on the US west coast.
NOW = dt.datetime(2026, 3, 11, 15, 30, tzinfo=dt.UTC)
SIGNALS = ("budget approved", "asked for pricing", "contract review", "decision maker",
           "timeline", "competitor", "objection on price", "security review", "next steps")


def _url(database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def test_demo_company_is_consistent_and_current(database):
    summary = seed_demo(database, now=NOW)
    with database.session(readonly=True) as s:
        _check_people(s)
        _check_counts(s, summary)
        _check_deals_and_history(s)
        _check_activities(s, summary)
        _check_tasks(s)
        _check_reports(s)


def _check_people(s):
    users = {u.slack_user_id: u for u in s.scalars(select(User))}
    assert set(users) == {"UMANAGER", "UREP1", "UREP2", "UREP3", "UREP4", "UREP5", "UADMIN"}
    manager = users["UMANAGER"]
    assert (manager.name, manager.role) == ("Morgan Lee", Role.MANAGER)
    assert users["UADMIN"].role == Role.ADMIN and users["UREP1"].name == "Sam Rivera"
    reps = [u for u in users.values() if u.role == Role.REP]
    assert len(reps) == 5 and all(r.manager_id == manager.id for r in reps)
    assert {u.tz for u in users.values()} == {"America/New_York", "America/Chicago",
                                               "America/Los_Angeles", "Europe/London"}


def _check_counts(s, summary):
    counts = {model.__name__: s.scalar(select(func.count()).select_from(model))
              for model in (Account, Contact, Deal, Activity, Task)}
    assert 180 <= counts["Account"] <= 220
    assert 500 <= counts["Contact"] <= 700
    assert 250 <= counts["Deal"] <= 350
    assert 2_800 <= counts["Activity"] <= 3_200
    assert 60 <= counts["Task"] <= 150
    assert (summary.accounts, summary.contacts, summary.deals, summary.activities,
            summary.tasks) == (counts["Account"], counts["Contact"], counts["Deal"],
                               counts["Activity"], counts["Task"])
    names = list(s.scalars(select(Account.name)))
    assert len(set(names)) == len(names)
    lifecycles = Counter(s.scalars(select(Contact.lifecycle)))
    assert all(lifecycles[k] >= 20 for k in ("lead", "prospect", "customer", "dead"))
    for contact, domain in s.execute(select(Contact, Account.domain).join(Account)):
        assert contact.email.endswith("@" + domain) and contact.phone and contact.title
        assert contact.created_at >= s.get(Account, contact.account_id).created_at


def _check_deals_and_history(s):
    stages = stage_map(default_pipeline(s, team_id=LOCAL_TEAM))
    history = defaultdict(list)
    for change in s.scalars(select(DealStageChange).order_by(DealStageChange.changed_at,
                                                             DealStageChange.id)):
        history[change.deal_id].append(change)
    deals = list(s.scalars(select(Deal)))
    assert {d.stage for d in deals} == set(stages)
    for deal in deals:
        rows = history[deal.id]
        assert rows[0].from_stage is None and rows[0].to_stage == "lead"
        assert rows[0].changed_at == deal.created_at
        times = [r.changed_at for r in rows]
        assert times == sorted(times) and len(set(times)) == len(times)
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.from_stage == before.to_stage
            assert stages[after.to_stage].position >= stages[before.to_stage].position
        last = rows[-1]
        assert (last.to_stage, last.status, last.amount, last.close_date) == (
            deal.stage, deal.status, deal.amount, deal.close_date)
        assert 5_000 <= deal.amount <= 250_000
        assert s.get(Contact, deal.contact_id).account_id == deal.account_id
        if deal.status == DealStatus.OPEN:
            assert deal.probability == stages[deal.stage].probability
            assert deal.closed_at is None and deal.lost_reason is None
        else:
            assert deal.closed_at == last.changed_at < NOW
            assert deal.close_date == deal.closed_at.date() < NOW.date()
            assert deal.probability == (100 if deal.status == DealStatus.WON else 0)
            assert bool(deal.lost_reason) == (deal.status == DealStatus.LOST)
    open_deals = [d for d in deals if d.status == DealStatus.OPEN]
    overdue = [d for d in open_deals if d.close_date < NOW.date()]
    assert 0 < len(overdue) < len(open_deals) / 3


def _check_activities(s, summary):
    rows = s.execute(select(Activity, Contact, Account.name).join(Contact, Activity.contact)
                     .join(Account, Contact.account)).all()
    deal_accounts = dict(s.execute(select(Deal.id, Deal.account_id)).all())
    kinds = Counter(a.kind for a, _, _ in rows)
    assert all(kinds[k] > 100 for k in ("call", "meeting", "email", "note"))
    for activity, contact, account_name in rows:
        assert NOW - dt.timedelta(days=183) <= activity.occurred_at < NOW
        assert activity.occurred_at >= contact.created_at
        assert activity.author_id == contact.owner_id
        assert activity.account_id == contact.account_id
        if activity.deal_id is not None:
            assert deal_accounts[activity.deal_id] == contact.account_id
        first = contact.name.split()[0]
        assert first in activity.body or account_name in activity.body
    bodies = " ".join(a.body.lower() for a, _, _ in rows)
    assert all(signal in bodies for signal in SIGNALS)
    assert sum(a.deal_id is not None for a, _, _ in rows) > len(rows) / 3
    assert len(summary.hot_contacts) == 3
    recent = NOW - dt.timedelta(days=14)
    for name in summary.hot_contacts:
        contact = s.scalar(select(Contact).where(Contact.name == name))
        mine = [a for a, c, _ in rows if c.id == contact.id and a.occurred_at >= recent]
        assert len(mine) >= 6
        deal = s.get(Deal, next(a.deal_id for a in mine if a.deal_id))
        assert deal.status == DealStatus.OPEN and deal.stage in ("proposal", "negotiation")


def _check_tasks(s):
    reps = list(s.scalars(select(User).where(User.role == Role.REP)))
    for rep in reps:
        overdue = open_tasks(s, team_id=LOCAL_TEAM, assignee_ids=[rep.id], scope="overdue",
                             now=NOW, tz=rep.tz)
        today = ZoneInfo(rep.tz)
        due_today = [t for t in open_tasks(s, team_id=LOCAL_TEAM, assignee_ids=[rep.id],
                                           scope="today", now=NOW, tz=rep.tz)
                     if t.due_at.astimezone(today).date() == NOW.astimezone(today).date()]
        week = open_tasks(s, team_id=LOCAL_TEAM, assignee_ids=[rep.id], scope="week",
                          now=NOW, tz=rep.tz)
        assert overdue and due_today and len(week) > len(overdue) + len(due_today) - 1
    for task in s.scalars(select(Task)):
        assert task.remind_at is not None and task.remind_at <= task.due_at
        assert task.created_at <= min(task.remind_at, NOW)
        assert task.contact_id and task.account_id
        assert s.get(Contact, task.contact_id).account_id == task.account_id
        if task.status == TaskStatus.DONE:
            assert task.completed_at is not None and task.completed_at <= NOW
        if task.status == TaskStatus.OPEN and task.remind_at > NOW:
            assert task.delivery == "pending"  # the scheduler will remind
    statuses = Counter(s.scalars(select(Task.status)))
    assert statuses[TaskStatus.OPEN] and statuses[TaskStatus.DONE]


def _check_reports(s):
    by_stage = {r.key: r for r in pipeline_report(s, team_id=LOCAL_TEAM, group_by="stage")}
    assert list(by_stage) == ["lead", "qualified", "demo", "proposal", "negotiation", "won",
                              "lost"]
    for key, row in by_stage.items():
        assert row.count >= 10 and row.amount > 0 and row.avg_amount > 0, key
        if key != "lost":
            assert row.weighted_amount > 0
    assert by_stage["won"].won == by_stage["won"].count and by_stage["won"].cycle_days > 10
    assert by_stage["lost"].lost == by_stage["lost"].count
    (overall,) = pipeline_report(s, team_id=LOCAL_TEAM)
    assert 0.3 < overall.win_rate < 0.8
    by_owner = pipeline_report(s, team_id=LOCAL_TEAM, group_by="owner")
    assert len(by_owner) == 5 and all(r.count >= 20 for r in by_owner)


def test_refuses_to_seed_a_workspace_with_data(database):
    seed_demo(database, now=NOW, scale=0.1)
    with pytest.raises(BadInput):
        seed_demo(database, now=NOW, scale=0.1)
    with database.session(readonly=True) as s:
        assert has_data(s, LOCAL_TEAM) and not has_data(s, "T0THER")
    seed_demo(database, team_id="T0THER", now=NOW, scale=0.1)  # another workspace is fine


def test_cli_refuses_twice_then_resets(database, capsys):
    url = _url(database)
    assert salesbot(["demo", "--url", url, "--scale", "0.2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Seeded demo company: 7 users, 40 accounts,") and "activities" in out
    with database.session(readonly=True) as s:
        first = s.scalar(select(func.count()).select_from(Activity))

    assert salesbot(["demo", "--url", url, "--scale", "0.2"]) == 1
    assert "--reset" in capsys.readouterr().err

    assert salesbot(["demo", "--url", url, "--scale", "0.2", "--reset", "--seed", "8"]) == 0
    with database.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 7  # users kept, not doubled
        assert s.scalar(select(func.count()).select_from(Activity)) == first
        assert s.scalar(select(func.count()).select_from(Account)) == 40


def _content(s, team_id: str) -> list:
    deals = s.execute(select(Deal.title, Deal.amount, Deal.stage, Deal.close_date,
                             Deal.created_at).where(Deal.team_id == team_id)
                      .order_by(Deal.id)).all()
    activities = s.execute(select(Activity.body, Activity.occurred_at, Activity.kind)
                           .where(Activity.team_id == team_id).order_by(Activity.id)).all()
    contacts = s.execute(select(Contact.name, Contact.email).where(Contact.team_id == team_id)
                         .order_by(Contact.id)).all()
    tasks = s.execute(select(Task.title, Task.due_at).where(Task.team_id == team_id)
                      .order_by(Task.id)).all()
    return [deals, activities, contacts, tasks]


def test_same_seed_same_company(database):
    for team in ("TA", "TB", "TC"):
        seed_demo(database, team_id=team, now=NOW, seed=11 if team != "TC" else 12, scale=0.2)
    with database.session(readonly=True) as s:
        a, b, c = _content(s, "TA"), _content(s, "TB"), _content(s, "TC")
    assert a == b and a != c


@pytest.mark.parametrize("now", [
    dt.datetime(2026, 3, 15, 23, 50, tzinfo=dt.UTC),  # Sunday night
    dt.datetime(2026, 3, 16, 6, 0, tzinfo=dt.UTC),  # Monday, before the US wakes up
    dt.datetime(2026, 12, 31, 12, 0, tzinfo=dt.UTC),
])
def test_plan_is_in_the_past_and_deterministic_whenever_it_runs(now):
    plan = plan_demo(now=now, scale=0.3)
    assert plan == plan_demo(now=now, scale=0.3)
    assert all(a.occurred_at < now for a in plan.activities)
    assert all(h.at < now for d in plan.deals for h in d.history)
    assert all(c.created_at < now for c in plan.contacts)
    reps = {u.slack_user_id: ZoneInfo(u.tz) for u in plan.users if u.role == Role.REP}
    for rep, zone in reps.items():
        mine = [t for t in plan.tasks if t.assignee == rep and t.status == TaskStatus.OPEN]
        assert any(t.due_at < now for t in mine)
        assert any(t.due_at.astimezone(zone).date() == now.astimezone(zone).date()
                   for t in mine)


def test_plan_does_not_depend_on_hash_randomization():
    code = ("import datetime as dt, hashlib; from crm_store.demo import plan_demo; "
            "p = plan_demo(now=dt.datetime(2026, 3, 11, 15, 30, tzinfo=dt.UTC), scale=0.3); "
            "print(hashlib.sha256(repr(p).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": str(n)}).stdout
               for n in (1, 2)}
    assert len(digests) == 1


@pytest.mark.parametrize("kwargs", [{"now": dt.datetime(2026, 3, 11)}, {"now": NOW, "scale": 0},
                                    {"now": NOW, "scale": 50}])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(BadInput):
        plan_demo(**kwargs)
