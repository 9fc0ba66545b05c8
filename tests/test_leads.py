"""Lead scores in the store, and the hot_leads executor with its Draft email buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text, update

from bot.assistant.context import EXECUTORS, PRESS_HANDLERS, Ctx
from bot.assistant.core import execute
from bot.assistant.types import Reply
from bot.nlu.actions import DraftEmail, HotLeads
from crm_store.db import make_engine, upgrade
from crm_store.errors import NotFound
from crm_store.models import Activity, LeadScore, Lifecycle
from crm_store.scoring import MARK_BITS, note_marks
from crm_store.services import accounts, activities, contacts, deals, leads
from tests.conftest import make_settings, make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


def _ctx(session, user, now=NOW) -> Ctx:
    return Ctx(session=session, user=user, now=now, settings=make_settings(), source_id="t1")


def _log(session, user, contact, body, days_ago, kind="call", deal=None):
    return activities.log_activity(session, actor=user, team_id=user.team_id, kind=kind,
                                   body=body, occurred_at=NOW - dt.timedelta(days=days_ago),
                                   contact=contact, deal=deal)


@pytest.fixture
def book(session, rep):
    """Priya is hot (signals, a big late-stage deal), Tom lukewarm, Ana cold."""
    northwind = accounts.create_account(session, actor=rep, team_id=rep.team_id,
                                        name="Northwind", owner_id=rep.id)
    globex = accounts.create_account(session, actor=rep, team_id=rep.team_id, name="Globex")
    priya = contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Priya Shah",
                                    account_id=northwind.id)
    tom = contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Tom Becker",
                                  account_id=globex.id)
    ana = contacts.create_contact(session, actor=rep, team_id=rep.team_id, name="Ana Lima")
    big = deals.create_deal(session, actor=rep, team_id=rep.team_id, title="Northwind rollout",
                            account_id=northwind.id, contact_id=priya.id, amount=120_000,
                            stage="negotiation", now=NOW - dt.timedelta(days=2))
    deals.create_deal(session, actor=rep, team_id=rep.team_id, title="Globex pilot",
                      account_id=globex.id, amount=20_000, stage="qualified",
                      now=NOW - dt.timedelta(days=40))
    _log(session, rep, priya, "Budget approved, legal review of the contract next week", 1,
         deal=big)
    _log(session, rep, priya, "She replied asking for pricing for 200 seats", 0, kind="email")
    _log(session, rep, tom, "Intro call, evaluating 3 vendors", 12)
    _log(session, rep, ana, "Met at a conference", 150, kind="meeting")
    return {"priya": priya, "tom": tom, "ana": ana, "big": big}


def test_rescore_ranks_and_explains(session, rep, book):
    rows = leads.rescore(session, team_id=rep.team_id, now=NOW)
    by_contact = {r.entity_id: r for r in rows if r.entity_type == "contact"}
    priya, tom, ana = (by_contact[book[k].id] for k in ("priya", "tom", "ana"))
    assert priya.score > tom.score > ana.score
    texts = [text for text, _ in leads.reasons_of(priya)]
    assert any(t.startswith("Budget approved") for t in texts)
    assert any("Negotiation (80%)" in t for t in texts)
    assert sum(p for _, p in leads.reasons_of(priya)) == priya.score
    deal_scores = {r.entity_id: r.score for r in rows if r.entity_type == "deal"}
    assert len(deal_scores) == 2  # both open deals
    assert deal_scores[book["big"].id] == max(deal_scores.values())


def test_rescore_returns_plain_rows_that_match_the_stored_ones(session, rep, book):
    rows = leads.rescore(session, team_id=rep.team_id, now=NOW)
    stored = {(r.entity_type, r.entity_id): r for r in session.scalars(select(LeadScore))}
    assert len(stored) == len(rows) == 5  # three contacts, two open deals
    for row in rows:
        again = stored[(row.entity_type, row.entity_id)]
        assert (again.score, leads.reasons_of(again), again.computed_at) == (
            row.score, leads.reasons_of(row), NOW)


def test_rescore_upserts_and_keeps_the_alert_state(session, rep, book):
    leads.rescore(session, team_id=rep.team_id, now=NOW)
    row = session.scalar(select(LeadScore).where(LeadScore.entity_type == "contact",
                                                 LeadScore.entity_id == book["priya"].id))
    row.last_alerted_at = NOW
    first = row.score
    later = NOW + dt.timedelta(days=30)
    leads.rescore(session, team_id=rep.team_id, now=later)
    rows = list(session.scalars(select(LeadScore).where(LeadScore.entity_type == "contact",
                                                        LeadScore.entity_id == book["priya"].id)))
    assert len(rows) == 1 and rows[0] is row
    assert row.score < first  # same facts, a month older
    assert row.last_alerted_at == NOW and row.computed_at == later


def test_rescore_some_contacts_only(session, rep, book):
    rows = leads.rescore(session, team_id=rep.team_id, contact_ids=[book["priya"].id], now=NOW)
    assert {(r.entity_type, r.entity_id) for r in rows} == {
        ("contact", book["priya"].id), ("deal", book["big"].id)}
    assert leads.rescore(session, team_id=rep.team_id, contact_ids=[], now=NOW) == []


def test_account_deal_counts_for_its_contacts(session, rep, book):
    rows = leads.rescore(session, team_id=rep.team_id, contact_ids=[book["tom"].id], now=NOW)
    tom = next(r for r in rows if r.entity_type == "contact")
    assert any("Qualified (25%)" in text for text, _ in leads.reasons_of(tom))


def test_closed_deals_lose_their_scores(session, rep, book):
    leads.rescore(session, team_id=rep.team_id, now=NOW)
    deals.update_deal(session, actor=rep, deal=book["big"], status="won", now=NOW)
    leads.rescore(session, team_id=rep.team_id, now=NOW)
    assert session.scalar(select(LeadScore).where(LeadScore.entity_type == "deal",
                                                  LeadScore.entity_id == book["big"].id)) is None


def test_top_leads_best_first_with_owner_and_filters(session, rep, book):
    other = make_user(session, "Nate Brown")
    book["tom"].owner_id = other.id
    session.flush()
    leads.rescore(session, team_id=rep.team_id, now=NOW)
    top = leads.top_leads(session, team_id=rep.team_id, limit=2)
    assert [t.contact.name for t in top] == ["Priya Shah", "Tom Becker"]
    assert top[0].owner.id == rep.id and top[1].owner.id == other.id
    assert [t.contact.name for t in leads.top_leads(session, team_id=rep.team_id, limit=5,
                                                    owner_ids=[other.id])] == ["Tom Becker"]
    book["priya"].lifecycle = Lifecycle.DEAD
    session.flush()
    assert "Priya Shah" not in [t.contact.name for t in
                                leads.top_leads(session, team_id=rep.team_id, limit=5)]


def test_workspaces_are_apart(session, rep, book):
    leads.rescore(session, team_id=rep.team_id, now=NOW)
    assert leads.top_leads(session, team_id="T-elsewhere", limit=5) == []
    assert leads.rescore(session, team_id="T-elsewhere", now=NOW) == []


# ------------------------------------------------------------------ signal marks
def test_logging_an_activity_marks_its_signals_once(session, rep, book):
    activity = _log(session, rep, book["tom"], "He replied: budget approved, no PO yet", 0)
    assert activity.signal_marks == note_marks(activity.body)
    bits = {key for key, bit in MARK_BITS.items() if activity.signal_marks >> bit & 1}
    assert bits == {"budget", "inbound"}  # the negated PO does not count


def test_unmarked_activities_score_from_their_text(session, rep, book):
    """Rows written around log_activity (raw SQL, old imports) still score the same."""
    marked = {(r.entity_type, r.entity_id): (r.score, r.reasons)
              for r in leads.rescore(session, team_id=rep.team_id, now=NOW)}
    session.execute(update(Activity).values(signal_marks=None))
    unmarked = {(r.entity_type, r.entity_id): (r.score, r.reasons)
                for r in leads.rescore(session, team_id=rep.team_id, now=NOW)}
    assert unmarked == marked


def test_the_migration_marks_existing_activities(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004")
        notes = ["Budget approved", "she replied about pricing", "Left a voicemail"] * 700
        with engine.begin() as conn:  # more than one backfill batch
            conn.execute(text(
                "INSERT INTO activities (team_id, kind, body, occurred_at, created_at) "
                "VALUES ('T1', 'note', :body, :at, :at)"),
                [{"body": body, "at": NOW} for body in notes])
        upgrade(engine)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT body, signal_marks FROM activities")).all()
        assert len(found) == len(notes)
        assert all(marks == note_marks(body) for body, marks in found)
        assert {marks for _, marks in found} == {
            1 << MARK_BITS["budget"], 1 << MARK_BITS["pricing"] | 1 << MARK_BITS["inbound"], 0}
    finally:
        engine.dispose()


# ------------------------------------------------------------------ executor
def test_hot_leads_lists_scores_reasons_owner_and_draft_buttons(session, rep, book):
    reply = execute(_ctx(session, rep), [HotLeads(limit=2)])
    assert reply.ok and not reply.wrote
    assert "top: *Priya Shah*" in reply.text
    assert reply.table.columns == ("#", "Lead", "Score", "Owner", "Why")
    first = reply.table.rows[0]
    assert first[1] == "Priya Shah (Northwind)" and first[3] == "Sam Rivera"
    assert "Budget approved" in first[4] or "Last touch" in first[4]
    assert len(reply.table.rows) == 2
    assert [(b.action_id, b.value) for b in reply.buttons] == [
        (f"draft_email:{book['priya'].id}", str(book["priya"].id)),
        (f"draft_email:{book['tom'].id}", str(book["tom"].id))]
    row = session.scalar(select(LeadScore).where(LeadScore.entity_type == "contact",
                                                 LeadScore.entity_id == book["priya"].id))
    assert first[2] == str(row.score)


def test_hot_leads_defaults_to_five_and_says_when_there_are_fewer(session, rep, book):
    reply = execute(_ctx(session, rep), [HotLeads()])
    # Ana's one meeting was five months ago: nothing left of it to rank her by.
    assert [r[1] for r in reply.table.rows] == ["Priya Shah (Northwind)", "Tom Becker (Globex)"]
    assert "all I have" in reply.text


def test_no_leads_is_said_plainly(session, rep):
    reply = execute(_ctx(session, rep), [HotLeads()])
    assert reply.text.startswith("No hot leads yet")
    assert reply.buttons == []


def test_draft_button_hands_over_to_draft_email(session, rep, book, monkeypatch):
    seen = {}

    def fake_draft(ctx, action):
        seen["action"], seen["pinned"] = action, dict(ctx.pinned)
        return Reply("Draft: Hi Priya")

    monkeypatch.setitem(EXECUTORS, "draft_email", fake_draft)
    reply = PRESS_HANDLERS["draft_email"](_ctx(session, rep), str(book["priya"].id))
    assert reply.text == "Draft: Hi Priya"
    assert isinstance(seen["action"], DraftEmail)
    assert (seen["action"].contact, seen["action"].account) == ("Priya Shah", "Northwind")
    assert seen["pinned"]["contact"] == book["priya"].id


def test_draft_button_without_a_drafter_replies_politely(session, rep, book, monkeypatch):
    monkeypatch.delitem(EXECUTORS, "draft_email", raising=False)
    reply = PRESS_HANDLERS["draft_email"](_ctx(session, rep), str(book["priya"].id))
    assert not reply.ok and "can't draft emails yet" in reply.text


def test_draft_button_for_a_contact_of_another_workspace(session, rep, book):
    stranger = make_user(session, "Eve Else", team_id="T-other")
    with pytest.raises(NotFound):
        PRESS_HANDLERS["draft_email"](_ctx(session, stranger), str(book["priya"].id))
