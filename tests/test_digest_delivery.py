"""Digests reach their channel: at the local time, once, with figures equal to the store's
pipeline queries; late after downtime (the latest only); an invite hint when not a member."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.assistant import format as fmt
from bot.assistant.types import Reply
from crm_store.models import (
    LOCAL_TEAM,
    Contact,
    DealStatus,
    Delivery,
    DigestSubscription,
    OutboundDelivery,
    User,
)
from crm_store.services import accounts, contacts, deals, digests, tasks
from crm_store.services.reports import PipelineFilter, pipeline_report
from scheduler.digests import collect_digest, deliver_digests, latest_occurrence
from tests.conftest import make_settings, make_user

NY = ZoneInfo("America/New_York")
PNG = b"\x89PNG\r\n\x1a\n"


def local(y, m, d, h, mi=0, s=0):
    return dt.datetime(y, m, d, h, mi, s, tzinfo=NY).astimezone(dt.UTC)


# Wednesday 2026-12-02, 08:00 in New York; the last digest went out a day earlier.
DUE = local(2026, 12, 2, 8)
LAST = local(2026, 12, 1, 8)


class Outbox:
    """Records posts, DMs and uploads; `post_errors` are raised by the next posts."""

    def __init__(self, post_errors=()):
        self.posts: list[tuple[str, Reply]] = []
        self.dms: list[tuple[str, Reply]] = []
        self.uploads: list[tuple[str, str, bytes]] = []
        self.post_errors = list(post_errors)

    def dm(self, user, reply):
        self.dms.append((user.name, reply))

    def post(self, team_id, channel, reply):
        if self.post_errors:
            raise self.post_errors.pop(0)
        self.posts.append((channel, reply))

    def upload(self, team_id, channel, *, filename, content, title):
        self.uploads.append((channel, filename, content))


def subscribe(database, *, cadence="daily", weekday=None, created=LAST - dt.timedelta(hours=1),
              last_sent=LAST):
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        sub, _ = digests.subscribe(s, actor=sam, team_id=LOCAL_TEAM, channel="sales",
                                   cadence=cadence, time_of_day="08:00", weekday=weekday,
                                   tz="America/New_York", now=created)
        if last_sent is not None:  # as if that digest went out
            sub.last_sent_at, sub.next_run_at = last_sent, digests.next_run(sub, last_sent)
        return sub.id


@pytest.fixture
def book(database):
    """A small pipeline with a day of changes around the digest due on Wed Dec 2."""
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        ana = make_user(s, "Ana Lima")
        team = LOCAL_TEAM
        acme = accounts.create_account(s, actor=sam, team_id=team, name="Acme")
        earlier = local(2026, 11, 20, 10)

        def deal(title, amount, stage, owner, close=None, when=earlier):
            return deals.create_deal(s, actor=owner, team_id=team, title=title, amount=amount,
                                     stage=stage, account_id=acme.id, close_date=close,
                                     owner_id=owner.id, now=when)

        expansion = deal("Acme expansion", 50_000, "qualified", sam, dt.date(2026, 12, 4))
        globex = deal("Globex pilot", 20_000, "lead", ana, dt.date(2026, 12, 10))
        initech = deal("Initech renewal", 30_000, "negotiation", sam, dt.date(2026, 12, 15))
        umbrella = deal("Umbrella trial", 15_000, "lead", ana)
        deal("Hooli platform", 80_000, "lead", ana, when=local(2026, 12, 1, 13))
        deals.update_deal(s, actor=ana, deal=globex, stage="proposal",
                          now=local(2026, 11, 25, 9))  # before the last digest
        deals.update_deal(s, actor=sam, deal=expansion, stage="proposal",
                          now=local(2026, 12, 1, 10))
        deals.update_deal(s, actor=sam, deal=initech, status="won", now=local(2026, 12, 1, 15))
        deals.update_deal(s, actor=ana, deal=umbrella, status="lost", reason="budget cut",
                          now=local(2026, 12, 2, 7))
        for who, title, due in ((sam, "Send the SOW", local(2026, 11, 30, 9)),
                                (sam, "Call Tom", local(2026, 12, 1, 16)),
                                (ana, "Update the forecast", local(2026, 11, 28, 9)),
                                (sam, "Not yet due", local(2026, 12, 3, 9))):
            tasks.create_task(s, actor=who, team_id=team, title=title, due_at=due,
                              assignee_id=who.id, now=earlier)
        old = contacts.create_contact(s, actor=sam, team_id=team, name="Old Contact")
        new = contacts.create_contact(s, actor=sam, team_id=team, name="Priya Shah",
                                      account_id=acme.id)
        old.created_at, new.created_at = local(2026, 11, 1, 9), local(2026, 12, 1, 11)
    return subscribe(database)


def fields(reply):
    return dict(reply.fields)


def test_the_digest_holds_the_numbers_and_the_changes_since_the_last_one(database, book):
    box = Outbox()
    now = DUE + dt.timedelta(seconds=30)
    assert deliver_digests(database, box, worker="w", now=now) == 1
    [(channel, reply)] = box.posts
    assert channel == "sales" and not box.uploads  # daily: no chart
    with database.session(readonly=True) as s:
        [report] = pipeline_report(s, team_id=LOCAL_TEAM,
                                   where=PipelineFilter(status=DealStatus.OPEN))
        sub = s.get(DigestSubscription, book)
        data = collect_digest(s, sub, now=now, occurrence=DUE, hot_threshold=70)
    # Figures equal the store's pipeline query, to the cent.
    assert (data.total.count, data.total.amount, data.total.weighted_amount) == (
        report.count, report.amount, report.weighted_amount) == (3, 150_000, report.weighted_amount)
    assert f"Open pipeline: *{fmt.money(report.amount)}* (weighted " \
           f"*{fmt.money(report.weighted_amount)}*) across 3 deals" in reply.text
    assert reply.text.startswith("📊 *Daily digest* for #sales — Wed Dec 2")
    got = fields(reply)
    assert got["New deals"] == "• Hooli platform — $80,000 (Lead, Ana Lima)"
    assert got["Stage moves"] == "• Acme expansion: Qualified → Proposal"  # Globex moved earlier
    assert got["Won ($30,000)"] == "• Initech renewal — $30,000 (Sam Rivera)"
    assert got["Lost ($15,000)"] == "• Umbrella trial — $15,000 (budget cut)"
    # This week is Mon Nov 30 – Sun Dec 6 in New York: Globex closes the week after.
    assert got["Closing this week"] == "• Acme expansion — $50,000, Fri Dec 4 (Sam Rivera)"
    assert got["Overdue tasks"] == "• Sam Rivera: 2\n• Ana Lima: 1"
    assert got["New leads (1)"] == "• Priya Shah (Acme)"
    assert reply.context == ["Changes since yesterday, Tue Dec 1, 08:00 (America/New_York)."]


def test_a_daily_digest_goes_out_at_8_local_exactly_once_with_two_workers(database, book):
    box = Outbox()
    assert deliver_digests(database, box, worker="a", now=DUE - dt.timedelta(minutes=1)) == 0
    start = threading.Barrier(2)
    counts = []

    def work(name):
        start.wait()
        counts.append(deliver_digests(database, box, worker=name, now=DUE))

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == [0, 1] and len(box.posts) == 1
    assert deliver_digests(database, box, worker="b", now=DUE + dt.timedelta(minutes=1)) == 0
    with database.session(readonly=True) as s:
        sub = s.get(DigestSubscription, book)
        assert (sub.last_sent_at, sub.next_run_at) == (DUE, local(2026, 12, 3, 8))
    assert deliver_digests(database, box, worker="a", now=local(2026, 12, 3, 8)) == 1
    assert len(box.posts) == 2 and not box.posts[1][1].context[0].startswith("Late")


def test_what_was_missed_while_down_goes_out_once_on_start_marked_late(database, book):
    with database.session(readonly=True) as s:
        assert s.get(DigestSubscription, book).next_run_at == DUE
    back = local(2026, 12, 5, 10, 30)  # down from Wednesday to Saturday morning
    box = Outbox()
    assert deliver_digests(database, box, worker="w", now=back) == 1
    assert deliver_digests(database, box, worker="w", now=back + dt.timedelta(minutes=1)) == 0
    [(_, reply)] = box.posts
    assert reply.context[0] == "Late: this digest was due Sat Dec 5, 2026, 08:00 while I was " \
                               "offline."
    assert reply.context[1].startswith("Changes since Tue Dec 1, 08:00")
    with database.session(readonly=True) as s:
        sub = s.get(DigestSubscription, book)
        assert sub.next_run_at == local(2026, 12, 6, 8)
        keys = list(s.scalars(select(OutboundDelivery.key)))
    assert keys == [f"digest:{book}:{local(2026, 12, 5, 8).isoformat()}"]


def test_latest_occurrence_is_the_newest_run_not_after_now():
    sub = DigestSubscription(cadence="daily", time_of_day=dt.time(8), tz="America/New_York",
                             next_run_at=DUE)
    assert latest_occurrence(sub, DUE) == DUE
    assert latest_occurrence(sub, local(2026, 12, 4, 7, 59)) == local(2026, 12, 3, 8)
    assert latest_occurrence(sub, local(2026, 12, 4, 8)) == local(2026, 12, 4, 8)


def test_a_weekly_digest_uploads_the_funnel_chart(database, book):
    with database.session() as s:  # switch the channel to a Monday digest
        s.get(DigestSubscription, book).active = False
    weekly = subscribe(database, cadence="weekly", weekday="monday", last_sent=None)
    monday = local(2026, 12, 7, 8)
    box = Outbox()
    assert deliver_digests(database, box, worker="w", now=monday) == 1
    [(channel, reply)] = box.posts
    assert reply.text.startswith("📊 *Weekly digest* for #sales")
    [(up_channel, filename, content)] = box.uploads
    assert up_channel == "sales" and filename.endswith(".png") and content.startswith(PNG)
    # No previous digest: the changes cover one week back.
    assert reply.context == ["Changes since Mon Nov 30, 08:00 (America/New_York)."]
    with database.session(readonly=True) as s:
        assert s.get(DigestSubscription, weekly).next_run_at == local(2026, 12, 14, 8)


def test_funnel_figures_come_from_the_stage_report(database, book):
    with database.session(readonly=True) as s:
        sub = s.get(DigestSubscription, book)
        sub.cadence = "weekly"
        data = collect_digest(s, sub, now=DUE, occurrence=DUE, hot_threshold=70)
        rows = pipeline_report(s, team_id=LOCAL_TEAM, where=PipelineFilter(
            status=DealStatus.OPEN), group_by="stage")
        s.rollback()
    assert data.funnel == [(r.label, r.count, float(r.amount)) for r in rows]
    assert [label for label, _, _ in data.funnel] == ["Lead", "Proposal"]


def not_in_channel():
    return SlackApiError("The request to the Slack API failed.",
                         {"ok": False, "error": "not_in_channel"})


def test_not_in_the_channel_tells_the_subscriber_once_how_to_invite(database, book):
    box = Outbox(post_errors=[not_in_channel(), not_in_channel()])
    assert deliver_digests(database, box, worker="w", now=DUE) == 0
    assert deliver_digests(database, box, worker="w", now=local(2026, 12, 3, 8)) == 0
    [(who, hint)] = box.dms
    assert who == "Sam Rivera" and not hint.ok
    assert "not a member of that channel" in hint.text and "`/invite @salesbot` in #sales" \
        in hint.text
    with database.session(readonly=True) as s:
        sub = s.get(DigestSubscription, book)
        # Moved on without pretending it was sent: the next digest covers these changes.
        assert (sub.next_run_at, sub.last_sent_at) == (local(2026, 12, 4, 8), LAST)
        states = dict(s.execute(select(OutboundDelivery.key, OutboundDelivery.state)).all())
    assert states[f"digest:{book}:{DUE.isoformat()}"] == Delivery.SKIPPED
    assert states[f"digest-invite:{book}"] == Delivery.SENT
    # Once invited, the next one arrives.
    assert deliver_digests(database, box, worker="w", now=local(2026, 12, 4, 8)) == 1
    assert box.posts[0][1].context[-1].startswith("Changes since Tue Dec 1, 08:00")


def test_another_failure_is_retried_after_the_lease(database, book):
    box = Outbox(post_errors=[ConnectionError("slack is down")])
    assert deliver_digests(database, box, worker="w", now=DUE) == 0
    assert deliver_digests(database, box, worker="w", now=DUE + dt.timedelta(minutes=1)) == 0
    assert deliver_digests(database, box, worker="w", now=DUE + dt.timedelta(minutes=6)) == 1
    assert len(box.posts) == 1 and not box.dms


def test_a_switched_off_digest_is_not_sent(database, book):
    with database.session() as s:
        subscriber = s.get(User, s.get(DigestSubscription, book).created_by_id)
        digests.unsubscribe(s, actor=subscriber, team_id=LOCAL_TEAM, channel="sales")
    assert deliver_digests(database, Outbox(), worker="w", now=DUE) == 0


def test_new_leads_are_contacts_created_since_the_last_digest(database, book):
    with database.session(readonly=True) as s:
        names = {c.name: c.created_at for c in s.scalars(select(Contact))}
    assert names["Priya Shah"] > LAST > names["Old Contact"]


def test_the_runner_schedules_alerts_digests_and_the_nightly_rescore(database, book):
    from scheduler.runner import Jobs

    box = Outbox()
    jobs = Jobs(db=database, notifier=box, settings=make_settings(hot_lead_channel="sales"),
                worker="w", clock=lambda: DUE)
    intervals = {name: seconds for name, _, seconds in jobs.schedule()}
    assert {k: intervals[k] for k in ("alerts", "digests", "rescore")} == {
        "alerts": 10, "digests": 60, "rescore": 3600}
    jobs.run_all_due()  # what is due on start goes out at once
    assert [channel for channel, _ in box.posts] == ["sales"]
    with database.session(readonly=True) as s:
        kinds = set(s.scalars(select(OutboundDelivery.kind)))
    assert {"digest", "rescore"} <= kinds
