"""Hot-lead alerts: once per cooldown, to the channel and the owner, recovered after a crash;
the Claim and Snooze buttons; scores that follow every logged activity."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from bot.assistant.core import Assistant
from bot.assistant.types import Person, Press
from bot.nlu.actions import LogActivity
from crm_store.models import (
    LOCAL_TEAM,
    AuditEntry,
    Contact,
    Delivery,
    LeadScore,
    OutboundDelivery,
    User,
)
from crm_store.services import accounts, activities, contacts, deals, leads
from scheduler.alerts import claim_alerts, hot_lead_alerts, nightly_rescore, parse_key
from tests.conftest import make_settings, make_user
from tests.test_scheduler import Outbox

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
THRESHOLD = 70


def minutes(n: float) -> dt.datetime:
    return NOW + dt.timedelta(minutes=n)


@pytest.fixture
def book(database):
    """Priya (Northwind, owned through the account by Sam) is hot; Tom is lukewarm."""
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        northwind = accounts.create_account(s, actor=sam, team_id=LOCAL_TEAM, name="Northwind",
                                            owner_id=sam.id)
        priya = contacts.create_contact(s, actor=sam, team_id=LOCAL_TEAM, name="Priya Shah",
                                        account_id=northwind.id, owner_id=None,
                                        email="priya@northwind.example")
        tom = contacts.create_contact(s, actor=sam, team_id=LOCAL_TEAM, name="Tom Becker",
                                      owner_id=sam.id)
        big = deals.create_deal(s, actor=sam, team_id=LOCAL_TEAM, title="Northwind rollout",
                                account_id=northwind.id, contact_id=priya.id, amount=120_000,
                                stage="negotiation", now=NOW - dt.timedelta(days=2))
        deals.create_deal(s, actor=sam, team_id=LOCAL_TEAM, title="Small pilot", amount=10_000,
                          stage="qualified", now=NOW - dt.timedelta(days=30))
        for body, days, kind in (
                ("Budget approved, legal review of the contract next week", 1, "call"),
                ("She replied asking for pricing for 200 seats, CFO joins", 0, "email"),
                ("Demo went well, timeline set for a January go-live", 3, "meeting")):
            activities.log_activity(s, actor=sam, team_id=LOCAL_TEAM, kind=kind, body=body,
                                    occurred_at=NOW - dt.timedelta(days=days), contact=priya,
                                    deal=big)
        activities.log_activity(s, actor=sam, team_id=LOCAL_TEAM, kind="call",
                                body="Intro call", occurred_at=NOW - dt.timedelta(days=12),
                                contact=tom)
        leads.rescore(s, team_id=LOCAL_TEAM, now=NOW)
        scores = {r.entity_id: r.score for r in s.scalars(
            select(LeadScore).where(LeadScore.entity_type == "contact"))}
        assert scores[priya.id] >= THRESHOLD > scores[tom.id]
        return {"sam": sam, "priya": priya.id, "tom": tom.id, "big": big.id}


def run(database, box, when, *, worker="w", channel="sales"):
    return hot_lead_alerts(database, box, worker=worker, threshold=THRESHOLD, channel=channel,
                           now=when)


def test_a_hot_lead_is_posted_once_and_its_owner_gets_a_dm(database, book):
    box = Outbox()
    assert run(database, box, NOW) == 2
    assert run(database, box, minutes(1)) == 0
    assert [who for who, _ in box.sent] == ["#sales", "Sam Rivera"]
    (_, post), (_, dm) = box.sent
    assert "Hot lead: *Priya Shah* (Northwind)" in post.text
    assert "Your lead *Priya Shah* (Northwind) just turned hot" in dm.text
    pid = str(book["priya"])
    for reply in (post, dm):
        assert [(b.label, b.action_id, b.value) for b in reply.buttons] == [
            ("Claim", f"lead_claim:{pid}", pid), ("Snooze", f"lead_snooze:{pid}", pid),
            ("Draft email", f"draft_email:{pid}", pid)]
        why = dict(reply.fields)["Why"]
        assert "Budget approved" in why and why.count("•") == 3
        assert dict(reply.fields)["Owner"] == "Sam Rivera"
        assert not reply.context  # on time
    with database.session(readonly=True) as s:
        states = {d.key: d.state for d in s.scalars(select(OutboundDelivery))}
    assert set(states.values()) == {Delivery.SENT}
    assert parse_key(next(k for k in states if k.endswith(":owner"))) == (
        "contact", book["priya"], NOW, "owner")


def test_no_repeat_inside_the_cooldown_but_again_after_it(database, book):
    box = Outbox()
    assert run(database, box, NOW) == 2
    assert run(database, box, NOW + dt.timedelta(days=2, hours=23)) == 0
    assert run(database, box, NOW + dt.timedelta(days=3)) == 2
    assert run(database, box, NOW + dt.timedelta(days=3, minutes=1)) == 0
    assert len(box.sent) == 4


def test_without_a_channel_only_the_owner_hears(database, book):
    box = Outbox()
    assert run(database, box, NOW, channel=None) == 1
    assert [who for who, _ in box.sent] == ["Sam Rivera"]


def test_snoozed_leads_are_skipped_until_the_snooze_ends(database, book):
    with database.session() as s:
        row = s.scalar(select(LeadScore).where(LeadScore.entity_type == "contact",
                                               LeadScore.entity_id == book["priya"]))
        row.snoozed_until = NOW + dt.timedelta(days=7)
    box = Outbox()
    assert run(database, box, NOW) == 0
    assert run(database, box, NOW + dt.timedelta(days=7)) == 2


def test_a_dead_contact_is_never_alerted(database, book):
    with database.session() as s:
        contacts.update_contact(s, actor=None, contact=s.get(Contact, book["priya"]),
                                lifecycle="dead")
    assert run(database, Outbox(), NOW) == 0


def test_a_crash_between_claim_and_send_is_recovered_without_a_duplicate(database, book):
    with database.session() as s:  # worker "dead" claims, then dies before sending
        [(alert, keys)] = claim_alerts(s, worker="dead", threshold=THRESHOLD, now=NOW,
                                       channel="sales")
        assert alert.name == "Priya Shah" and len(keys) == 2
    box = Outbox()
    assert run(database, box, minutes(1), worker="alive") == 0  # lease still running
    assert run(database, box, minutes(6), worker="alive") == 2  # taken over, rebuilt
    assert run(database, box, minutes(12), worker="alive") == 0
    assert run(database, box, minutes(12), worker="other") == 0
    assert [who for who, _ in box.sent] == ["#sales", "Sam Rivera"]
    assert "Priya Shah" in box.sent[0][1].text
    with database.session(readonly=True) as s:
        rows = list(s.scalars(select(OutboundDelivery)))
        assert {(r.state, r.claimed_by, r.attempts) for r in rows} == {
            (Delivery.SENT, "alive", 2)}


def test_a_failed_dm_is_retried_and_the_channel_post_is_not_repeated(database, book):
    box = Outbox(fail_times=1)  # the DM fails once
    assert run(database, box, NOW) == 1
    assert run(database, box, minutes(6)) == 1
    assert [who for who, _ in box.sent] == ["#sales", "Sam Rivera"]


def test_two_workers_alert_exactly_once(database, book):
    box = Outbox()
    start = threading.Barrier(4)

    def work(name):
        start.wait()
        run(database, box, NOW, worker=name)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(who for who, _ in box.sent) == ["#sales", "Sam Rivera"]


def test_a_lone_deal_is_alerted_with_claim_and_snooze(database, book):
    with database.session() as s:
        row = s.scalar(select(LeadScore).where(LeadScore.entity_type == "deal",
                                               LeadScore.entity_id != book["big"]))
        row.score, deal_id = 90, row.entity_id
    box = Outbox()
    run(database, box, NOW)
    posts = [r for who, r in box.sent if who == "#sales"]
    assert any("the deal *Small pilot*" in r.text for r in posts)
    [deal_post] = [r for r in posts if "Small pilot" in r.text]
    assert [(b.label, b.value) for b in deal_post.buttons] == [
        ("Claim", f"deal:{deal_id}"), ("Snooze", f"deal:{deal_id}")]
    # Priya's deal is carried by Priya: one lead, one alert.
    assert not any("Northwind rollout" in r.text for _, r in box.sent)


def test_the_nightly_rescore_runs_once_a_day_and_lets_scores_decay(database, book):
    def priya_score():
        with database.session(readonly=True) as s:
            return s.scalar(select(LeadScore.score).where(
                LeadScore.entity_type == "contact", LeadScore.entity_id == book["priya"]))

    before = priya_score()
    later = NOW + dt.timedelta(days=20)
    assert nightly_rescore(database, worker="a", now=later) == 1
    assert nightly_rescore(database, worker="b", now=later + dt.timedelta(hours=1)) == 0
    assert priya_score() < before  # nobody talked to her for three weeks
    assert nightly_rescore(database, worker="b", now=later + dt.timedelta(days=1)) == 1


# ------------------------------------------------------------------ buttons and activities
def _assistant(database) -> Assistant:
    return Assistant(database, make_settings(hot_lead_channel="sales"), engine=lambda *a, **k: [])


def _person(database, name, **kw) -> Person:
    with database.session() as s:
        user = make_user(s, name, **kw)
    return Person(team_id=LOCAL_TEAM, user_id=user.slack_user_id, name=name,
                  tz="America/New_York")


def _press(assistant, person, button, n=1):
    return assistant.press(Press(person=person, action_id=button.action_id, value=button.value,
                                 source_id=f"press-{person.user_id}-{button.action_id}-{n}",
                                 now=minutes(5)))


def test_claim_makes_the_presser_the_owner(database, book):
    box = Outbox()
    run(database, box, NOW)
    claim = box.sent[0][1].buttons[0]
    assistant = _assistant(database)
    ana = _person(database, "Ana Lima")
    reply = _press(assistant, ana, claim)
    assert reply.ok and "You own Priya Shah now" in reply.text
    assert [b.label for b in reply.buttons] == ["Undo"]
    with database.session(readonly=True) as s:
        priya = s.get(Contact, book["priya"])
        assert priya.owner.name == "Ana Lima"
        audit = s.scalar(select(AuditEntry).where(AuditEntry.entity_type == "contact",
                                                  AuditEntry.entity_id == priya.id,
                                                  AuditEntry.action == "update"))
        assert audit.after["owner_id"] == priya.owner_id
    # Someone else cannot take her from Ana; Ana pressing again is a no-op.
    tom = _person(database, "Tom Rep")
    taken = _press(assistant, tom, claim)
    assert not taken.ok and "belongs to Ana Lima" in taken.text
    again = _press(assistant, ana, claim, n=2)
    assert "You already own Priya Shah" in again.text


def test_snooze_silences_the_lead_for_a_week(database, book):
    with database.session() as s:  # re-alert due: the first alert was long ago
        row = s.scalar(select(LeadScore).where(LeadScore.entity_type == "contact",
                                               LeadScore.entity_id == book["priya"]))
        row.last_alerted_at = NOW - dt.timedelta(days=10)
    snooze = next(b for b in _alert_buttons(book) if b.label == "Snooze")
    sam = Person(team_id=LOCAL_TEAM, user_id=book["sam"].slack_user_id, name="Sam Rivera")
    reply = _press(_assistant(database), sam, snooze)
    assert reply.ok and reply.text.startswith("Snoozed: no hot-lead alerts about Priya Shah")
    with database.session(readonly=True) as s:
        until = s.scalar(select(LeadScore.snoozed_until).where(
            LeadScore.entity_type == "contact", LeadScore.entity_id == book["priya"]))
    assert until == minutes(5) + dt.timedelta(days=7)
    box = Outbox()
    assert run(database, box, NOW + dt.timedelta(days=6)) == 0
    assert run(database, box, NOW + dt.timedelta(days=7, minutes=6)) == 2


def _alert_buttons(book):
    from bot.assistant.executors.alerts import lead_buttons

    return lead_buttons("contact", book["priya"])


def test_draft_email_button_drafts_for_the_lead(database, book):
    draft = next(b for b in _alert_buttons(book) if b.label == "Draft email")
    sam = Person(team_id=LOCAL_TEAM, user_id=book["sam"].slack_user_id, name="Sam Rivera")
    reply = _press(_assistant(database), sam, draft)
    assert reply.ok and "Priya" in reply.text


def test_logging_an_activity_rescores_the_contact_on_the_next_alert_pass(database):
    assistant = _assistant(database)
    sam = _person(database, "Sam Rivera")
    with database.session() as s:
        user = s.scalar(select(User).where(User.slack_user_id == sam.user_id))
        acme = accounts.create_account(s, actor=user, team_id=LOCAL_TEAM, name="Acme")
        contacts.create_contact(s, actor=user, team_id=LOCAL_TEAM, name="Jane Doe",
                                account_id=acme.id)
    reply = assistant.perform(sam, [LogActivity(
        kind="call", contact="Jane Doe", account="Acme",
        summary="Budget approved, the CFO wants the contract and pricing by next week")],
        source_id="msg-1", now=NOW)
    assert reply.ok, reply.text
    with database.session(readonly=True) as s:
        assert s.scalar(select(LeadScore)) is None  # the message itself only queued it
    hot_lead_alerts(database, Outbox(), worker="w", threshold=THRESHOLD, channel=None, now=NOW)
    with database.session(readonly=True) as s:
        jane = s.scalar(select(Contact).where(Contact.name == "Jane Doe"))
        row = s.scalar(select(LeadScore).where(LeadScore.entity_type == "contact",
                                               LeadScore.entity_id == jane.id))
        assert row is not None and row.computed_at == NOW
        texts = [t for t, _ in leads.reasons_of(row)]
    assert any(t.startswith("Budget approved") for t in texts)
    assert any(t.startswith("Decision maker") for t in texts)


# ------------------------------------------------------------------ whole-workspace rescore
class _Undone(Exception):
    """Raised to roll a session back."""


def _stored(database) -> dict[tuple[str, int], tuple[int, dict, dt.datetime]]:
    with database.session(readonly=True) as s:
        return {(r.entity_type, r.entity_id): (r.score, r.reasons, r.computed_at)
                for r in s.scalars(select(LeadScore))}


def test_the_workspace_rescore_writes_what_rescore_writes_and_keeps_alert_state(database, book):
    later = NOW + dt.timedelta(days=5)
    with pytest.raises(_Undone), database.session() as s:  # what rescore would write
        expected = {(r.entity_type, r.entity_id): (r.score, r.reasons)
                    for r in leads.rescore(s, team_id=LOCAL_TEAM, now=later)}
        raise _Undone
    with database.session() as s:
        row = s.scalar(select(LeadScore).where(LeadScore.entity_id == book["priya"],
                                               LeadScore.entity_type == "contact"))
        row.last_alerted_at = NOW
    before = _stored(database)
    assert leads.rescore_workspace(database, team_id=LOCAL_TEAM, now=later) == len(expected)
    stored = _stored(database)
    assert {key: (score, reasons) for key, (score, reasons, _) in stored.items()} == expected
    for key, (score, reasons, at) in stored.items():  # computed_at: when it last changed
        changed = key not in before or before[key][:2] != (score, reasons)
        assert at == (later if changed else before[key][2])
    assert any(at == later for _, _, at in stored.values())
    # Run again at the same moment: nothing changed, nothing is rewritten.
    assert leads.rescore_workspace(database, team_id=LOCAL_TEAM, now=later + dt.timedelta(
        seconds=1)) == len(expected)
    assert _stored(database) == stored
    with database.session(readonly=True) as s:
        assert s.scalar(select(LeadScore.last_alerted_at).where(
            LeadScore.entity_id == book["priya"], LeadScore.entity_type == "contact")) == NOW


def test_a_workspace_rescore_that_fails_midway_leaves_the_scores_as_they_were(
        database, book, monkeypatch):
    before = _stored(database)
    scored = []

    def failing(facts, deal=None):
        if len(scored) == 3:
            raise RuntimeError("scoring broke")
        scored.append(facts)
        return real(facts, deal)

    real = leads.score_facts
    monkeypatch.setattr(leads, "UPSERT_BATCH", 1)  # the first scores are handed over already
    monkeypatch.setattr(leads, "score_facts", failing)
    with pytest.raises(RuntimeError, match="scoring broke"):
        leads.rescore_workspace(database, team_id=LOCAL_TEAM, now=NOW + dt.timedelta(days=9))
    assert _stored(database) == before
