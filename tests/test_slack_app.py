"""The real Bolt app over real HTTP (waitress), with signed requests, against a fake Slack.

Nothing here reaches Slack: the WebClient's base URL and every response_url point
at tests/slack_fake.py on loopback. Every wait for an asynchronous reply is bounded.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.cli import CommandError
from bot.cli.serve import check_settings
from bot.settings import Settings
from bot.workers import Core
from crm_store.models import Activity, AuditEntry, Contact, ProcessedEvent, Task, User
from crm_store.services.timeline import timeline
from tests.slack_harness import (
    TEAM,
    blocks_text,
    posted,
    settings_for,
    start_server,
)


def test_dm_logging_a_call_replies_in_the_thread_and_the_timeline_shows_it(server, fake):
    status, _, _ = server.dm("log a call with Priya Shah at Northwind: budget approved",
                             ts="1700000001.000100")
    assert status == 200
    reply = fake.wait_for("chat.postMessage")[0]
    assert reply.params["channel"] == "D1"
    assert reply.params["thread_ts"] == "1700000001.000100"
    text, blocks = posted(reply)
    assert "Logged a call with *Priya Shah* (Northwind)" in text
    assert '"action_id": "undo#0"' in blocks
    with server.database.session(readonly=True) as s:
        sam = s.scalar(select(User).where(User.slack_user_id == "USAM"))
        assert (sam.team_id, sam.name, sam.email, sam.tz) == \
            (TEAM, "Sam Rivera", "sam@example.com", "America/New_York")
        priya = s.scalar(select(Contact).where(Contact.name == "Priya Shah"))
        items = timeline(s, team_id=TEAM, contact_id=priya.id)
        assert [(i.kind, i.text, i.author) for i in items] == \
            [("call", "budget approved", "Sam Rivera")]


def test_a_retried_event_writes_once_and_replies_once(server, fake):
    text = "log a call with Priya Shah at Northwind: budget approved"
    assert server.dm(text, ts="1700000002.000100", event_id="EvSame")[0] == 200
    fake.wait_for("chat.postMessage")
    assert server.dm(text, ts="1700000002.000100", event_id="EvSame", retry=1)[0] == 200
    assert server.dm(text, ts="1700000002.000100", event_id="EvSame", retry=2)[0] == 200
    fake.quiet_for(0.3)
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert server.count(Activity) == 1
    assert server.count(ProcessedEvent) == 1


def test_a_bad_signature_and_a_stale_timestamp_get_401_and_store_nothing(server, fake):
    body = json.dumps({"type": "event_callback", "team_id": TEAM, "event_id": "EvBad",
                       "event": {"type": "message", "channel": "D1", "channel_type": "im",
                                 "user": "USAM", "text": "called Priya at Northwind",
                                 "ts": "1.2"}})
    assert server.post(body, secret="not-the-secret")[0] == 401
    assert server.post(body, timestamp=int(time.time()) - 60 * 10)[0] == 401
    fake.quiet_for(0.2)
    assert fake.calls_to("chat.postMessage") == []
    assert server.count(Activity) == 0 and server.count(User) == 0


def test_bots_edits_deletions_and_unknown_events_are_acked_and_ignored(server, fake):
    assert server.dm("called Priya at Northwind", bot_id="B2", subtype="bot_message")[0] == 200
    assert server.dm("called Priya at Northwind", user="UBOT")[0] == 200  # myself
    edited = {"type": "message", "subtype": "message_changed", "channel": "D1",
              "channel_type": "im", "ts": "1.3",
              "message": {"user": "USAM", "text": "called Priya at Northwind", "ts": "1.1"}}
    assert server.event(edited)[0] == 200
    deleted = {"type": "message", "subtype": "message_deleted", "channel": "D1",
               "channel_type": "im", "ts": "1.4", "deleted_ts": "1.1"}
    assert server.event(deleted)[0] == 200
    assert server.event({"type": "reaction_added", "user": "USAM", "reaction": "+1"})[0] == 200
    assert server.post("{not json")[0] in (200, 400)
    assert server.post(json.dumps({"type": "event_callback", "event_id": "Ev0"}))[0] in (200, 400)
    fake.quiet_for(0.3)
    assert fake.calls_to("chat.postMessage") == []
    assert server.count(Activity) == 0 and server.count(ProcessedEvent) == 0


def test_a_huge_message_gets_a_polite_reply_and_nothing_is_written(server, fake):
    server.dm("called Priya at Northwind " + "blah " * 2000)
    text, _ = posted(fake.wait_for("chat.postMessage")[0])
    assert "characters" in text and "Send the key points" in text
    assert server.count(Activity) == 0


def test_a_channel_mention_is_answered_in_its_thread_without_the_mention(server, fake):
    event = {"type": "app_mention", "channel": "C1", "user": "USAM", "ts": "1700000003.000100",
             "text": "<@UBOT> log a call with Priya Shah at Northwind: pricing sent"}
    assert server.event(event)[0] == 200
    reply = fake.wait_for("chat.postMessage")[0]
    assert (reply.params["channel"], reply.params["thread_ts"]) == ("C1", "1700000003.000100")
    assert "Priya Shah" in posted(reply)[0]


def test_the_ack_never_waits_for_the_work(server, fake):
    fake.latency_s = 1.0  # a slow Slack: users.info and the reply take seconds
    _, _, seconds = server.dm("log a call with Priya Shah at Northwind: slow day")
    assert seconds < 0.5
    fake.wait_for("chat.postMessage", timeout=8)


def crash_on_the_word_crash(core: Core) -> Core:
    """Worker setup for the next test: a message saying CRASH kills its worker process."""
    understand = core.assistant.engine

    def engine(text: str, **kwargs: Any) -> Any:
        if "CRASH" in text:
            os._exit(3)  # as a segfault or the OOM killer would: no cleanup, no answer
        return understand(text, **kwargs)

    core.assistant.engine = engine
    return core


@pytest.fixture
def crashing_server(database, fake) -> Any:
    srv = start_server(database, fake, settings_for(fake), setup=crash_on_the_word_crash)
    yield srv
    srv.close()


def test_a_crashed_worker_gets_the_person_a_polite_retry_and_a_new_worker(crashing_server,
                                                                          fake):
    assert crashing_server.dm("log a call with Priya Shah at Northwind: CRASH",
                              ts="1700000004.000100")[0] == 200
    sorry = fake.wait_for("chat.postMessage", timeout=10)[0]
    assert sorry.params["thread_ts"] == "1700000004.000100"
    assert "interrupted" in sorry.params["text"] and "send it again" in sorry.params["text"]
    assert "Traceback" not in sorry.params["text"] and "BrokenProcessPool" not in \
        sorry.params["text"]
    crashing_server.dm("log a call with Priya Shah at Northwind: after the crash")
    text, _ = posted(fake.wait_for("chat.postMessage", count=2, timeout=10)[1])
    assert "Logged a call with *Priya Shah*" in text
    assert crashing_server.count(Activity) == 1


def test_a_429_from_slack_is_retried_after_retry_after(server, fake):
    fake.fail_next("chat.postMessage", retry_after=1)
    started = time.monotonic()
    server.dm("log a call with Priya Shah at Northwind: rate limited")
    fake.wait_for("chat.postMessage", timeout=8)
    assert [c.method for c in fake.calls if c.method.startswith("chat.postMessage")] == \
        ["chat.postMessage!429", "chat.postMessage"]
    assert time.monotonic() - started >= 1.0
    assert server.count(Activity) == 1


def test_a_500_from_slack_is_retried_and_the_reply_arrives(server, fake):
    # Once this told the person "Please try again" about a call that was logged.
    fake.fail_next("chat.postMessage", status=500)
    server.dm("log a call with Priya Shah at Northwind: Slack had a bad moment")
    reply = fake.wait_for("chat.postMessage", timeout=8)[0]
    assert "Logged a call with *Priya Shah*" in posted(reply)[0]
    assert reply.params["channel"] == "D1"
    assert [c.method for c in fake.calls if c.method.startswith("chat.postMessage")] == \
        ["chat.postMessage!500", "chat.postMessage"]
    assert server.count(Activity) == 1


# ----------------------------------------------------- command, buttons, home
def test_the_slash_command_answers_privately_through_the_response_url(server, fake):
    status, body, _ = server.form({
        "command": "/crm", "text": "log a call with Priya Shah at Northwind: demo booked",
        "team_id": TEAM, "user_id": "USAM", "channel_id": "C1", "trigger_id": "13345.42",
        "response_url": fake.response_url("cmd1")})
    assert (status, body) == (200, "")
    answer = fake.wait_for("response_url")[0]
    assert answer.path == "/response/cmd1"
    assert answer.params["response_type"] == "ephemeral"
    assert "Logged a call with *Priya Shah*" in answer.params["text"]
    assert server.count(Activity) == 1


def test_the_undo_button_undoes_and_replaces_the_buttons_with_the_result(server, fake):
    server.dm("log a call with Priya Shah at Northwind: budget approved")
    _, blocks = posted(fake.wait_for("chat.postMessage")[0])
    message_blocks = json.loads(blocks)
    undo = next(b for b in message_blocks if b["type"] == "actions")["elements"][0]
    payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "USAM"},
               "api_app_id": "A1", "trigger_id": "111.222",
               "container": {"type": "message", "message_ts": "1700000009.000100",
                             "channel_id": "D1"},
               "channel": {"id": "D1"}, "response_url": fake.response_url("undo"),
               "message": {"ts": "1700000009.000100", "blocks": message_blocks},
               "actions": [{"action_id": undo["action_id"], "value": undo["value"],
                            "block_id": "b1", "type": "button", "action_ts": "1.5"}]}
    assert server.interact(payload)[0] == 200
    answer = fake.wait_for("response_url")[0]
    assert answer.params["replace_original"] is True
    assert "Undone:" in answer.params["text"]
    new_blocks = blocks_text(answer.params["blocks"])
    assert "Logged a call" in new_blocks and "undo#0" not in new_blocks
    # A double click is the same press: nothing more happens.
    assert server.interact({**payload, "trigger_id": "111.333"})[0] == 200
    fake.quiet_for(0.3)
    assert len(fake.calls_to("response_url")) == 1
    with server.database.session(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.undone_at.is_not(None))) >= 1


def test_app_home_is_published_with_my_tasks_and_a_done_button(any_day, server, fake):
    # Whatever the day (a Sunday, a year end, a DST change), tomorrow's task is on Home.
    server.dm("remind me to send the proposal to Priya Shah at Northwind tomorrow 10am")
    fake.wait_for("chat.postMessage")
    server.event({"type": "app_home_opened", "user": "USAM", "channel": "D1", "tab": "home"})
    view = fake.wait_for("views.publish")[0].params
    assert view["user_id"] == "USAM"
    text = blocks_text(view["view"]["blocks"])
    assert view["view"]["type"] == "home"
    assert "Your day, Sam" in text and "Send the proposal" in text
    done = next(b["accessory"] for b in view["view"]["blocks"] if "accessory" in b)
    press = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "USAM"},
             "trigger_id": "9.9", "container": {"type": "view", "view_id": "VHOME"},
             "view": {"id": "VHOME", "type": "home"},
             "actions": [{"action_id": done["action_id"], "value": done["value"],
                          "type": "button", "block_id": "x", "action_ts": "1.6"}]}
    assert server.interact(press)[0] == 200
    fake.wait_for("views.publish", count=2)
    assert "Done: *Send the proposal" in posted(fake.wait_for("chat.postMessage", count=2)[1])[0]
    with server.database.session(readonly=True) as s:
        assert s.scalar(select(Task)).status.value == "done"


# ------------------------------------------------------- shortcut and modal
def test_the_shortcut_opens_a_prefilled_modal_whose_submission_logs_with_the_permalink(
        server, fake):
    shortcut = {"type": "message_action", "callback_id": "log_to_crm", "trigger_id": "77.88",
                "team": {"id": TEAM}, "user": {"id": "USAM"}, "channel": {"id": "C42"},
                "response_url": fake.response_url("sc"),
                "message": {"type": "message", "user": "UCUSTOMER", "ts": "1700000100.000200",
                            "text": "called Priya Shah at Northwind, budget approved"}}
    assert server.interact(shortcut)[0] == 200
    opened = fake.wait_for("views.open")[0].params
    assert opened["trigger_id"] == "77.88"
    view = opened["view"]
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["contact"]["initial_value"] == "Priya Shah"
    assert inputs["account"]["initial_value"] == "Northwind"
    assert inputs["kind"]["initial_option"]["value"] == "call"
    submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "USAM"},
                  "trigger_id": "5.6", "view": {
                      "id": "VLOG1", "type": "modal", "callback_id": "log_to_crm",
                      "private_metadata": view["private_metadata"], "state": {"values": {
                          "contact": {"value": {"type": "plain_text_input",
                                                "value": "Priya Shah"}},
                          "account": {"value": {"type": "plain_text_input",
                                                "value": "Northwind"}},
                          "kind": {"value": {"type": "static_select",
                                             "selected_option": {"value": "call"}}},
                          "summary": {"value": {"type": "plain_text_input",
                                                "value": "Budget approved, wants a quote"}}}}}}
    status, body, _ = server.interact(submission)
    assert status == 200 and body in ("", "{}")
    confirmation = fake.wait_for("chat.postMessage")[0]
    assert confirmation.params["channel"] == "USAM"
    assert "Logged a call with *Priya Shah* (Northwind)" in posted(confirmation)[0]
    permalink = fake.calls_to("chat.getPermalink")[0].params
    assert (permalink["channel"], permalink["message_ts"]) == ("C42", "1700000100.000200")
    with server.database.session(readonly=True) as s:
        activity = s.scalar(select(Activity))
        assert activity.source_ref == "https://example.slack.com/archives/C42/p1700000100000200"
        assert activity.body == "Budget approved, wants a quote"
    # Submitting the same view again changes nothing.
    server.interact(submission)
    fake.quiet_for(0.3)
    assert server.count(Activity) == 1 and len(fake.calls_to("chat.postMessage")) == 1


def test_an_incomplete_modal_is_sent_back_with_errors(server, fake):
    submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "USAM"},
                  "view": {"id": "VLOG2", "type": "modal", "callback_id": "log_to_crm",
                           "private_metadata": "{}", "state": {"values": {
                               "summary": {"value": {"type": "plain_text_input", "value": ""}}}}}}
    status, body, _ = server.interact(submission)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"contact",
                                                                               "summary"}
    assert server.count(Activity) == 0


# -------------------------------------------------------- assistant container
def test_the_assistant_thread_suggests_prompts_by_role_and_shows_a_status(server, fake):
    started = {"type": "assistant_thread_started", "assistant_thread": {
        "user_id": "UMGR", "channel_id": "D2", "thread_ts": "1700000200.000100",
        "context": {}}, "event_ts": "1700000200.000200"}
    assert server.event(started)[0] == 200
    prompts = fake.wait_for("assistant.threads.setSuggestedPrompts")[0].params
    assert prompts["thread_ts"] == "1700000200.000100"
    assert "weighted forecast" in prompts["prompts"][0]["message"]  # a manager's first prompt
    server.dm("log a call with Priya Shah at Northwind: in the container", user="UMGR",
              thread_ts="1700000200.000100")
    status = fake.wait_for("assistant.threads.setStatus")[0].params
    assert status["status"] == "is thinking…"
    replies = fake.wait_for("chat.postMessage", count=2)
    assert replies[1].params["thread_ts"] == "1700000200.000100"


# ------------------------------------------------------------- workspaces
@pytest.fixture
def oauth_server(database, fake) -> Any:
    from slack_sdk.oauth.installation_store import Installation
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    settings = settings_for(fake, slack_bot_token=None, slack_client_id="111.222",
                            slack_client_secret="shh")
    srv = start_server(database, fake, settings)
    store = SQLAlchemyInstallationStore("111.222", database.engine)
    for team in ("T1", "T2"):
        store.save(Installation(app_id="A1", team_id=team, bot_token=f"xoxb-{team}",
                                bot_id="BBOT", bot_user_id="UBOT", user_id="UINSTALLER",
                                bot_scopes=["chat:write"]))
    yield srv
    srv.close()


def test_two_workspaces_with_the_same_names_stay_apart(oauth_server, fake):
    fake.users["USAM"]["team_id"] = "T1"
    for team in ("T1", "T2"):
        oauth_server.dm(f"log a call with Priya Shah at Northwind: from {team}", team=team)
    replies = fake.wait_for("chat.postMessage", count=2)
    assert sorted(c.token for c in replies) == ["xoxb-T1", "xoxb-T2"]
    with oauth_server.database.session(readonly=True) as s:
        users = sorted(s.execute(select(User.team_id, User.slack_user_id)).all())
        assert users == [("T1", "USAM"), ("T2", "USAM")]
        for team in ("T1", "T2"):
            priya = s.scalar(select(Contact).where(Contact.team_id == team))
            items = timeline(s, team_id=team, contact_id=priya.id)
            assert [i.text for i in items] == [f"from {team}"]


def test_an_unknown_workspace_is_acked_and_nothing_is_written(oauth_server, fake):
    status, _, _ = oauth_server.dm("log a call with Priya Shah at Northwind: who?", team="T404")
    assert status == 200
    fake.quiet_for(0.3)
    assert fake.calls_to("chat.postMessage") == []
    assert oauth_server.count(User) == 0


def test_oauth_install_then_uninstall(oauth_server, fake):
    status, page, headers = oauth_server.get("/slack/install")
    assert status == 200 and "slack.com/oauth/v2/authorize" in page
    state_value = re.search(r"state=([0-9a-f-]+)", page).group(1)
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    assert cookie.startswith("slack-app-oauth-state=")
    status, _, _ = oauth_server.get(f"/slack/oauth_redirect?code=t3&state={state_value}",
                                    headers={"Cookie": cookie})
    assert status == 200
    assert fake.calls_to("oauth.v2.access")
    oauth_server.dm("log a call with Priya Shah at Northwind: new team", team="T3")
    assert fake.wait_for("chat.postMessage")[0].token == "xoxb-T3"
    oauth_server.event({"type": "app_uninstalled"}, team="T3")
    time.sleep(0.3)
    oauth_server.dm("log a call with Priya Shah at Northwind: after uninstall", team="T3")
    fake.quiet_for(0.3)
    assert len(fake.calls_to("chat.postMessage")) == 1


# ------------------------------------------------------------------ serve
@pytest.mark.parametrize(("env", "http", "needle"), [
    ({}, False, "SLACK_BOT_TOKEN"),
    ({"slack_bot_token": "xoxb-1"}, False, "SLACK_APP_TOKEN"),
    ({"slack_bot_token": "xoxb-1"}, True, "SLACK_SIGNING_SECRET"),
    ({"slack_client_id": "1.2"}, True, "SLACK_CLIENT_SECRET"),
    ({"slack_client_id": "1.2", "slack_client_secret": "s"}, False, "--http"),
])
def test_serve_names_the_missing_variable(env, http, needle):
    values = {"slack_bot_token": None, "slack_app_token": None, "slack_signing_secret": None,
              "slack_client_id": None, "slack_client_secret": None, **env}
    with pytest.raises(CommandError, match=needle.replace("-", r"\-")):
        check_settings(Settings(_env_file=None, **values), http=http)
