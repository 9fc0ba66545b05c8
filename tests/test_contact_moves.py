"""Putting a contact at an account changes the contact: only its owner, their manager or
an admin may; anyone else gets a friendly refusal and nothing changes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person
from bot.nlu.rules import parse
from bot.settings import Settings
from crm_store.models import Activity, Contact, Role
from tests.conftest import make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


def people(database):
    with database.session() as s:
        boss = make_user(s, "Morgan Lee", role=Role.MANAGER)
        for name, uid, manager in (("Nate Cole", "UNATE", boss), ("Sam Rivera", "USAM", None)):
            make_user(s, name, manager=manager).slack_user_id = uid
        boss.slack_user_id = "UBOSS"
    return {uid: Person(team_id="local", user_id=uid, tz="America/New_York")
            for uid in ("UNATE", "USAM", "UBOSS")}


def say(bot, person, text):
    return bot.handle(Incoming(person=person, text=text, source_id=f"src:{person.user_id}:{text}",
                               now=NOW))


def where_is_jo(database):
    with database.session(readonly=True) as s:
        contact = s.scalar(select(Contact).where(Contact.name == "Jo Park"))
        return contact.account.name if contact.account else None


def test_a_rep_cannot_put_another_reps_contact_at_an_account(database):
    who = people(database)
    bot = Assistant(database, Settings(), engine=parse)
    assert say(bot, who["UNATE"], "called Jo Park, wants a demo").ok  # Nate's, no account
    reply = say(bot, who["USAM"], "called Jo Park at Globex, pricing questions")
    assert not reply.ok
    assert reply.text.startswith("Jo Park (no account yet) belongs to Nate Cole: only Nate, "
                                 "their manager or an admin can change it.")
    assert "leave out the account" in reply.text
    assert where_is_jo(database) is None
    with database.session(readonly=True) as s:
        assert s.scalar(select(func.count(Activity.id))) == 1  # nothing of Sam's was saved
    assert say(bot, who["USAM"], "called Jo Park, pricing questions").ok


def test_the_owners_manager_may_put_the_contact_at_an_account(database):
    who = people(database)
    bot = Assistant(database, Settings(), engine=parse)
    assert say(bot, who["UNATE"], "called Jo Park, wants a demo").ok
    assert say(bot, who["UBOSS"], "called Jo Park at Globex, pricing questions").ok
    assert where_is_jo(database) == "Globex"
