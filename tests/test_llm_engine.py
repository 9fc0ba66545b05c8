"""The LLM engine over real HTTP with the real openai client, and its fallback to rules."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.cli import main
from bot.nlu.engines import EngineUnavailable, pick_engine
from bot.nlu.llm import LLMEngine
from bot.nlu.rules import parse as rules
from tests.conftest import make_settings
from tests.openai_fake import FakeOpenAI, tool_call_response

NOW = dt.datetime(2026, 11, 18, 10, 0)
TEXT = "Had a call with Priya Shah from Northwind, budget approved, follow up next Tuesday"


@pytest.fixture
def fake():
    server = FakeOpenAI()
    yield server
    server.close()


def engine(fake, **kw):
    settings = make_settings(openai_base_url=fake.url, openai_api_key="sk-test",
                        openai_model="test-model", openai_timeout_s=kw.pop("timeout", 5))
    return LLMEngine(settings, fallback=rules, **kw)


def test_tool_calls_become_validated_actions(fake):
    fake.script.append(tool_call_response(
        ("log_activity", {"kind": "call", "contact": "Priya Shah", "account": "Northwind",
                          "summary": "budget approved", "occurred_on": "2026-11-18"}),
        ("create_task", {"title": "Follow up with Priya", "due": "2026-11-24T09:00",
                         "contact": "Priya Shah", "account": "Northwind"}),
    ))
    llm = engine(fake)
    actions = llm(TEXT, now=NOW, tz="America/New_York")
    assert [a.intent for a in actions] == ["log_activity", "create_task"]
    assert actions[1].due == dt.datetime(2026, 11, 24, 9, 0)
    assert llm.last_engine == "llm"
    request = fake.requests[0]
    assert request["model"] == "test-model" and request["tool_choice"] == "required"
    assert {t["function"]["name"] for t in request["tools"]} >= {"log_activity", "pipeline_query"}
    assert "2026-11-18T10:00 (Wednesday)" in request["messages"][0]["content"]
    assert request["messages"][1]["content"] == TEXT


@pytest.mark.parametrize("failure", [
    500,
    429,
    tool_call_response(("update_deal", {"stage": "pondering"})),  # invalid against the schema
    tool_call_response(("drop_tables", {})),  # not a tool we offered
    {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": [
        {"index": 0, "finish_reason": "stop",
         "message": {"role": "assistant", "content": "Sure! I logged it."}}]},  # prose
])
def test_any_model_failure_falls_back_to_the_rules(fake, failure):
    fake.script.extend([failure, failure])  # the client retries once
    llm = engine(fake)
    actions = llm(TEXT, now=NOW, tz="America/New_York")
    assert actions == rules(TEXT, now=NOW, tz="America/New_York")
    assert llm.last_engine == "rules"


def test_a_slow_model_times_out_into_the_rules(fake):
    fake.script.extend([("sleep", 2), ("sleep", 2)])
    llm = engine(fake, timeout=0.3)
    actions = llm(TEXT, now=NOW, tz="America/New_York")
    assert actions == rules(TEXT, now=NOW, tz="America/New_York")


def test_auto_uses_rules_without_keys_and_llm_alone_refuses():
    assert pick_engine(make_settings(), "auto") is rules
    with pytest.raises(EngineUnavailable):
        pick_engine(make_settings(), "llm")


def test_parse_command_with_the_llm_engine(fake, monkeypatch, capsys):
    from bot.settings import get_settings

    fake.script.append(tool_call_response(("hot_leads", {"limit": 3})))
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    get_settings.cache_clear()
    try:
        assert main(["parse", "--engine", "llm", "--now", "2026-11-18T10:00", "--tz", "UTC",
                     "who should I call?"]) == 0
    finally:
        get_settings.cache_clear()
    assert json.loads(capsys.readouterr().out) == {"actions": [{"intent": "hot_leads",
                                                                "limit": 3}]}


def test_the_assistant_runs_what_the_model_proposed(fake, database):
    from bot.assistant.core import Assistant
    from bot.assistant.types import Incoming, Person

    fake.script.append(tool_call_response(("create_contact", {
        "name": "Ada Byron", "account": "Analytical Engines", "title": "CTO"})))
    bot = Assistant(database, make_settings(), engine=engine(fake))
    reply = bot.handle(Incoming(person=Person(team_id="local", user_id="U1", name="Sam"),
                                text="add Ada Byron, CTO at Analytical Engines",
                                source_id="e1"))
    assert reply.wrote and "Added *Ada Byron* at Analytical Engines — CTO" in reply.text


def test_model_output_is_checked_like_any_other_action(fake, database):
    # The LLM proposes; the executor still enforces permissions and validation.
    fake.script.append(tool_call_response(("log_activity", {"kind": "call",
                                                            "summary": "no one named"})))
    from bot.assistant.core import Assistant
    from bot.assistant.types import Incoming, Person

    bot = Assistant(database, make_settings(), engine=engine(fake))
    reply = bot.handle(Incoming(person=Person(team_id="local", user_id="U1", name="Sam"),
                                text="log it", source_id="e2"))
    assert not reply.ok and "Who was it with?" in reply.text
