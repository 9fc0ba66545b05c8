"""The assistant core: one transaction per message, idempotent, undoable, permission-checked.

The NLU engine is injected (a table of text → actions) so these tests pin the core's
behaviour; tests/test_chat_e2e.py drives the same core through the real rules engine.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person, Press
from bot.nlu import actions as A
from crm_store.models import Activity, Contact, Deal, ProcessedEvent, Role, Task
from crm_store.services import accounts, contacts, deals
from tests.conftest import make_settings, make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
SAM = Person(team_id="local", user_id="USAM", name="Sam Rivera", tz="America/New_York")
NATE = Person(team_id="local", user_id="UNATE", name="Nate Cole", tz="America/Chicago")


class Scripted:
    """An engine that answers from a table, so each test states what was 'understood'."""

    def __init__(self, table):
        self.table = table

    def __call__(self, text, *, now, tz):
        return self.table[text]


def assistant(database, table, **settings):
    return Assistant(database, make_settings(**settings), engine=Scripted(table))


def say(bot, text, person=SAM, source=None, now=NOW):
    return bot.handle(Incoming(person=person, text=text, source_id=source or f"src:{text}",
                               now=now))


def count(database, model):
    with database.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(model))


LOG = A.LogActivity(kind="call", contact="Priya Shah", account="Northwind",
                    summary="budget approved for 40k", occurred_on=dt.date(2026, 11, 18))
FOLLOW = A.CreateTask(title="Follow up with Priya Shah", due=dt.datetime(2026, 11, 24, 9, 0),
                      contact="Priya Shah", account="Northwind")


def test_a_call_with_follow_up_logs_creates_and_offers_undo(database):
    bot = assistant(database, {"call": [LOG, FOLLOW]})
    reply = say(bot, "call")
    assert reply.ok and reply.wrote
    assert "Logged a call with *Priya Shah* (Northwind) today" in reply.text
    assert "Reminder set: *Follow up with Priya Shah* — Tue Nov 24, 09:00" in reply.text
    assert "new account *Northwind*" in reply.context[0]
    assert [b.label for b in reply.buttons] == ["Undo"]
    with database.session(readonly=True) as s:
        task = s.scalar(select(Task))
        # 09:00 in New York is 14:00 UTC
        assert task.due_at == dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
        assert task.contact.name == "Priya Shah" and task.account.name == "Northwind"


def test_the_same_event_twice_writes_once_and_replies_once(database):
    bot = assistant(database, {"call": [LOG]})
    first = say(bot, "call", source="slack:Ev1")
    again = say(bot, "call", source="slack:Ev1")
    assert first.wrote and again.text == "" and "duplicate" in again.context
    assert count(database, Activity) == 1
    assert count(database, ProcessedEvent) == 1


def test_undo_takes_back_the_whole_message(database):
    bot = assistant(database, {"call": [LOG, FOLLOW], "undo": []})
    say(bot, "call")
    reply = say(bot, "undo")
    assert reply.ok and reply.text.startswith("Undone:")
    assert (count(database, Activity), count(database, Task), count(database, Contact)) == (0, 0, 0)


def test_undo_button_undoes_that_message_once(database):
    bot = assistant(database, {"call": [LOG]})
    batch = say(bot, "call").buttons[-1].value
    pressed = bot.press(Press(person=SAM, action_id="undo", value=batch, source_id="p1", now=NOW))
    assert pressed.ok and count(database, Activity) == 0
    again = bot.press(Press(person=SAM, action_id="undo", value=batch, source_id="p2", now=NOW))
    assert not again.ok and "already undone" in again.text


def test_a_failing_action_leaves_nothing_half_written(database):
    bad_task = A.CreateTask(title="Follow up", unparsed_date="blursday", contact="Priya Shah")
    bot = assistant(database, {"call": [LOG, bad_task]})
    reply = say(bot, "call")
    assert not reply.ok and "I couldn't tell when 'blursday' is" in reply.text
    assert (count(database, Activity), count(database, Contact)) == (0, 0)
    assert count(database, ProcessedEvent) == 0  # a retry may succeed later


def test_an_ambiguous_name_asks_and_the_pick_finishes_the_job(database):
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        acme = accounts.create_account(s, actor=sam, team_id="local", name="Acme Corp")
        for name in ("Jane Doe", "Jane Smith"):
            contacts.create_contact(s, actor=sam, team_id="local", name=name, account_id=acme.id)
    log = A.LogActivity(kind="call", contact="Jane", summary="asked for pricing")
    bot = assistant(database, {"call jane": [log]})
    reply = say(bot, "call jane")
    assert not reply.ok and "Which one?" in reply.text
    assert sorted(b.label for b in reply.buttons) == ["Jane Doe", "Jane Smith"]
    assert count(database, Activity) == 0
    smith = next(b for b in reply.buttons if b.label == "Jane Smith")
    done = bot.press(Press(person=SAM, action_id=smith.action_id, value=smith.value,
                           source_id="pick1", now=NOW))
    assert done.ok and "*Jane Smith*" in done.text
    with database.session(readonly=True) as s:
        assert s.scalar(select(Activity)).contact.name == "Jane Smith"


def test_a_tampered_pick_is_refused_politely(database):
    bot = assistant(database, {})
    reply = bot.press(Press(person=SAM, action_id="pick:1", value="{not json",
                            source_id="p", now=NOW))
    assert not reply.ok and "expired" in reply.text


def test_a_rep_cannot_move_someone_elses_deal(database):
    with database.session() as s:
        nate = make_user(s, "Nate Cole")
        nate.slack_user_id = "UNATE"
        acme = accounts.create_account(s, actor=nate, team_id="local", name="Acme Corp")
        deals.create_deal(s, actor=nate, team_id="local", title="Acme expansion",
                          account_id=acme.id, amount=50_000, stage="demo")
    move = A.UpdateDeal(account="Acme", stage="proposal")
    bot = assistant(database, {"move": [move]})
    reply = say(bot, "move")
    assert not reply.ok and "belongs to Nate Cole" in reply.text
    with database.session(readonly=True) as s:
        assert s.scalar(select(Deal.stage)) == "demo"
    # Nate himself may
    assert say(bot, "move", person=NATE, source="n1").wrote


def test_a_manager_may_move_the_team_deal(database):
    with database.session() as s:
        boss = make_user(s, "Morgan Lee", role=Role.MANAGER)
        boss.slack_user_id = "UBOSS"
        nate = make_user(s, "Nate Cole", manager=boss)
        acme = accounts.create_account(s, actor=nate, team_id="local", name="Acme Corp")
        deals.create_deal(s, actor=nate, team_id="local", title="Acme expansion",
                          account_id=acme.id, stage="demo")
    boss = Person(team_id="local", user_id="UBOSS", name="Morgan Lee", tz="UTC")
    bot = assistant(database, {"won": [A.UpdateDeal(account="acme", status="won", stage="won")]})
    reply = say(bot, "won", person=boss)
    assert reply.wrote and "marked *won*" in reply.text


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_000])
def test_empty_and_huge_messages_get_a_friendly_answer(database, text):
    bot = assistant(database, {})
    reply = say(bot, text)
    assert not reply.ok and reply.text and not reply.wrote
    assert count(database, ProcessedEvent) == 0


def test_an_engine_crash_becomes_a_kind_answer_not_a_trace(database):
    def broken(text, *, now, tz):
        raise RuntimeError("model exploded")
    bot = Assistant(database, make_settings(), engine=broken)
    reply = say(bot, "anything")
    assert not reply.ok and "didn't catch" in reply.text and "exploded" not in reply.text


def test_an_unexpected_error_shows_a_short_error_id(database, monkeypatch):
    from bot.assistant import context

    def boom(ctx, action):
        raise ZeroDivisionError("secret internals")
    monkeypatch.setitem(context.EXECUTORS, "help", boom)
    bot = assistant(database, {"help": [A.Help()]})
    reply = say(bot, "help")
    assert "error id" in reply.text and "secret" not in reply.text


def test_admins_from_settings_get_the_admin_role(database):
    bot = assistant(database, {"help": [A.Help()]}, salesbot_admins="USAM")
    reply = say(bot, "help")
    assert "salesbot import" in reply.text


def test_button_values_carry_everything_needed(database):
    # the pick button's value is self-contained JSON: no server-side conversation state
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        for name in ("Globex East", "Globex West"):
            accounts.create_account(s, actor=sam, team_id="local", name=name)
    bot = assistant(database, {"note": [A.LogActivity(kind="note", account="Globex",
                                                      summary="new CFO")]})
    reply = say(bot, "note")
    payload = json.loads(reply.buttons[0].value)
    assert [a["intent"] for a in payload["actions"]] == ["log_activity"]
    assert "account:globex" in payload["pinned"]


def test_picking_a_name_carries_out_the_whole_message(database):
    with database.session() as s:
        sam = make_user(s, "Sam Rivera")
        for name in ("Northstar Biosciences", "Northstar Power"):
            accounts.create_account(s, actor=sam, team_id="local", name=name)
    log = A.LogActivity(kind="call", contact="Rachel", account="northstar",
                        summary="budget approved")
    task = A.CreateTask(title="Send the contract", due=dt.datetime(2026, 11, 20, 9, 0),
                        contact="Rachel", account="northstar")
    other = A.CreateTask(title="Call Dana", contact="Dana", account="Globex")
    bot = assistant(database, {"msg": [log, task, other]})
    reply = say(bot, "msg")
    assert [b.label for b in reply.buttons] == ["Northstar Biosciences", "Northstar Power"]
    power = reply.buttons[1]
    done = bot.press(Press(person=SAM, action_id=power.action_id, value=power.value,
                           source_id="pick-all", now=NOW))
    assert done.ok and "Reminder set: *Send the contract*" in done.text
    with database.session(readonly=True) as s:
        tasks_by_title = {t.title: t for t in s.scalars(select(Task))}
        assert tasks_by_title["Send the contract"].account.name == "Northstar Power"
        # the pick was for 'northstar' only: Globex is its own (new) account
        assert tasks_by_title["Call Dana"].account.name == "Globex"
        assert s.scalar(select(Activity)).account.name == "Northstar Power"
