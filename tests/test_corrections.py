"""Corrections teach: what a person fixes in the Edit… form is kept for the workspace,
and the same words are read as they meant the next time — through `Assistant.handle`
with the real offline engine, on both backends, and through Slack's form end to end."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import delete, select

from bot.assistant.clarify import carried, edited
from bot.assistant.core import Assistant
from bot.assistant.types import Incoming, Person, Press
from bot.nlu import parse
from bot.nlu.actions import action_to_dict
from crm_store.models import Account, Activity, Contact, NluExample
from crm_store.services import accounts, contacts
from tests.conftest import make_settings, make_user
from tests.slack_harness import TEAM, button_press, posted

NOW = dt.datetime(2026, 11, 29, 15, 0, tzinfo=dt.UTC)  # Sun Nov 29, 10:00 in New York
LATER = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)  # Thu Dec 3
SAM = Person(team_id="T_A", user_id="USAM", name="Sam Rivera", tz="America/New_York")
ANA = Person(team_id="T_B", user_id="UANA", name="Ana Ruiz", tz="America/New_York")
# The offline engine reads the person as an account, unsure (0.28): it asks.
SAID = "quick sync w juniper vale re pilot"


def say(bot, text, *, person=SAM, now=NOW, source):
    return bot.handle(Incoming(person=person, text=text, source_id=source, now=now))


def correct_through_the_form(bot, asked, *, person=SAM, now=NOW):
    """What the Slack form does: the Edit… button's reading, the person's changes laid
    over it (bot.assistant.clarify.edited), submitted with the words first read."""
    edit = {b.label: b for b in asked.buttons}["Edit…"]
    value = json.loads(edit.value)
    originals = value["actions"]
    actions, errors = edited(originals, {"0.kind": "meeting", "0.contact": "Juniper Vale",
                                         "0.account": "Vale Labs", "0.summary": "re pilot"})
    assert errors == {}
    return bot.handle(Incoming(person=person, text=value["text"], source_id="form1", now=now,
                               actions=tuple(actions), corrects=tuple(carried(edit.value))))


def activities(database):
    with database.session(readonly=True) as s:
        return [(a.occurred_at.date(),
                 s.get(Contact, a.contact_id).name if a.contact_id else None,
                 s.get(Account, a.account_id).name if a.account_id else None)
                for a in s.scalars(select(Activity).order_by(Activity.id))]


def test_a_phrasing_corrected_once_is_read_right_the_second_time(database):
    bot = Assistant(database, make_settings(), engine=parse)
    asked = say(bot, SAID, source="m1")
    assert "Edit…" in [b.label for b in asked.buttons] and "juniper vale" in asked.text
    saved = correct_through_the_form(bot, asked)
    assert saved.ok and saved.wrote
    with database.session(readonly=True) as s:
        example = s.scalar(select(NluExample))
        assert (example.team_id, example.text_key) == ("T_A", SAID)

    # Four days later, the same words: written at once, as corrected, dated that day.
    again = say(bot, "Quick sync  w Juniper Vale re pilot", now=LATER, source="m2")
    assert again.ok and again.wrote and not again.buttons[:-1], again.text
    first, second = activities(database)
    assert first[1:] == second[1:] == ("Juniper Vale", "Vale Labs")
    assert (first[0], second[0]) == (dt.date(2026, 11, 29), dt.date(2026, 12, 3))


def test_a_replayed_correction_keeps_the_new_day(database):
    bot = Assistant(database, make_settings(), engine=parse)
    correct_through_the_form(bot, say(bot, SAID, source="m1"))
    with database.session(readonly=True) as s:
        example = s.scalar(select(NluExample))
        assert example.original[0]["occurred_on"] == "2026-11-29"
    fresh = bot.prepare(Incoming(person=SAM, text=SAID, source_id="p", now=LATER), text=SAID,
                        now=LATER).actions
    raw = action_to_dict(fresh[0])
    assert raw["occurred_on"] == "2026-12-03"  # not the day of the correction
    assert (raw["contact"], raw["account"]) == ("Juniper Vale", "Vale Labs")


def test_a_correction_in_one_workspace_does_not_change_another(database):
    bot = Assistant(database, make_settings(), engine=parse)
    correct_through_the_form(bot, say(bot, SAID, source="m1"))
    other = say(bot, SAID, person=ANA, now=LATER, source="b1")
    assert "Edit…" in [b.label for b in other.buttons] and not other.wrote
    assert "juniper vale" in other.text  # still read (and asked about) as before


def test_a_form_saved_unchanged_teaches_nothing(database):
    bot = Assistant(database, make_settings(), engine=parse)
    asked = say(bot, SAID, source="m1")
    edit = {b.label: b for b in asked.buttons}["Edit…"]
    value = json.loads(edit.value)
    actions, _ = edited(value["actions"], {})
    bot.handle(Incoming(person=SAM, text=value["text"], source_id="form1", now=NOW,
                        actions=tuple(actions), corrects=tuple(carried(edit.value))))
    with database.session(readonly=True) as s:
        assert s.scalar(select(NluExample)) is None


def press(bot, button, *, now=NOW, source):
    return bot.press(Press(person=SAM, action_id=button.action_id, value=button.value,
                           source_id=source, now=now))


def test_a_reading_confirmed_with_yes_is_not_asked_about_again(database):
    bot = Assistant(database, make_settings(), engine=parse)
    asked = say(bot, SAID, source="m1")
    done = press(bot, {b.label: b for b in asked.buttons}["Yes"], source="yes1")
    assert done.ok and done.wrote
    again = say(bot, SAID, now=LATER, source="m2")
    assert again.ok and again.wrote and "Edit…" not in [b.label for b in again.buttons]
    # Read against the new day, as the first was against its own.
    assert [day for day, *_ in activities(database)] == [dt.date(2026, 11, 29),
                                                         dt.date(2026, 12, 3)]
    # Other words are still asked about.
    other = say(bot, "quick sync w hollis fenn re pilot", now=LATER, source="m3")
    assert "Edit…" in [b.label for b in other.buttons] and not other.wrote


def test_a_record_picked_for_a_name_is_the_one_meant_next_time(database):
    with database.session() as s:
        sam = make_user(s, "Sam Rivera", team_id="T_A")
        acme = accounts.create_account(s, actor=sam, team_id="T_A", name="Acme Corp")
        for name in ("Jane Doe", "Jane Smith"):
            contacts.create_contact(s, actor=sam, team_id="T_A", name=name,
                                    account_id=acme.id)
    bot = Assistant(database, make_settings(), engine=parse)
    said = "Called Jane at Acme Corp, asked for pricing"
    asked = say(bot, said, source="m1")
    assert "Which one?" in asked.text
    press(bot, {b.label: b for b in asked.buttons}["Jane Smith"], source="pick1")
    again = say(bot, said, now=LATER, source="m2")
    assert again.ok and again.wrote and "Jane Smith" in again.text, again.text
    assert [who for _, who, _ in activities(database)] == ["Jane Smith", "Jane Smith"]
    # The pick belongs to those words: another message about Jane still asks which.
    other = say(bot, "Called Jane at Acme Corp about the renewal", now=LATER, source="m3")
    if not other.wrote and "Yes" in [b.label for b in other.buttons]:  # asked to confirm
        other = press(bot, {b.label: b for b in other.buttons}["Yes"], now=LATER, source="y3")
    assert "Which one?" in other.text and not other.wrote


def test_a_picked_record_since_deleted_is_asked_about_again(database):
    with database.session() as s:
        sam = make_user(s, "Sam Rivera", team_id="T_A")
        acme = accounts.create_account(s, actor=sam, team_id="T_A", name="Acme Corp")
        jane_ids = [contacts.create_contact(s, actor=sam, team_id="T_A", name=name,
                                            account_id=acme.id).id
                    for name in ("Jane Doe", "Jane Smith", "Jane Roe")]
    bot = Assistant(database, make_settings(), engine=parse)
    said = "Called Jane at Acme Corp, asked for pricing"
    asked = say(bot, said, source="m1")
    press(bot, {b.label: b for b in asked.buttons}["Jane Smith"], source="pick1")
    with database.session() as s:
        s.execute(delete(Activity))
        s.execute(delete(Contact).where(Contact.id == jane_ids[1]))
    again = say(bot, said, now=LATER, source="m2")
    assert "Which one?" in again.text and not again.wrote
    assert sorted(b.label for b in again.buttons) == ["Jane Doe", "Jane Roe"]


# -------------------------------------------------------------- Slack, end to end
def test_slack_an_edit_form_teaches_the_next_message(server, fake):
    server.dm(SAID)
    text, blocks = posted(fake.wait_for("chat.postMessage")[0])
    assert "juniper vale" in text and "Edit…" in blocks
    assert server.interact(button_press(fake, json.loads(blocks), "Edit…", "41.1"))[0] == 200
    view = fake.wait_for("views.open")[0].params["view"]
    assert json.loads(view["private_metadata"])["text"] == SAID
    values = {"0.contact": {"type": "plain_text_input", "value": "Juniper Vale"},
              "0.account": {"type": "plain_text_input", "value": "Vale Labs"},
              "0.summary": {"type": "plain_text_input", "value": "re pilot"}}
    submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "USAM"},
                  "trigger_id": "5.6", "view": {
                      "id": "VTEACH1", "type": "modal", "callback_id": view["callback_id"],
                      "private_metadata": view["private_metadata"],
                      "state": {"values": {k: {"value": v} for k, v in values.items()}}}}
    assert server.interact(submission)[0] == 200
    fake.wait_for("chat.update")
    with server.database.session(readonly=True) as s:
        example = s.scalar(select(NluExample))
        assert (example.text_key, example.corrected[0]["contact"]) == (SAID, "Juniper Vale")

    server.dm(SAID.title())  # the same words again: written as corrected, no question
    text, blocks = posted(fake.wait_for("chat.postMessage", 2)[1])
    assert "Edit…" not in blocks and "Juniper Vale" in text, text
    assert server.count(Activity) == 2


# ------------------------------------------------------------------- the LLM engine
def test_the_model_is_shown_the_workspace_s_corrections(database):
    from bot.nlu.llm import LLMEngine
    from bot.nlu.rules import parse as rules
    from tests.openai_fake import FakeOpenAI, tool_call_response

    taught = Assistant(database, make_settings(), engine=parse)
    correct_through_the_form(taught, say(taught, SAID, source="m1"))
    fake = FakeOpenAI()
    try:
        fake.script += [tool_call_response(("help", {}))] * 2
        settings = make_settings(openai_base_url=fake.url, openai_api_key="sk-test",
                                 openai_model="test-model", openai_timeout_s=5)
        bot = Assistant(database, settings, engine=LLMEngine(settings, fallback=rules))
        say(bot, "hi there", source="m2", now=LATER)
        say(bot, "hi there", person=ANA, source="b1", now=LATER)
        mine, theirs = (r["messages"][0]["content"] for r in fake.requests[:2])
    finally:
        fake.close()
    assert json.dumps(SAID) in mine and 'contact="Juniper Vale"' in mine
    assert "occurred_on" not in mine.split("Corrections people made")[1]
    assert SAID not in theirs  # workspace B is not shown A's corrections


def test_the_form_keeps_within_slack_s_metadata_limit_by_dropping_the_words_first():
    from bot.render.blocks import build_edit_modal, read_edit_modal

    raw = [{"intent": "log_activity", "kind": "note", "account": "Ünïcode GmbH",
            "summary": "ü" * 150}] * 2
    view = build_edit_modal(raw, asked="?", private_metadata={"channel": "D1",
                                                              "text": "ö" * 300})
    assert len(view["private_metadata"]) <= 3000
    meta = read_edit_modal(view)["meta"]
    assert meta["actions"] == raw and meta["text"] is None  # saves; teaches nothing
