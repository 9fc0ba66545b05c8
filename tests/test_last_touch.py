"""What is kept on accounts and deals for manager questions always equals what the rows
say: the last touch (`last_activity_at`, the latest activity's time) through every path
that writes activities — logging, a voice note over Slack, undo (of the activity, and of
a contact whose activities go with it), a CSV import, the demo seed, the migration's
backfill —, the account's `contact_count` as contacts are added, moved and undone, and
the deal's `stage_entered_at` as it moves and is undone. Checked against the rows in
SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, text

from crm_store.demo import seed_demo
from crm_store.models import LOCAL_TEAM, Account, Activity, Deal
from crm_store.services import accounts, audit, contacts, deals
from crm_store.services.activities import log_activity
from tests.conftest import make_user
from tests.slack_harness import posted

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


def drift(session) -> list[tuple]:
    """Accounts and deals whose kept figures differ from what their rows say: the last
    touch, the account's contact count, the time the deal entered its stage."""
    checks = {
        ("accounts", "last_activity_at"): "SELECT max(a.occurred_at) FROM activities a "
                                          "WHERE a.account_id = t.id",
        ("deals", "last_activity_at"): "SELECT max(a.occurred_at) FROM activities a "
                                       "WHERE a.deal_id = t.id",
        ("accounts", "contact_count"): "SELECT count(*) FROM contacts c "
                                       "WHERE c.account_id = t.id",
        ("deals", "stage_entered_at"): "SELECT max(h.changed_at) FROM deal_stage_history h "
                                       "WHERE h.deal_id = t.id AND h.to_stage = t.stage AND "
                                       "(h.from_stage IS NULL OR h.from_stage <> h.to_stage)",
    }
    session.flush()
    out = []
    for (table, column), truth in checks.items():
        rows = session.execute(text(f"SELECT t.id, t.{column}, ({truth}) FROM {table} t")).all()
        out += [(table, column, *row) for row in rows if row[1] != row[2]]
    return out


def last_touch(session, model, key: int) -> dt.datetime | None:
    session.expire_all()
    return session.get(model, key).last_activity_at


def next_command(session) -> None:
    """What a new message does: its writes are a new undo batch."""
    session.flush()
    session.info.pop("audit_batch", None)


def test_logging_moves_the_last_touch_on_and_never_back(session):
    sam = make_user(session, "Sam Rivera")
    acme = accounts.create_account(session, actor=sam, team_id=LOCAL_TEAM, name="Acme")
    ana = contacts.create_contact(session, actor=sam, team_id=LOCAL_TEAM, name="Ana Ortiz",
                                  account_id=acme.id)
    deal = deals.create_deal(session, actor=sam, team_id=LOCAL_TEAM, title="Acme renewal",
                             account_id=acme.id, contact_id=ana.id, now=NOW)
    assert last_touch(session, Account, acme.id) is None
    assert last_touch(session, Deal, deal.id) is None

    log_activity(session, actor=sam, team_id=LOCAL_TEAM, kind="call", body="intro call",
                 occurred_at=NOW - dt.timedelta(days=3), contact=ana)
    assert last_touch(session, Account, acme.id) == NOW - dt.timedelta(days=3)
    assert last_touch(session, Deal, deal.id) is None  # not logged on the deal

    # Logged late, about an earlier meeting: the last touch stays where it was.
    log_activity(session, actor=sam, team_id=LOCAL_TEAM, kind="meeting", body="kickoff",
                 occurred_at=NOW - dt.timedelta(days=9), contact=ana, deal=deal)
    assert last_touch(session, Account, acme.id) == NOW - dt.timedelta(days=3)
    assert last_touch(session, Deal, deal.id) == NOW - dt.timedelta(days=9)

    log_activity(session, actor=sam, team_id=LOCAL_TEAM, kind="email", body="sent pricing",
                 occurred_at=NOW, deal=deal)  # the account comes from the deal
    assert last_touch(session, Account, acme.id) == NOW
    assert last_touch(session, Deal, deal.id) == NOW
    assert drift(session) == []


def test_undo_recounts_the_last_touch(session):
    sam = make_user(session, "Sam Rivera")
    acme = accounts.create_account(session, actor=sam, team_id=LOCAL_TEAM, name="Acme")
    deal = deals.create_deal(session, actor=sam, team_id=LOCAL_TEAM, title="Acme renewal",
                             account_id=acme.id, now=NOW)
    log_activity(session, actor=sam, team_id=LOCAL_TEAM, kind="call", body="first call",
                 occurred_at=NOW - dt.timedelta(days=5), account_id=acme.id, deal=deal)
    next_command(session)
    log_activity(session, actor=sam, team_id=LOCAL_TEAM, kind="call", body="second call",
                 occurred_at=NOW, deal=deal)
    assert last_touch(session, Account, acme.id) == NOW

    audit.undo(session, actor=sam)  # the second call goes
    assert last_touch(session, Account, acme.id) == NOW - dt.timedelta(days=5)
    assert last_touch(session, Deal, deal.id) == NOW - dt.timedelta(days=5)
    next_command(session)
    audit.undo(session, actor=sam)  # the first call, the deal and the account go
    assert drift(session) == []


def test_undoing_a_contact_takes_its_activities_out_of_the_last_touch(session):
    sam, maya = make_user(session, "Sam Rivera"), make_user(session, "Maya Chen")
    acme = accounts.create_account(session, actor=sam, team_id=LOCAL_TEAM, name="Acme")
    log_activity(session, actor=sam, team_id=LOCAL_TEAM, kind="note", body="account note",
                 occurred_at=NOW - dt.timedelta(days=20), account_id=acme.id)
    next_command(session)
    ana = contacts.create_contact(session, actor=maya, team_id=LOCAL_TEAM, name="Ana Ortiz",
                                  account_id=acme.id)
    batch = session.info["audit_batch"]
    next_command(session)
    log_activity(session, actor=sam, team_id=LOCAL_TEAM, kind="call", body="called Ana",
                 occurred_at=NOW, contact=ana)
    next_command(session)
    assert last_touch(session, Account, acme.id) == NOW

    # Maya undoes adding Ana: the database removes Ana's call with her (a cascade).
    audit.undo(session, actor=maya, batch=batch)
    assert session.scalar(select(Activity).where(Activity.body == "called Ana")) is None
    assert last_touch(session, Account, acme.id) == NOW - dt.timedelta(days=20)
    assert drift(session) == []


def test_undoing_an_account_edit_keeps_the_last_touch(session):
    sam = make_user(session, "Sam Rivera")
    acme = accounts.create_account(session, actor=sam, team_id=LOCAL_TEAM, name="Acme")
    next_command(session)
    accounts.update_account(session, actor=sam, account=acme, industry="retail")
    next_command(session)
    # Logged after the edit: the edit's snapshot has no last touch yet.
    log_activity(session, actor=make_user(session, "Maya Chen"), team_id=LOCAL_TEAM,
                 kind="call", body="call", occurred_at=NOW, account_id=acme.id)
    next_command(session)
    audit.undo(session, actor=sam)  # the edit
    assert last_touch(session, Account, acme.id) == NOW
    assert drift(session) == []


def test_the_demo_seed_keeps_the_last_touch(session):
    seed_demo(session, now=NOW, scale=0.2)
    assert session.scalar(select(Account.id).where(Account.last_activity_at.is_not(None)))
    assert drift(session) == []


def test_the_migration_backfills_the_last_touch(db_url):
    from crm_store.db import make_engine, upgrade

    engine = make_engine(db_url)
    try:
        upgrade(engine, revision="0012")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO accounts (id, team_id, name, name_key, "
                              "custom_fields, created_at, updated_at) VALUES (1, 'T', 'Acme', "
                              "'acme', '{}', :t, :t), (2, 'T', 'Quiet', 'quiet', '{}', :t, :t)"),
                         {"t": NOW.replace(tzinfo=None)})
            conn.execute(text("INSERT INTO activities (team_id, kind, body, occurred_at, "
                              "account_id, created_at) VALUES ('T', 'call', 'a', :a, 1, :a), "
                              "('T', 'call', 'b', :b, 1, :b)"),
                         {"a": NOW - dt.timedelta(days=2), "b": NOW - dt.timedelta(days=1)})
            conn.execute(text("INSERT INTO contacts (team_id, name, name_key, account_id, "
                              "lifecycle, custom_fields, created_at, updated_at) VALUES "
                              "('T', 'Ana', 'ana', 1, 'lead', '{}', :t, :t)"),
                         {"t": NOW.replace(tzinfo=None)})
            conn.execute(text("INSERT INTO pipelines (id, team_id, name, is_default) "
                              "VALUES (1, 'T', 'Sales', :yes)"), {"yes": True})
            conn.execute(text("INSERT INTO deals (id, team_id, account_id, pipeline_id, title, "
                              "currency, stage, probability, status, custom_fields, created_at, "
                              "updated_at) VALUES (1, 'T', 1, 1, 'Renewal', 'USD', 'demo', 30, "
                              "'open', '{}', :t, :t)"), {"t": NOW.replace(tzinfo=None)})
            for at, before, after in ((5, None, "lead"), (3, "lead", "demo"),
                                      (2, "demo", "demo")):  # the last: an amount change
                conn.execute(text("INSERT INTO deal_stage_history (team_id, deal_id, "
                                  "from_stage, to_stage, status, changed_at) VALUES "
                                  "('T', 1, :b, :a, 'open', :at)"),
                             {"b": before, "a": after, "at": NOW - dt.timedelta(days=at)})
        upgrade(engine)
        with engine.connect() as conn:
            rows = {r[0]: r[1:] for r in conn.execute(
                select(Account.id, Account.last_activity_at, Account.contact_count))}
            deal = conn.execute(select(Deal.last_activity_at, Deal.stage_entered_at)).one()
        assert rows == {1: (NOW - dt.timedelta(days=1), 1), 2: (None, 0)}
        assert tuple(deal) == (None, NOW - dt.timedelta(days=3))
    finally:
        engine.dispose()


def test_a_voice_note_and_its_undo_over_slack(server, fake):
    said = "note for Priya at Northwind: wants a pricing sheet"
    sent = {"id": "F1", "name": "audio_message.wav", "mimetype": "audio/wav",
            "filetype": "wav", "url_private_download": fake.url + "/files/none", "size": 10,
            "transcription": {"status": "complete",
                              "preview": {"content": said, "has_more": False}}}
    assert server.dm("", subtype="file_share", files=[sent], ts="1700000100.000100")[0] == 200
    assert "Logged a voice note" in posted(fake.wait_for("chat.postMessage", timeout=30)[0])[0]
    with server.database.session(readonly=True) as s:
        note = s.scalars(select(Activity)).one()
        northwind = s.get(Account, note.account_id)
        assert note.transcript == said and northwind.last_activity_at == note.occurred_at
        assert drift(s) == []

    fake.reset()
    assert server.dm("undo", ts="1700000200.000100")[0] == 200
    fake.wait_for("chat.postMessage", timeout=30)
    with server.database.session(readonly=True) as s:
        assert s.scalars(select(Activity)).all() == []
        assert drift(s) == []


def test_a_csv_import_keeps_the_last_touch(database, tmp_path, monkeypatch):
    from bot import settings
    from bot.cli import main

    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        acme = accounts.create_account(s, actor=sam, team_id=LOCAL_TEAM, name="Acme")
        log_activity(s, actor=sam, team_id=LOCAL_TEAM, kind="call", body="call",
                     occurred_at=NOW, account_id=acme.id)
        acme_id = acme.id
    path = tmp_path / "accounts.csv"
    path.write_text("Company Name,Industry\nACME,Retail\nInitech,Software\n")
    path_deals = tmp_path / "deals.csv"
    path_deals.write_text("Deal Name,Company,Amount,Stage\nAcme renewal,Acme,5000,Demo\n")
    monkeypatch.setenv("DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
    settings.get_settings.cache_clear()
    try:
        assert main(["import", "accounts", str(path)]) == 0
        assert main(["import", "deals", str(path_deals)]) == 0
    finally:
        settings.get_settings.cache_clear()
    with database.session(readonly=True) as s:
        found = {a.name: a for a in s.scalars(select(Account))}
        assert found["Acme"].industry == "Retail"  # updated by the import, touch kept
        assert found["Acme"].last_activity_at == NOW and found["Initech"].last_activity_at is None
        assert s.scalar(select(Deal.last_activity_at)) is None  # new: nothing logged on it
        assert drift(s) == [] and acme_id == found["Acme"].id


def test_contact_count_follows_contacts_added_moved_and_undone(session):
    sam = make_user(session, "Sam Rivera")
    acme = accounts.create_account(session, actor=sam, team_id=LOCAL_TEAM, name="Acme")
    globex = accounts.create_account(session, actor=sam, team_id=LOCAL_TEAM, name="Globex")
    ana = contacts.create_contact(session, actor=sam, team_id=LOCAL_TEAM, name="Ana Ortiz",
                                  account_id=acme.id)
    contacts.get_or_create_contact(session, actor=sam, team_id=LOCAL_TEAM, name="Bo Li",
                                   account_id=acme.id)
    contacts.get_or_create_contact(session, actor=sam, team_id=LOCAL_TEAM, name="bo  li",
                                   account_id=acme.id)  # the same person: not counted twice
    session.expire_all()
    assert (acme.contact_count, globex.contact_count) == (2, 0)
    next_command(session)

    contacts.update_contact(session, actor=sam, contact=ana, account_id=globex.id)
    session.expire_all()
    assert (acme.contact_count, globex.contact_count) == (1, 1)
    next_command(session)

    audit.undo(session, actor=sam)  # the move
    session.expire_all()
    assert (acme.contact_count, globex.contact_count) == (2, 0)
    assert drift(session) == []


def test_stage_entry_follows_moves_and_undo(session):
    sam = make_user(session, "Sam Rivera")
    deal = deals.create_deal(session, actor=sam, team_id=LOCAL_TEAM, title="Acme renewal",
                             now=NOW - dt.timedelta(days=30))
    assert deal.stage_entered_at == NOW - dt.timedelta(days=30)
    next_command(session)
    deals.update_deal(session, actor=sam, deal=deal, amount=5000,
                      now=NOW - dt.timedelta(days=20))  # no stage change: entry kept
    assert deal.stage_entered_at == NOW - dt.timedelta(days=30)
    next_command(session)
    deals.update_deal(session, actor=sam, deal=deal, stage="demo",
                      now=NOW - dt.timedelta(days=10))
    assert deal.stage_entered_at == NOW - dt.timedelta(days=10)
    next_command(session)
    deals.update_deal(session, actor=sam, deal=deal, status="won", now=NOW)
    assert (deal.stage, deal.stage_entered_at) == ("won", NOW)
    assert drift(session) == []
    next_command(session)

    audit.undo(session, actor=sam)  # the win
    session.expire_all()
    assert (deal.stage, deal.stage_entered_at) == ("demo", NOW - dt.timedelta(days=10))
    assert drift(session) == []
