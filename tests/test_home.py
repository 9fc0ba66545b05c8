"""App Home shows what chat says: the same hot leads and digests, by the same services."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update

from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person
from bot.listeners.home import home_view
from bot.nlu.actions import HotLeads
from bot.workers import Core
from crm_store.models import LOCAL_TEAM, Contact, LeadScore, Lifecycle
from crm_store.services import accounts, activities, contacts, digests, leads
from tests.conftest import make_settings, make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)


def _core(database) -> Core:
    settings = make_settings()
    return Core(db=database, settings=settings,
                assistant=Assistant(database, settings, engine=lambda *a, **k: [HotLeads()]))


def _book(database) -> tuple[Person, dict[str, int]]:
    """Priya is hot, Tom lukewarm, Dan was hot until he went dead; nothing scored yet."""
    with database.session() as s:
        rep = make_user(s, "Sam Rivera")
        northwind = accounts.create_account(s, actor=rep, team_id=LOCAL_TEAM, name="Northwind")
        ids = {}
        for name, body, days in (("Priya Shah", "Budget approved, send the contract", 1),
                                 ("Tom Becker", "Intro call, evaluating vendors", 12),
                                 ("Dan Dorn", "Budget approved, wants pricing", 0)):
            contact = contacts.create_contact(s, actor=rep, team_id=LOCAL_TEAM, name=name,
                                              account_id=northwind.id)
            activities.log_activity(s, actor=rep, team_id=LOCAL_TEAM, kind="call", body=body,
                                    occurred_at=NOW - dt.timedelta(days=days), contact=contact)
            ids[name] = contact.id
        person = Person(team_id=LOCAL_TEAM, user_id=rep.slack_user_id, name=rep.name,
                        tz="America/New_York")
    return person, ids


def _home_leads(core: Core, person: Person) -> list[str]:
    blocks = home_view(core, person, now=NOW)["blocks"]
    at = next(i for i, b in enumerate(blocks) if "*Hot leads*" in b.get("text", {}).get("text", ""))
    return re.findall(r"• \*(.+?)\* — (\d+)", blocks[at + 1]["text"]["text"])


def _chat_leads(core: Core, person: Person, n: int) -> list[tuple[str, str]]:
    reply = core.assistant.handle(Incoming(person=person, text="hot leads", source_id=f"h{n}",
                                           now=NOW))
    return [(row[1].split(" (")[0], row[2]) for row in reply.table.rows] if reply.table else []


def test_home_scores_a_workspace_never_scanned_as_chat_does(database):
    person, _ = _book(database)
    core = _core(database)
    home = _home_leads(core, person)  # before anything was scored: Home scores first
    assert home and home == _chat_leads(core, person, 1)


def test_home_leaves_out_dead_contacts_as_chat_does(database):
    person, ids = _book(database)
    core = _core(database)
    with database.session() as s:
        leads.rescore(s, team_id=LOCAL_TEAM, now=NOW)
        # Scored hot the night before he was marked dead; the next scan has not run yet.
        s.get(Contact, ids["Dan Dorn"]).lifecycle = Lifecycle.DEAD
        s.execute(update(LeadScore).where(LeadScore.entity_type == "contact",
                                          LeadScore.entity_id == ids["Dan Dorn"])
                  .values(score=95))
    home = _home_leads(core, person)
    assert "Dan Dorn" not in [name for name, _ in home]
    assert home == _chat_leads(core, person, 2)


def test_home_lists_the_digests_chat_set_up(database):
    person, _ = _book(database)
    core = _core(database)
    with database.session() as s:
        sam = core.assistant.user_for(s, person)
        digests.subscribe(s, actor=sam, team_id=LOCAL_TEAM, channel="#sales",
                          time_of_day="08:00", tz="America/New_York", now=NOW)
    blocks = home_view(core, person, now=NOW)["blocks"]
    text = " ".join(b.get("text", {}).get("text", "") for b in blocks)
    assert "*Digests* (1)" in text and "daily to #sales at 08:00 America/New_York" in text
