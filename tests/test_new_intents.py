"""The contract's newer intents, said in words and carried out through `Assistant.handle`:
deleting and finishing tasks in their many phrasings, stopping a digest, listing deals,
and greetings answered with help. The real rules engine understands each message."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person, Press
from bot.nlu import parse
from bot.settings import Settings
from crm_store.models import DigestSubscription, Task, TaskStatus, User
from crm_store.services import accounts, deals, digests, tasks
from tests.conftest import make_user

NOW = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
SAM = Person(team_id="local", user_id="USAM", name="Sam Rivera", tz="America/New_York")


def say(database, text, person=SAM):
    bot = Assistant(database, Settings(), engine=parse)
    return bot, bot.handle(Incoming(person=person, text=text, source_id=f"src:{text}", now=NOW))


def _sam_with_tasks(database, *titles):
    bot, _ = say(database, "hi")  # creates Sam's user row
    with database.session() as s:
        sam = s.scalar(select(User).where(User.slack_user_id == "USAM"))
        for title in titles:
            tasks.create_task(s, actor=sam, team_id="local", title=title, now=NOW)
    return bot


def _open_titles(database):
    with database.session(readonly=True) as s:
        return sorted(s.scalars(select(Task.title).where(Task.status == TaskStatus.OPEN)))


def test_greetings_and_questions_about_the_bot_get_help(database):
    for text in ("hi", "hello! what can you do?", "hey 👋 new here, how does this bot work",
                 "good morning! what are you able to help me with?"):
        _, reply = say(database, text)
        assert reply.ok and "For example" in reply.text, text
    _, reply = say(database, "🙂🙂🙂")
    assert not reply.ok and "didn't catch" in reply.text


def test_delete_the_task_removes_it_and_undo_brings_it_back(database):
    bot = _sam_with_tasks(database, "Call Farid Haddad", "Send deck to Inés")
    _, reply = say(database, "delete the task call Farid Haddad")
    assert reply.wrote and "Deleted the task *Call Farid Haddad*" in reply.text
    assert _open_titles(database) == ["Send deck to Inés"]
    undo = next(b for b in reply.buttons if b.label == "Undo")
    bot.press(Press(person=SAM, action_id=undo.action_id, value=undo.value, source_id="p1",
                    now=NOW))
    assert _open_titles(database) == ["Call Farid Haddad", "Send deck to Inés"]


def test_deleting_a_task_that_does_not_exist_changes_nothing(database):
    _sam_with_tasks(database, "Call Farid Haddad")
    _, reply = say(database, "remove task book flights to Nairobi")
    assert not reply.ok and "can't find an open task" in reply.text
    assert _open_titles(database) == ["Call Farid Haddad"]


def test_the_done_forms_complete_the_task(database):
    _sam_with_tasks(database, "Send pricing to Ravi Menon", "Prep demo for Zeynep",
                    "Book flights to Nairobi", "Call Ingrid")
    for text in ("done: send pricing to Ravi Menon", "mark call Ingrid done",
                 "check off 'book flights to Nairobi'", "prep demo for Zeynep is done"):
        _, reply = say(database, text)
        assert reply.wrote and "Done:" in reply.text, (text, reply.text)
    assert _open_titles(database) == []


def test_done_and_then_a_list_in_one_message(database):
    _sam_with_tasks(database, "Call Hiroshi Tanabe", "Email Lena")
    _, reply = say(database, "done: call Hiroshi Tanabe, then show me my tasks")
    assert "Done: *Call Hiroshi Tanabe*" in reply.text and "Your tasks open: 1." in reply.text


def test_unsubscribe_stops_the_digest_and_undo_restarts_it(database):
    bot, _ = say(database, "post a daily digest to #sales-emea at 8am")
    _, reply = say(database, "unsubscribe #sales-emea from the daily digest")
    assert reply.wrote and "#sales-emea no longer gets the daily digest" in reply.text
    with database.session(readonly=True) as s:
        assert s.scalar(select(DigestSubscription.active)) is False
    undo = next(b for b in reply.buttons if b.label == "Undo")
    bot.press(Press(person=SAM, action_id=undo.action_id, value=undo.value, source_id="p2",
                    now=NOW))
    with database.session(readonly=True) as s:
        assert s.scalar(select(DigestSubscription.active)) is True


def test_unsubscribe_without_a_channel_asks_which_when_several(database):
    say(database, "post a daily digest to #sales at 8am")
    say(database, "post a daily digest to #leads at 9am")
    _, reply = say(database, "stop the daily digest")
    assert not reply.ok and "#leads" in reply.text and "#sales" in reply.text
    with database.session(readonly=True) as s:
        assert digests.list_subscriptions(s, team_id="local").__len__() == 2


def test_list_deals_mine_by_stage_and_by_account(database):
    say(database, "hi")
    with database.session() as s:
        sam = s.scalar(select(User).where(User.slack_user_id == "USAM"))
        kofi = make_user(s, "Kofi Mensah")
        tanaka = accounts.create_account(s, actor=sam, team_id="local", name="Tanaka Logistics")
        other = accounts.create_account(s, actor=kofi, team_id="local", name="Qasim Textiles")
        deals.create_deal(s, actor=sam, team_id="local", title="Tanaka fleet",
                          account_id=tanaka.id, amount=40_000, stage="negotiation")
        deals.create_deal(s, actor=kofi, team_id="local", title="Qasim looms",
                          account_id=other.id, amount=9_000, stage="demo")
    _, mine = say(database, "my deals")
    assert mine.ok and mine.text.startswith("Reading: open deals, owner: you.")
    assert "1 deal, $40,000" in mine.text
    assert [r[0] for r in mine.table.rows] == ["Tanaka fleet"]
    _, staged = say(database, "deals in negotiaton")
    assert [r[0] for r in staged.table.rows] == ["Tanaka fleet"]
    _, at = say(database, "what's open at Qasim Textiles?")
    assert at.text.startswith("Reading: open deals, at Qasim Textiles.")
    assert at.table.rows[0][0] == "Qasim looms"
    _, none = say(database, "deals in proposal")
    assert none.ok and none.table is None and "No open deals in Proposal." in none.text
    assert not mine.wrote and not staged.wrote
