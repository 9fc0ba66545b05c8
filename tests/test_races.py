"""Races: messages that arrive together create each user, account and contact once.

Real concurrency on both backends: threads, each with its own session (its own
connection), released together by a barrier. On PostgreSQL the losers of a race meet
the unique index and read the winner; SQLite lets one writer in at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select, text

from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person
from bot.nlu.rules import parse
from crm_store.db import Database, make_engine, upgrade
from crm_store.errors import BadInput
from crm_store.models import Account, Activity, Contact, Role, User
from crm_store.services import accounts, contacts
from tests.conftest import make_settings, make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
TEAM = "local"
# Each winner keeps its transaction open a moment after creating, as a real message
# does while it logs the call: the others have looked by then and found nothing.
HOLD = 0.05


def together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """`work(i)` for i in 0..n-1, in n threads released at once; the results in order."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def count(database: Database, model, *where) -> int:
    with database.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def bot(database: Database) -> Assistant:
    return Assistant(database, make_settings(), engine=parse)


def test_a_new_users_first_messages_at_once_make_one_user_and_all_are_answered(database):
    newcomer = Person(team_id=TEAM, user_id="UNEW", name="Nia Okafor", tz="America/New_York")
    assistant = bot(database)

    def send(i: int):
        return assistant.handle(Incoming(
            person=newcomer, source_id=f"slack:first:{i}", now=NOW,
            text=f"called Priya Shah at Blue Harbor, budget approved, note {i}"))

    replies = together(30, send)
    assert [r.text for r in replies if not r.ok] == []
    assert all(r.text.startswith("Logged a call with *Priya Shah* (Blue Harbor)")
               for r in replies)
    assert count(database, User) == 1
    assert count(database, Account) == 1
    assert count(database, Contact) == 1
    assert count(database, Activity) == 30


@pytest.mark.parametrize("names", [("Blue Harbor", "blue harbor"),
                                   ("Blue Harbor", "BLUE  HARBOR ")])
def test_two_creations_of_one_new_account_at_once_make_one(database, names):
    with database.session() as s:
        owners = [make_user(s, f"Rep {i}").id for i in range(2)]

    def create(i: int) -> int:
        with database.session() as s:
            actor = s.get(User, owners[i])
            account, _ = accounts.get_or_create_account(
                s, actor=actor, team_id=TEAM, name=names[i], owner_id=actor.id)
            time.sleep(HOLD)
            return account.id

    ids = together(2, create)
    assert ids[0] == ids[1]
    assert count(database, Account) == 1


def test_many_creations_of_one_new_contact_at_an_account_make_one(database):
    with database.session() as s:
        rep = make_user(s, "Sam Rivera")
        harbor = accounts.create_account(s, actor=rep, team_id=TEAM, name="Blue Harbor")
        rep_id, harbor_id = rep.id, harbor.id

    def create(i: int) -> tuple[int, bool]:
        with database.session() as s:
            contact, created = contacts.get_or_create_contact(
                s, actor=s.get(User, rep_id), team_id=TEAM,
                name=("Dana Lee", "dana lee", "Dana  Lee")[i % 3], account_id=harbor_id)
            time.sleep(HOLD)
            return contact.id, created

    results = together(8, create)
    assert len({contact_id for contact_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert count(database, Contact) == 1


def test_two_reps_naming_a_new_account_at_once_share_it_and_later_mentions_just_work(database):
    with database.session() as s:
        for name, uid in (("Sam Rivera", "USAM"), ("Nate Cole", "UNATE")):
            user = make_user(s, name)
            user.slack_user_id = uid
    people = [Person(team_id=TEAM, user_id=uid, name=name, tz="America/New_York")
              for uid, name in (("USAM", "Sam Rivera"), ("UNATE", "Nate Cole"))]
    texts = ["called Dana Lee at Blue Harbor, they want pricing",
             "met Dana Lee at blue harbor, demo went well"]
    assistant = bot(database)
    replies = together(2, lambda i: assistant.handle(Incoming(
        person=people[i], text=texts[i], source_id=f"slack:race:{i}", now=NOW)))
    assert all(r.ok for r in replies), [r.text for r in replies]
    assert count(database, Account) == 1
    assert count(database, Contact) == 1
    later = assistant.handle(Incoming(person=people[0], text="called Dana at Blue Harbor",
                                      source_id="slack:later", now=NOW))
    assert later.ok and "Which one" not in later.text
    assert later.text.startswith("Logged a call with *Dana Lee* (")


# ---- the keys outside races ---------------------------------------------------------


def test_namesakes_created_on_purpose_both_stay_and_both_are_found(session, rep):
    acme = accounts.create_account(session, actor=rep, team_id=TEAM, name="Acme")
    one = contacts.create_contact(session, actor=rep, team_id=TEAM, name="Ana Ortiz",
                                  account_id=acme.id, email="ana@acme.example")
    two = contacts.create_contact(session, actor=rep, team_id=TEAM, name="ana ortiz",
                                  account_id=acme.id, email="ana.o@acme.example")
    assert one.id != two.id and (one.name_key, two.name_key) == ("ana ortiz", "ana ortiz  #2")
    found = contacts.find_contacts(session, team_id=TEAM, name="Ana Ortiz")
    assert [c.id for c in found] == [one.id, two.id]


def test_an_account_cannot_be_created_or_renamed_onto_another_ones_name(session, rep):
    accounts.create_account(session, actor=rep, team_id=TEAM, name="Blue Harbor")
    other = accounts.create_account(session, actor=rep, team_id=TEAM, name="Globex")
    with pytest.raises(BadInput, match="already an account called 'Blue Harbor'"):
        accounts.create_account(session, actor=rep, team_id=TEAM, name="blue  harbor")
    with pytest.raises(BadInput, match="already an account called 'Blue Harbor'"):
        accounts.update_account(session, actor=rep, account=other, name="BLUE HARBOR")
    assert accounts.update_account(session, actor=rep, account=other, name="Globex Corp")
    assert other.name_key == "globex corp"
    # Another workspace may have its own Blue Harbor.
    assert accounts.create_account(session, actor=None, team_id="T2", name="Blue Harbor").id


def test_a_contact_moved_next_to_a_namesake_keeps_a_key_of_its_own(session, rep):
    acme = accounts.create_account(session, actor=rep, team_id=TEAM, name="Acme")
    stay = contacts.create_contact(session, actor=rep, team_id=TEAM, name="Jo Park",
                                   account_id=acme.id)
    moving = contacts.create_contact(session, actor=rep, team_id=TEAM, name="Jo Park")
    assert moving.name_key == "jo park"  # no account is a scope of its own
    contacts.update_contact(session, actor=rep, contact=moving, account_id=acme.id)
    session.flush()
    assert (stay.name_key, moving.name_key) == ("jo park", "jo park  #2")


# ---- the migration ------------------------------------------------------------------


def test_the_migration_keys_existing_duplicates_and_keeps_them_all(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0007")
    stamp = "'2026-11-01 00:00:00'"
    with engine.begin() as conn:
        for i, name in enumerate(["Blue Harbor", "blue harbor", "Globex", "BLUE  HARBOR"], 1):
            conn.execute(text(f"INSERT INTO accounts (id, team_id, name, custom_fields, "
                              f"created_at, updated_at) VALUES ({i}, 'local', :n, '{{}}', "
                              f"{stamp}, {stamp})"), {"n": name})
        conn.execute(text(f"INSERT INTO accounts (id, team_id, name, custom_fields, created_at, "
                          f"updated_at) VALUES (5, 'T2', 'Blue Harbor', '{{}}', {stamp}, "
                          f"{stamp})"))
        for i, (name, account) in enumerate([("Dana Lee", 1), ("dana lee", 1), ("Dana Lee", 2),
                                             ("Jo", None), ("jo", None)], 1):
            conn.execute(text(f"INSERT INTO contacts (id, team_id, name, account_id, lifecycle, "
                              f"custom_fields, created_at, updated_at) VALUES ({i}, 'local', "
                              f":n, :a, 'lead', '{{}}', {stamp}, {stamp})"),
                         {"n": name, "a": account})
    upgrade(engine)
    with engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT id, name_key FROM accounts")).all())
        assert keys == {1: "blue harbor", 2: "blue harbor  #2", 3: "globex",
                        4: "blue harbor  #3", 5: "blue harbor"}
        keys = dict(conn.execute(text("SELECT id, name_key FROM contacts")).all())
        assert keys == {1: "dana lee", 2: "dana lee  #2", 3: "dana lee", 4: "jo", 5: "jo  #2"}
    engine.dispose()
    db = Database.open(db_url)
    try:
        with db.session() as s:  # the old twins are still found by name; new ones are refused
            assert len(accounts.find_accounts(s, team_id="local", name="blue harbor")) == 3
            rep = make_user(s, "Sam Rivera", role=Role.ADMIN)
            account, created = accounts.get_or_create_account(s, actor=rep, team_id="local",
                                                              name="Blue harbor")
            assert (account.id, created) == (1, False)
    finally:
        db.dispose()
