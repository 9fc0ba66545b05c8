"""Asking before doing: an unsure reading is said back as one question with Yes / Edit… /
Cancel; nothing is written until Yes (or the Edit form) says so.

Through `Assistant.handle`/`press` with the real rules engine where it reads low, and an
injected engine where a test must state the confidence; one Slack run end to end.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from bot.assistant.clarify import CONFIRM, VALUE_MAX, amount, edited
from bot.assistant.core import Assistant
from bot.assistant.resolve import not_a_name
from bot.assistant.types import Incoming, Person, Press
from bot.nlu import actions as A
from bot.nlu import parse
from bot.render.blocks import build_edit_modal
from crm_store.models import Account, Activity, Contact, Deal, ProcessedEvent, Task
from crm_store.services import accounts, deals
from tests.conftest import make_settings
from tests.slack_harness import TEAM, blocks_text, button_press, posted

NOW = dt.datetime(2026, 11, 29, 15, 0, tzinfo=dt.UTC)  # Sun Nov 29, 10:00 in New York
SAM = Person(team_id="local", user_id="USAM", name="Sam Rivera", tz="America/New_York")


class Scripted:
    """An engine answering from a table (for readings a test must pin, confidence too)."""

    def __init__(self, table):
        self.table = table

    def __call__(self, text, *, now, tz):
        return [a.model_copy() for a in self.table[text]]


def real(database, **settings):
    return Assistant(database, make_settings(**settings), engine=parse)


def scripted(database, table, **settings):
    return Assistant(database, make_settings(**settings), engine=Scripted(table))


def say(bot, text, source=None):
    return bot.handle(Incoming(person=SAM, text=text, source_id=source or f"src:{text}",
                               now=NOW))


def press(bot, button, source="press1"):
    return bot.press(Press(person=SAM, action_id=button.action_id, value=button.value,
                           source_id=source, now=NOW))


def count(database, model):
    with database.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(model))


def buttons(reply):
    return {b.label: b for b in reply.buttons}


def sams_deal(database, account="Calloway & Finch"):
    bot = real(database)
    say(bot, "help", source="hello")  # Sam exists as a CRM user from the first message
    with database.session() as s:
        from crm_store.models import User
        sam = s.scalar(select(User).where(User.slack_user_id == "USAM"))
        acc = accounts.create_account(s, actor=sam, team_id="local", name=account)
        deals.create_deal(s, actor=sam, team_id="local", title=f"{account} rollout",
                          account_id=acc.id, amount=30_000, stage="proposal")
    return bot


LOW_LOG = A.LogActivity(kind="call", contact="Omar White", account="Greencrest Learning",
                        summary="they signed", occurred_on=dt.date(2026, 11, 29), confidence=0.3)
WON = A.UpdateDeal(account="Greencrest Learning", stage="won", status="won", confidence=0.9)


# ------------------------------------------------------------------- unsure: ask
def test_an_unsure_reading_is_asked_about_with_absolute_dates_and_nothing_is_written(database):
    bot = scripted(database, {"omar": [LOW_LOG, WON]})
    reply = say(bot, "omar")
    assert reply.text == ("Log a call with Omar White (Greencrest Learning) today, Sun Nov 29, "
                          "and mark the Greencrest Learning deal won?")
    assert list(buttons(reply)) == ["Yes", "Edit…", "Cancel"] and not reply.wrote
    assert (count(database, Activity), count(database, Account), count(database, Contact)) == \
        (0, 0, 0)
    assert count(database, ProcessedEvent) == 0  # the question itself writes nothing
    # The whole reading rides on Yes: no server-side state, within Slack's limit.
    value = buttons(reply)["Yes"].value
    assert len(value) <= VALUE_MAX
    assert [a["intent"] for a in json.loads(value)["actions"]] == ["log_activity",
                                                                  "update_deal"]


def test_the_real_engine_asks_before_closing_a_deal_it_read_unsure_and_yes_does_it(database):
    bot = sams_deal(database)
    text = "Calloway & Finch signed the order form today! mark won, final value 30k"
    assert parse(text, now=dt.datetime(2026, 11, 29, 10), tz=SAM.tz)[0].confidence < 0.5
    reply = say(bot, text)
    assert reply.text.startswith("Mark the Calloway & Finch deal won")
    with database.session(readonly=True) as s:
        assert s.scalar(select(Deal)).status.value == "open"
    yes = buttons(reply)["Yes"]
    done = press(bot, yes)
    assert done.ok and done.wrote and any(b.label == "Undo" for b in done.buttons)
    with database.session(readonly=True) as s:
        assert s.scalar(select(Deal)).status.value == "won"
    again = press(bot, yes)  # the same press (a double click) does nothing more
    assert "duplicate" in again.context


def test_yes_creates_what_was_read_and_cancel_saves_nothing(database):
    bot = real(database)
    text = "Lindqvist AB: send Astrid Lindgren the security questionnaire"
    asked = say(bot, text)
    assert asked.text.startswith("Set a reminder “Lindqvist AB")
    assert count(database, Task) == 0
    cancelled = press(bot, buttons(asked)["Cancel"], source="c1")
    assert cancelled.text == "OK, nothing saved."
    assert (count(database, Task), count(database, Account), count(database, Contact)) == \
        (0, 0, 0)
    asked = say(bot, text, source="again")
    done = press(bot, buttons(asked)["Yes"], source="y1")
    assert done.wrote and count(database, Task) == 1
    with database.session(readonly=True) as s:
        assert s.scalar(select(Account)).name == "Lindqvist AB"


def test_a_sure_reading_is_done_at_once_with_undo(database):
    bot = real(database)
    reply = say(bot, "called Omar White at Greencrest Learning about pricing")
    assert reply.wrote and [b.label for b in reply.buttons] == ["Undo"]
    assert count(database, Activity) == 1


def test_the_threshold_is_a_setting_and_an_engine_without_a_figure_is_taken_at_its_word(
        database):
    never = scripted(database, {"omar": [LOW_LOG]}, clarify_below=0.0)
    assert say(never, "omar").wrote
    bot = scripted(database, {"plain": [LOW_LOG.model_copy(update={"confidence": None})]})
    assert say(bot, "plain", source="p2").wrote


def test_a_tampered_yes_is_refused_politely(database):
    bot = real(database)
    reply = bot.press(Press(person=SAM, action_id=CONFIRM, value='{"actions":[{"intent":"x"}]}',
                            source_id="t", now=NOW))
    assert not reply.ok and "expired" in reply.text and count(database, Activity) == 0


# --------------------------------------------------------------- Edit… (terminal)
def test_edit_in_the_terminal_says_how_to_retype_and_offers_each_part_alone(database):
    bot = scripted(database, {"omar": [LOW_LOG, WON]})
    asked = say(bot, "omar")
    edit = press(bot, buttons(asked)["Edit…"], source="e1")
    assert "send the message again" in edit.text and count(database, Activity) == 0
    labels = [b.label for b in edit.buttons]
    assert labels[0].startswith("Only: Log a call with Omar White") and labels[-1] == "Cancel"
    only_log = press(bot, edit.buttons[0], source="e2")
    assert only_log.wrote and count(database, Activity) == 1
    assert count(database, Deal) == 0


# ------------------------------------------------------------------ not a name
@pytest.mark.parametrize("name,refused", [
    ("K", True), ("250K", True), ("$40,000", True), ("client", True), ("pricing", True),
    ("Tuesday", True), ("Acme", False), ("Omar White", False), ("Greencrest Learning", False),
    ("K2 Systems", False), ("Jan", False), ("Mark", False)])
def test_what_is_not_a_name(name, refused):
    assert not_a_name(name) is refused


def test_a_deal_for_an_amount_read_as_a_name_creates_nothing_and_asks(database):
    bot = real(database)
    reply = say(bot, "new deal 250K")
    assert not reply.ok and reply.text.startswith("Which account is the deal with?")
    assert (count(database, Account), count(database, Deal)) == (0, 0)


def test_an_existing_record_is_still_found_by_a_short_name(database):
    bot = real(database)
    with database.session() as s:
        from tests.conftest import make_user
        accounts.create_account(s, actor=make_user(s, "Ann"), team_id="local", name="Q")
    reply = say(bot, "log a call with Q")
    assert reply.wrote and count(database, Account) == 1


# -------------------------------------------------------------- partly understood
def test_a_part_not_understood_is_said_and_the_rest_offered(database):
    gibberish = A.Unknown(text="blorp the flimflam")
    bot = scripted(database, {"mixed": [LOW_LOG.model_copy(update={"confidence": 0.99}),
                                        gibberish]})
    reply = say(bot, "mixed")
    assert reply.text.startswith("I didn't get “blorp the flimflam”.")
    assert "Log a call with Omar White (Greencrest Learning) today, Sun Nov 29?" in reply.text
    assert count(database, Activity) == 0
    done = press(bot, buttons(reply)["Yes"])
    assert done.wrote and count(database, Activity) == 1


def test_a_part_that_cannot_be_resolved_is_said_and_the_rest_offered(database):
    sure_log = LOW_LOG.model_copy(update={"confidence": 0.99})
    bad_deal = A.CreateDeal(account="K", amount=250_000, confidence=0.99)
    bot = scripted(database, {"mixed": [sure_log, bad_deal]})
    reply = say(bot, "mixed")
    assert "'K' doesn't look like the name of an account" in reply.text
    assert reply.text.endswith("Log a call with Omar White (Greencrest Learning) today, "
                               "Sun Nov 29?")
    assert (count(database, Activity), count(database, Account)) == (0, 0)
    assert json.loads(buttons(reply)["Yes"].value)["actions"] == [
        json.loads(json.dumps(A.action_to_dict(sure_log)))]
    done = press(bot, buttons(reply)["Yes"])
    assert done.wrote and (count(database, Activity), count(database, Deal)) == (1, 0)


def test_a_long_note_still_fits_on_the_button(database):
    long = LOW_LOG.model_copy(update={"summary": "word " * 900})
    bot = scripted(database, {"long": [long]})
    reply = say(bot, "long")
    assert len(buttons(reply)["Yes"].value) <= VALUE_MAX


# ------------------------------------------------------------- the Edit form
def test_the_edit_form_is_prefilled_and_its_values_make_the_actions():
    raw = [A.action_to_dict(LOW_LOG),
           A.action_to_dict(A.CreateTask(title="Send quote", due=dt.datetime(2026, 12, 1, 9))),
           A.action_to_dict(A.CreateDeal(account="Greencrest Learning", amount=40_000))]
    view = build_edit_modal(raw, asked="Log a call…?", private_metadata={"channel": "D1"})
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["0.contact"]["initial_value"] == "Omar White"
    assert inputs["0.kind"]["initial_option"]["value"] == "call"
    assert inputs["1.due_date"]["initial_date"] == "2026-12-01"
    assert inputs["1.due_time"]["initial_time"] == "09:00"
    assert inputs["2.amount"]["initial_value"] == "40000"
    actions, errors = edited(raw, {"0.contact": "Omar Whyte", "0.account": "Greencrest",
                                   "0.kind": "meeting", "0.summary": "signed",
                                   "1.title": "Send quote", "1.due_date": "2026-12-02",
                                   "1.due_time": None, "2.account": "Greencrest",
                                   "2.stage": "demo", "2.amount": "$45k",
                                   "2.close_date": "2027-01-15"})
    assert errors == {}
    assert (actions[0].contact, actions[0].kind) == ("Omar Whyte", "meeting")
    assert actions[1].due == dt.datetime(2026, 12, 2, 9, 0)
    assert (actions[2].amount, actions[2].stage) == (45_000, "demo")
    _, errors = edited(raw, {"2.amount": "lots"})
    assert set(errors) == {"2.amount"}
    assert amount("1.2m") == 1_200_000


# -------------------------------------------------------------- Slack, end to end
LINDQVIST = "Lindqvist AB: send Astrid Lindgren the security questionnaire"


def test_slack_asks_yes_writes_edit_opens_a_prefilled_form_and_saving_it_writes(server, fake):
    server.dm(LINDQVIST)
    text, blocks = posted(fake.wait_for("chat.postMessage")[0])
    assert text.startswith("Set a reminder") and "Edit…" in blocks
    assert server.count(Task) == 0
    question = json.loads(blocks)

    # Edit… opens the form with the reading in it; nothing is written.
    assert server.interact(button_press(fake, question, "Edit…", "31.1"))[0] == 200
    opened = fake.wait_for("views.open")[0].params
    assert opened["trigger_id"] == "31.1"
    view = opened["view"]
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["0.title"]["initial_value"].startswith("Lindqvist AB")
    assert server.count(Task) == 0
    submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "USAM"},
                  "trigger_id": "5.6", "view": {
                      "id": "VEDIT1", "type": "modal", "callback_id": view["callback_id"],
                      "private_metadata": view["private_metadata"], "state": {"values": {
                          "0.title": {"value": {"type": "plain_text_input",
                                                "value": "Chase Astrid on the questionnaire"}},
                          "0.due_date": {"value": {"type": "datepicker",
                                                   "selected_date": "2026-12-03"}},
                          "0.due_time": {"value": {"type": "timepicker",
                                                   "selected_time": "10:30"}}}}}}
    status, body, _ = server.interact(submission)
    assert status == 200 and body in ("", "{}")
    # The question's message becomes the answer: its buttons are gone.
    saved = fake.wait_for("chat.update")[0]
    assert (saved.params["channel"], saved.params["ts"]) == ("D1", "1700000009.000100")
    assert "Chase Astrid" in posted(saved)[0] and "confirm#0" not in posted(saved)[1]
    with server.database.session(readonly=True) as s:
        task = s.scalar(select(Task))
        assert task.title == "Chase Astrid on the questionnaire"
        assert task.due_at == dt.datetime(2026, 12, 3, 15, 30, tzinfo=dt.UTC)  # 10:30 NY

    # Yes, pressed where the question still shows (another device), over real HTTP:
    # carried out as its own press, and the buttons replaced.
    assert server.interact(button_press(fake, question, "Yes", "31.2"))[0] == 200
    answer = fake.wait_for("response_url")[0]
    assert answer.params["replace_original"] is True
    assert "confirm#0" not in blocks_text(answer.params["blocks"])
    assert server.count(Task) == 2


def test_an_edit_form_with_a_bad_amount_is_sent_back_with_the_error(server, fake):
    raw = [A.action_to_dict(A.CreateDeal(account="Greencrest Learning", amount=40_000))]
    view = build_edit_modal(raw, asked="Open a deal…?", private_metadata={"channel": "D1"})
    submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "USAM"},
                  "view": {"id": "VEDIT2", "type": "modal", "callback_id": view["callback_id"],
                           "private_metadata": view["private_metadata"], "state": {"values": {
                               "0.account": {"value": {"type": "plain_text_input",
                                                       "value": "Greencrest Learning"}},
                               "0.amount": {"value": {"type": "plain_text_input",
                                                      "value": "lots"}}}}}}
    status, body, _ = server.interact(submission)
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"0.amount"} and server.count(Deal) == 0


def test_a_reading_the_classifier_overruled_is_asked_about_and_yes_does_it(database):
    bot = sams_deal(database)
    asked = say(bot, "tbh the Calloway & Finch deal is more like 45k, can you update it")
    assert "45,000" in asked.text and asked.text.endswith("?")
    with database.session(readonly=True) as s:
        assert s.scalar(select(Deal)).amount == 30_000  # nothing written before Yes
    assert press(bot, buttons(asked)["Yes"]).wrote
    with database.session(readonly=True) as s:
        assert s.scalar(select(Deal)).amount == 45_000
