"""The model as Slack shows it, through the real Bolt app over HTTP against the fake Slack:
the admins' switch and budget (`/crm ai …`, App Home), 👍/👎, and replies a model writes,
streamed into the thread (or posted whole where Slack streams nothing)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.listeners.streaming import markdown_of
from crm_store.models import AiFeedback, AiSetting, AiUsage
from tests import clock
from tests.openai_fake import FakeOpenAI
from tests.slack_harness import (
    TEAM,
    blocks_text,
    button_press,
    posted,
    settings_for,
    start_server,
)
from tests.writing_double import SENTENCES, DoubleWriter, compose_help


@pytest.fixture
def wednesday():
    with clock.at(clock.MOMENTS["wed"]) as now:
        yield now


@pytest.fixture
def writer() -> DoubleWriter:
    return DoubleWriter()


@pytest.fixture
def model():
    """A model endpoint on loopback (tests/openai_fake.py) that turns down every reading,
    so messages are read by the rules engine while a model counts as configured."""
    endpoint = FakeOpenAI()
    endpoint.script.extend([400] * 200)
    yield endpoint
    endpoint.close()


def with_model(fake, model) -> Any:
    return settings_for(fake, openai_api_key="sk-test", openai_base_url=model.url)


@pytest.fixture
def ai_server(wednesday, database, fake, writer, model):
    srv = start_server(database, fake, with_model(fake, model), setup=compose_help,
                       writer=writer)
    yield srv
    srv.close()


def crm(server, fake, text: str, *, user: str = "UADM", name: str = "c1") -> str:
    """`/crm text` as `user`; the private answer's text."""
    return crm_answer(server, fake, text, user=user, name=name).params["text"]


def crm_answer(server, fake, text: str, *, user: str, name: str):
    status, body, _ = server.form({
        "command": "/crm", "text": text, "team_id": TEAM, "user_id": user,
        "channel_id": "C1", "trigger_id": f"trig-{name}", "response_url": fake.response_url(name)})
    assert (status, body) == (200, "")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [c for c in fake.calls_to("response_url") if c.path == f"/response/{name}"]
        if found:
            return found[0]
        time.sleep(0.02)
    raise AssertionError(f"no answer to /crm {text}")


# ----------------------------------------------------------- the admins' switch
def test_an_admin_turns_the_model_off_and_on_and_status_says_so(ai_server, fake):
    assert "*Model:* on" in crm(ai_server, fake, "ai status", name="s1")
    said = crm(ai_server, fake, "ai off", name="off")
    assert "The model is off for this workspace" in said and "offline engine" in said
    status = crm(ai_server, fake, "ai status", name="s2")
    assert "*Model:* off" in status and "0 of 200,000 tokens used" in status
    assert "already off" in crm(ai_server, fake, "turn the ai off", name="again")
    assert "The model is on" in crm(ai_server, fake, "ai on", name="on")
    assert "*Model:* on" in crm(ai_server, fake, "ai status", name="s3")
    with ai_server.database.session(readonly=True) as s:
        assert s.scalar(select(AiSetting.enabled)) is True


def test_status_counts_todays_calls_fallbacks_and_top_spenders(ai_server, fake, wednesday):
    with ai_server.database.session() as s:
        s.add_all([AiUsage(team_id=TEAM, user_id=None, prompt="brief@v1", prompt_tokens=900,
                           completion_tokens=300, outcome="ok", created_at=wednesday),
                   AiUsage(team_id=TEAM, user_id=None, prompt="brief@v1", prompt_tokens=100,
                           completion_tokens=0, outcome="fallback:timeout",
                           created_at=wednesday)])
    said = crm(ai_server, fake, "ai status")
    assert "1,300 of 200,000 tokens used, 198,700 left" in said
    assert "2 calls, 1 fell back" in said and "someone 1,300" in said


def test_a_rep_is_refused_and_nothing_is_written(ai_server, fake):
    said = crm(ai_server, fake, "ai off", user="USAM")
    assert "Only an admin" in said and "changed nothing" in said
    assert "Only an admin" in crm(ai_server, fake, "ai feedback", user="USAM", name="c2")
    assert ai_server.count(AiSetting) == 0


def test_without_a_model_status_and_help_say_nothing_is_sent(wednesday, database, fake):
    server = start_server(database, fake, settings_for(fake))
    try:
        said = crm(server, fake, "ai status")
        assert "none configured" in said and "offline engine does everything" in said
        answer = crm_answer(server, fake, "help", user="USAM", name="h1")
        assert "nothing you say is sent anywhere" in blocks_text(answer.params["blocks"])
    finally:
        server.close()


def test_with_a_model_help_says_what_it_is_sent(ai_server, fake):
    answer = crm_answer(ai_server, fake, "help", user="USAM", name="h2")
    said = blocks_text(answer.params["blocks"])
    assert "fact sheet" in said and "never its whole timeline" in said and "ai off" in said
    assert "Voice clips are heard on this server" in said


def test_help_says_when_voice_clips_go_to_the_endpoint():
    from bot.assistant.executors.help import what_is_sent
    from tests.conftest import make_settings

    said = what_is_sent(make_settings(openai_base_url="http://127.0.0.1:9/v1",
                                      salesbot_stt="openai"))
    assert "Voice clips are sent to it" in said and "does not change it" in said


# ------------------------------------------------------------------ streaming
def streamed_calls(fake) -> list:
    return [c for c in fake.calls if c.method.startswith(("chat.startStream",
                                                          "chat.appendStream",
                                                          "chat.stopStream"))]


def test_a_composed_reply_is_streamed_into_the_dm_thread_then_finished_with_buttons(
        ai_server, fake, writer):
    ai_server.dm("help", ts="1700000100.000100", thread_ts="1700000050.000100")
    stop = fake.wait_for("chat.stopStream")[0]
    calls = streamed_calls(fake)
    assert [c.method for c in calls] == ["chat.startStream", "chat.appendStream",
                                         "chat.appendStream", "chat.stopStream"]
    start = calls[0].params
    assert start["channel"] == "D1" and start["thread_ts"] == "1700000050.000100"
    assert (start["recipient_team_id"], start["recipient_user_id"]) == (TEAM, "USAM")
    sent = [chunk["text"] for c in calls[:3] for chunk in c.params["chunks"]]
    # Each chunk as the writer yielded it, in order, its mrkdwn as the stream's Markdown.
    assert sent == [markdown_of(s) for s in SENTENCES]
    assert sent[0].startswith("**Northwind** is in negotiation")
    assert fake.streamed_text(stop.params["ts"]) == "".join(sent)
    final = blocks_text(stop.params["blocks"])
    assert "👍" in final and "👎" in final and "ai_feedback:down" in final
    # The prose is streamed once, not repeated in a section below it.
    assert not [b for b in stop.params["blocks"] if "Northwind" in json.dumps(b.get("text"))]
    # The assistant thread showed its status while the reply was written.
    assert ("D1", "1700000050.000100", "is writing…") in fake.statuses
    fake.quiet_for(0.2)
    assert not fake.calls_to("chat.postMessage")


def test_streaming_refused_means_one_post_with_the_whole_reply(ai_server, fake):
    fake.fail_next("chat.startStream", status=200, retry_after=None,
                   error="not_allowed_streaming")
    ai_server.dm("help")
    post = fake.wait_for("chat.postMessage")[0]
    text, blocks = posted(post)
    assert "Northwind* is in negotiation" in blocks and "👎" in blocks
    assert not fake.calls_to("chat.appendStream") and not fake.calls_to("chat.stopStream")


def test_a_stream_failing_midway_still_leaves_the_whole_answer(ai_server, fake):
    fake.fail_next("chat.appendStream", status=200, retry_after=None, error="internal_error",
                   times=5)
    ai_server.dm("help")
    update = fake.wait_for("chat.update")[0]
    _, blocks = posted(update)
    assert "Next: send the contract" in blocks and "👍" in blocks
    assert update.params["ts"] in fake.streams  # the streamed message, made whole


def test_a_writer_that_breaks_midway_leaves_the_code_written_reply(
        wednesday, database, fake, model):
    server = start_server(database, fake, with_model(fake, model),
                          setup=compose_help, writer=DoubleWriter(fail_after=1))
    try:
        server.dm("help")
        update = fake.wait_for("chat.update")[0]  # the streamed sentence gives way
        _, blocks = posted(update)
        assert "Tell me what happened" in blocks and "👎" not in blocks
    finally:
        server.close()


def test_the_slash_command_gets_the_written_reply_in_one_private_answer(ai_server, fake):
    said = crm(ai_server, fake, "help", user="USAM")
    assert said.startswith("*Northwind* is in negotiation")
    assert not streamed_calls(fake)


# --------------------------------------------------------------------- ratings
def test_thumbs_down_is_stored_with_the_prompt_and_listed_for_admins(ai_server, fake):
    ai_server.dm("help")
    stop = fake.wait_for("chat.stopStream")[0]
    payload = button_press(fake, stop.params["blocks"], "👎", "rate1")
    assert ai_server.interact(payload)[0] == 200
    thanks = fake.wait_for("response_url")[0]
    assert thanks.params["response_type"] == "ephemeral"
    assert thanks.params["replace_original"] is False and "Thanks" in thanks.params["text"]
    with ai_server.database.session(readonly=True) as s:
        rated = s.scalar(select(AiFeedback))
        assert (rated.prompt, rated.rating) == ("brief@v1", "down")
        assert rated.excerpt.startswith("*Northwind* is in negotiation")
    listed = crm(ai_server, fake, "ai feedback", name="fb")
    assert "`brief@v1` — Sam Rivera" in listed and "Northwind* is in negotiation" in listed
    assert "1 👎" in listed or "latest 1" in listed


def test_a_rating_button_with_a_bad_value_is_answered_kindly(ai_server, fake):
    blocks = [{"type": "actions", "elements": [{
        "type": "button", "text": {"type": "plain_text", "text": "👎"},
        "action_id": "ai_feedback:down#1", "value": "not json"}]}]
    assert ai_server.interact(button_press(fake, blocks, "👎", "rate2"))[0] == 200
    said = fake.wait_for("response_url")[0].params["text"]
    assert "expired" in said and "saved nothing" in said
    assert ai_server.count(AiFeedback) == 0


# -------------------------------------------------------------------- App Home
def test_app_home_shows_the_models_usage_to_admins_only(ai_server, fake):
    ai_server.event({"type": "app_home_opened", "user": "UADM", "channel": "D9", "tab": "home"})
    admin = blocks_text(fake.wait_for("views.publish")[0].params["view"]["blocks"])
    assert "Model (admins)" in admin and "tokens used" in admin
    ai_server.event({"type": "app_home_opened", "user": "USAM", "channel": "D1", "tab": "home"})
    rep = blocks_text(fake.wait_for("views.publish", count=2)[1].params["view"]["blocks"])
    assert "Your day, Sam" in rep and "Model (admins)" not in rep and "tokens" not in rep


def test_a_mention_in_a_channel_streams_to_the_person_who_asked(ai_server, fake):
    event = {"type": "app_mention", "channel": "C1", "user": "USAM", "ts": "1700000003.000100",
             "text": "<@UBOT> help"}
    assert ai_server.event(event)[0] == 200
    fake.wait_for("chat.stopStream")
    start = fake.calls_to("chat.startStream")[0].params
    assert (start["channel"], start["thread_ts"]) == ("C1", "1700000003.000100")
    assert (start["recipient_team_id"], start["recipient_user_id"]) == (TEAM, "USAM")
    assert not fake.calls_to("chat.postMessage")


def test_the_writers_bookings_run_in_a_worker_in_short_transactions(ai_server):
    from bot.assistant.types import Compose
    from bot.listeners.streaming import WorkerAccess
    from tests.writing_double import reserve_in, settle_in

    access = WorkerAccess(ai_server.workers, reserve_in=reserve_in, settle_in=settle_in)
    compose = Compose(prompt="brief", facts={}, team_id=TEAM, user_id=None)
    usage_id = access.reserve(compose, prompt="brief@v1", need=500)
    assert isinstance(usage_id, int)
    access.settle(usage_id, prompt_tokens=420, completion_tokens=80, outcome="ok")
    with ai_server.database.session(readonly=True) as s:
        usage = s.get(AiUsage, usage_id)
        assert (usage.prompt_tokens, usage.completion_tokens, usage.outcome) == (420, 80, "ok")


def test_with_the_model_off_messages_are_read_without_it(ai_server, fake, model):
    crm(ai_server, fake, "hot leads", user="USAM", name="before")
    asked = len(model.requests)
    assert asked >= 1  # on: the model is asked first (and turns it down here)
    crm(ai_server, fake, "ai off", name="off")
    after = crm(ai_server, fake, "hot leads", user="USAM", name="after")
    assert after == crm(ai_server, fake, "hot leads", user="USAM", name="again")
    assert "went wrong" not in after and "didn't catch" not in after
    assert len(model.requests) == asked + 1  # "ai off" itself was read with the model on


@pytest.mark.parametrize(("mrkdwn", "markdown"), [
    ("*Northwind* is in *negotiation*.", "**Northwind** is in **negotiation**."),
    ("• _soon_ and ~old~ price", "• _soon_ and ~~old~~ price"),
    ("see <https://x.example/a|the deal>", "see [the deal](https://x.example/a)"),
    ("2 * 3 * 4 and a*b", "2 * 3 * 4 and a*b"),
    ("**already**", "**already**"),
])
def test_mrkdwn_chunks_become_the_markdown_a_stream_takes(mrkdwn, markdown):
    assert markdown_of(mrkdwn) == markdown
