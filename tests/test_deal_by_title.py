"""A deal moved by its title: "move Greenstone Logistics team expansion to negotiation"
moves that one of the account's deals, and asks only when two titles fit equally."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person
from bot.nlu.rules import parse
from bot.settings import Settings
from crm_store.models import Deal
from crm_store.services import accounts, deals
from tests.conftest import make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
SAM = Person(team_id="local", user_id="USAM", name="Sam Rivera", tz="America/New_York")


def setup(database, titles):
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        sam.slack_user_id = "USAM"
        account = accounts.create_account(s, actor=sam, team_id="local",
                                          name="Kestrel Freight")
        for title in titles:
            deals.create_deal(s, actor=sam, team_id="local", title=title, account_id=account.id,
                              amount=40_000, stage="demo", owner_id=sam.id)
    return Assistant(database, Settings(), engine=parse)


def say(bot, text):
    return bot.handle(Incoming(person=SAM, text=text, source_id=f"src:{text}", now=NOW))


def stages(database):
    with database.session(readonly=True) as s:
        return dict(s.execute(select(Deal.title, Deal.stage)).all())


def test_a_deal_is_moved_by_its_title(database):
    bot = setup(database, ["Warehouse automation", "Fleet renewal program"])
    reply = say(bot, "move Kestrel Freight warehouse automation to negotiation")
    assert reply.wrote, reply.text
    assert stages(database) == {"Warehouse automation": "negotiation",
                                "Fleet renewal program": "demo"}


def test_the_account_alone_still_asks_which_deal(database):
    bot = setup(database, ["Warehouse automation", "Fleet renewal program"])
    reply = say(bot, "move Kestrel Freight to negotiation")
    assert not reply.ok and "Which one?" in reply.text
    assert set(stages(database).values()) == {"demo"}


def test_two_titles_that_fit_equally_are_asked_about(database):
    bot = setup(database, ["Warehouse automation east", "Warehouse automation west"])
    reply = say(bot, "move Kestrel Freight warehouse automation to negotiation")
    assert not reply.ok and "Which one?" in reply.text
    assert set(stages(database).values()) == {"demo"}
