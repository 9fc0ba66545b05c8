"""CRM services on a real database: deals and history, tasks, timeline, reports, audit, undo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm_store.errors import BadInput, NotFound
from crm_store.models import Activity, AuditEntry, Deal, DealStatus, Task, TaskStatus
from crm_store.services import (
    accounts,
    activities,
    audit,
    contacts,
    deals,
    reports,
    tasks,
    timeline,
)
from crm_store.services.reports import PipelineFilter
from tests import clock
from tests.conftest import make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def acme(session, rep):
    return accounts.create_account(session, actor=rep, team_id=rep.team_id, name="Acme Corp")


def _deal(session, rep, acme, title="Acme expansion", amount=50_000, stage="demo", **kw):
    return deals.create_deal(session, actor=rep, team_id=rep.team_id, title=title,
                             account_id=acme.id, amount=amount, stage=stage, now=NOW, **kw)


def test_deal_takes_probability_from_its_stage(session, rep, acme):
    deal = _deal(session, rep, acme, stage="proposal")
    assert (deal.stage, deal.probability, deal.status) == ("proposal", 60, DealStatus.OPEN)


def test_stage_amount_and_close_changes_are_recorded_in_history(session, rep, acme):
    deal = _deal(session, rep, acme)
    later = NOW + dt.timedelta(days=3)
    deals.update_deal(session, actor=rep, deal=deal, stage="negotiation", amount="65000",
                      close_date=dt.date(2026, 12, 31), now=later)
    history = [(h.from_stage, h.to_stage, h.amount, h.close_date) for h in deal.history]
    assert history == [
        (None, "demo", Decimal("50000.00"), None),
        ("demo", "negotiation", Decimal("65000.00"), dt.date(2026, 12, 31)),
    ]
    assert deal.probability == 80


def test_winning_closes_the_deal_today(session, rep, acme):
    deal = _deal(session, rep, acme)
    deals.update_deal(session, actor=rep, deal=deal, status="won", now=NOW)
    assert (deal.stage, deal.status, deal.probability) == ("won", DealStatus.WON, 100)
    assert deal.closed_at == NOW and deal.close_date == NOW.date()


def test_losing_keeps_the_reason_and_reopening_returns_to_last_open_stage(session, rep, acme):
    deal = _deal(session, rep, acme, stage="proposal")
    deals.update_deal(session, actor=rep, deal=deal, status="lost", reason="went with a competitor")
    assert (deal.stage, deal.lost_reason) == ("lost", "went with a competitor")
    deals.update_deal(session, actor=rep, deal=deal, status="open")
    assert (deal.stage, deal.status, deal.closed_at, deal.lost_reason) == (
        "proposal", DealStatus.OPEN, None, None)


@pytest.mark.parametrize("amount", ["-5", "lots", "NaN"])
def test_bad_amounts_are_refused(session, rep, acme, amount):
    with pytest.raises(BadInput):
        _deal(session, rep, acme, amount=amount)


def test_unknown_stage_lists_the_real_ones(session, rep, acme):
    with pytest.raises(BadInput, match="lead, qualified, demo"):
        _deal(session, rep, acme, stage="pondering")


def test_updating_nothing_writes_no_audit_row(session, rep, acme):
    deal = _deal(session, rep, acme)
    before = session.scalar(select(func.count(AuditEntry.id)))
    assert deals.update_deal(session, actor=rep, deal=deal, stage="demo") is False
    assert session.scalar(select(func.count(AuditEntry.id))) == before


def test_timeline_shows_activities_stage_moves_and_tasks_newest_first(session, rep, acme):
    jane = contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Jane Doe",
                                   account_id=acme.id)
    deal = _deal(session, rep, acme)
    activities.log_activity(session, actor=rep, team_id=rep.team_id, kind="call",
                            body="budget approved", contact=jane,
                            occurred_at=NOW + dt.timedelta(hours=1))
    deals.update_deal(session, actor=rep, deal=deal, stage="proposal",
                      now=NOW + dt.timedelta(hours=2))
    items = timeline.timeline(session, team_id=rep.team_id, account_id=acme.id,
                              include_tasks=False)
    assert [i.kind for i in items] == ["stage", "call", "stage"]
    assert items[1].text == "budget approved" and items[1].contact == "Jane Doe"
    assert items[1].ref.startswith("activity:")
    # the contact's own timeline has the call but not the deal's stage moves
    mine = timeline.timeline(session, team_id=rep.team_id, contact_id=jane.id)
    assert [i.kind for i in mine] == ["call"]


def test_activity_on_a_contact_lands_on_its_account(session, rep, acme):
    jane = contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Jane",
                                   account_id=acme.id)
    act = activities.log_activity(session, actor=rep, team_id=rep.team_id, kind="meeting",
                                  body="demo went well", contact=jane)
    assert act.account_id == acme.id


@pytest.mark.parametrize("body", ["", "   "])
def test_empty_activity_is_refused(session, rep, body):
    with pytest.raises(BadInput):
        activities.log_activity(session, actor=rep, team_id=rep.team_id, kind="note", body=body)


def test_pipeline_by_stage_counts_amounts_and_weights(session, rep, acme):
    _deal(session, rep, acme, title="A", amount=10_000, stage="demo")
    _deal(session, rep, acme, title="B", amount=30_000, stage="demo")
    _deal(session, rep, acme, title="C", amount=100_000, stage="negotiation")
    won = _deal(session, rep, acme, title="D", amount=20_000, stage="proposal")
    deals.update_deal(session, actor=rep, deal=won, status="won", now=NOW + dt.timedelta(days=10))
    rows = reports.pipeline_report(session, team_id=rep.team_id,
                                   where=PipelineFilter(status=DealStatus.OPEN), group_by="stage")
    assert [(r.key, r.count, r.amount, r.weighted_amount) for r in rows] == [
        ("demo", 2, Decimal("40000.00"), Decimal("16000.00")),
        ("negotiation", 1, Decimal("100000.00"), Decimal("80000.00")),
    ]
    [everything] = reports.pipeline_report(session, team_id=rep.team_id)
    assert everything.count == 4 and everything.won == 1 and everything.win_rate == 1.0
    assert everything.cycle_days == pytest.approx(10, abs=0.01)


def test_pipeline_filters_by_owner_period_and_groups_by_owner(session, rep, acme):
    other = make_user(session, "Nate Cole")
    _deal(session, rep, acme, title="Mine", amount=10_000, close_date=dt.date(2026, 12, 5))
    deals.create_deal(session, actor=other, team_id=rep.team_id, title="His", amount=5_000,
                      stage="lead", close_date=dt.date(2027, 2, 1))
    december = PipelineFilter(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))
    [row] = reports.pipeline_report(session, team_id=rep.team_id, where=december)
    assert row.count == 1 and row.amount == Decimal("10000.00")
    by_owner = reports.pipeline_report(session, team_id=rep.team_id, group_by="owner")
    assert [(r.label, r.count) for r in by_owner] == [("Sam Rivera", 1), ("Nate Cole", 1)]
    mine = PipelineFilter(owner_ids=(other.id,))
    assert reports.pipeline_report(session, team_id=rep.team_id, where=mine)[0].count == 1


def test_tasks_due_today_overdue_and_week_in_the_users_zone(session, rep):
    def task(title, due):
        return tasks.create_task(session, actor=rep, team_id=rep.team_id, title=title, due_at=due)

    # now: Wednesday 2026-11-18 10:00 in New York (15:00 UTC)
    task("overdue", NOW - dt.timedelta(days=2))
    task("today late", dt.datetime(2026, 11, 19, 4, 0, tzinfo=dt.UTC))  # 23:00 NY on the 18th
    task("friday", dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC))
    task("next month", dt.datetime(2026, 12, 20, 14, 0, tzinfo=dt.UTC))

    def titles(scope):
        return [t.title for t in tasks.open_tasks(session, team_id=rep.team_id,
                                                  assignee_ids=[rep.id], scope=scope, now=NOW,
                                                  tz="America/New_York")]

    assert titles("overdue") == ["overdue"]
    assert titles("today") == ["overdue", "today late"]
    assert titles("week") == ["overdue", "today late", "friday"]
    assert titles("all") == ["overdue", "today late", "friday", "next month"]
    with pytest.raises(BadInput):
        titles("someday")


@pytest.mark.parametrize("moment", list(clock.MOMENTS))
def test_coming_tasks_are_the_next_seven_days_whatever_the_weekday(session, rep, moment):
    now = clock.MOMENTS[moment]
    today = now.date()

    def due(days: int, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour),
                                   now.tzinfo).astimezone(dt.UTC)

    for title, when in [("yesterday", due(-1)), ("tomorrow", due(1)),
                        ("in six days", due(6, 23)), ("in seven days", due(7, 0))]:
        tasks.create_task(session, actor=rep, team_id=rep.team_id, title=title, due_at=when)
    coming = tasks.open_tasks(session, team_id=rep.team_id, assignee_ids=[rep.id],
                              scope="coming", now=now.astimezone(dt.UTC), tz=str(now.tzinfo))
    assert [t.title for t in coming] == ["yesterday", "tomorrow", "in six days"]


def test_reminder_is_claimed_once_and_again_only_after_its_lease(session, rep):
    t = tasks.create_task(session, actor=rep, team_id=rep.team_id, title="call back",
                          due_at=NOW - dt.timedelta(minutes=1))
    assert tasks.claim_due_reminders(session, worker="a", now=NOW) == [t.id]
    assert tasks.claim_due_reminders(session, worker="b", now=NOW) == []
    # worker a crashed: once its lease is over, b takes the reminder over
    later = NOW + dt.timedelta(minutes=6)
    assert tasks.claim_due_reminders(session, worker="b", now=later) == [t.id]
    assert tasks.finish_reminder(session, task_id=t.id, worker="a", sent=True) is False
    assert tasks.finish_reminder(session, task_id=t.id, worker="b", sent=True) is True
    assert tasks.claim_due_reminders(session, worker="c", now=later + dt.timedelta(hours=1)) == []


def test_completed_tasks_are_not_reminded(session, rep):
    t = tasks.create_task(session, actor=rep, team_id=rep.team_id, title="x",
                          due_at=NOW - dt.timedelta(minutes=1))
    tasks.complete_task(session, actor=rep, task=t, now=NOW)
    assert t.status == TaskStatus.DONE
    assert tasks.claim_due_reminders(session, worker="a", now=NOW) == []


def test_snooze_moves_the_reminder(session, rep):
    t = tasks.create_task(session, actor=rep, team_id=rep.team_id, title="x",
                          due_at=NOW - dt.timedelta(minutes=1))
    tasks.snooze_task(session, actor=rep, task=t, until=NOW + dt.timedelta(hours=1))
    assert tasks.claim_due_reminders(session, worker="a", now=NOW) == []
    claimed = tasks.claim_due_reminders(session, worker="a", now=NOW + dt.timedelta(hours=1))
    assert claimed == [t.id]


def test_every_write_is_audited_with_before_and_after(session, rep, acme):
    audit.set_source(session, "slack:Ev123")
    deal = _deal(session, rep, acme)
    deals.update_deal(session, actor=rep, deal=deal, amount=70_000)
    [update] = session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "deal", AuditEntry.action == "update")).all()
    assert update.before["amount"] == "50000.00" and update.after["amount"] == "70000.00"
    assert update.actor_id == rep.id and update.source == "slack:Ev123"


def test_undo_reverts_the_last_command_only(session, rep, acme):
    deal = _deal(session, rep, acme)
    session.info.pop("audit_batch", None)  # next command
    jane = contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Jane")
    activities.log_activity(session, actor=rep, team_id=rep.team_id, kind="call",
                            body="intro call", contact=jane)
    deals.update_deal(session, actor=rep, deal=deal, stage="proposal")
    session.info.pop("audit_batch", None)

    undone = audit.undo_last(session, actor=rep)
    assert {e.entity_type for e in undone} == {"contact", "activity", "deal", "deal_change"}
    session.expire_all()
    assert session.get(Deal, deal.id).stage == "demo"
    assert contacts.find_contacts(session, team_id=rep.team_id, name="Jane") == []
    assert session.scalar(select(func.count(Activity.id))) == 0
    assert len(session.get(Deal, deal.id).history) == 1
    # the next undo takes back the command before: the deal's creation
    session.info.pop("audit_batch", None)
    audit.undo_last(session, actor=rep)
    assert session.get(Deal, deal.id) is None
    session.info.pop("audit_batch", None)
    with pytest.raises(NotFound):
        audit.undo_last(session, actor=rep)


def test_undo_is_per_user(session, rep, acme):
    other = make_user(session, "Nate Cole")
    _deal(session, rep, acme)
    with pytest.raises(NotFound):
        audit.undo_last(session, actor=other)


def test_undo_restores_a_deleted_record(session, rep, acme):
    t = tasks.create_task(session, actor=rep, team_id=rep.team_id, title="call back")
    session.info.pop("audit_batch", None)
    audit.deleted(session, t, actor=rep)
    session.info.pop("audit_batch", None)
    audit.undo_last(session, actor=rep)
    assert session.get(Task, t.id).title == "call back"


def test_an_occurrence_is_claimed_by_one_worker_until_its_lease_ends(session):
    from crm_store.services import deliveries

    def claim(worker, now):
        return deliveries.claim(session, team_id="T", key="digest:1:2026-11-18", kind="digest",
                                worker=worker, now=now)

    assert claim("a", NOW) is True
    assert claim("b", NOW) is False
    assert claim("b", NOW + dt.timedelta(minutes=6)) is True  # a died before sending
    assert deliveries.finish(session, team_id="T", key="digest:1:2026-11-18", worker="a",
                             sent=True) is False
    assert deliveries.finish(session, team_id="T", key="digest:1:2026-11-18", worker="b",
                             sent=True) is True
    assert claim("c", NOW + dt.timedelta(days=1)) is False  # sent: never again
