"""The LLM engine over real HTTP with the real openai client, and its fallback to rules."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from bot.cli import main
from bot.nlu.engines import EngineUnavailable, pick_engine
from bot.nlu.learned import known_names
from bot.nlu.llm import DISAGREE, REPAIRED, SURE, LLMEngine
from bot.nlu.rules import parse as rules
from prompts.nlu import names_block
from prompts.tokens import count_tokens
from tests.conftest import make_settings
from tests.openai_fake import FakeOpenAI, message_response, tool_call_response

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
    assert [a.confidence for a in actions] == [SURE, SURE]  # clean, and the rules agree
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
    fake.script.append(failure)
    llm = engine(fake)
    actions = llm(TEXT, now=NOW, tz="America/New_York")
    assert actions == rules(TEXT, now=NOW, tz="America/New_York")
    assert llm.last_engine == "rules"


def test_a_slow_model_times_out_into_the_rules(fake):
    fake.script.extend([("sleep", 2), ("sleep", 2)])
    llm = engine(fake, timeout=0.3)
    started = time.monotonic()
    actions = llm(TEXT, now=NOW, tz="America/New_York")
    assert actions == rules(TEXT, now=NOW, tz="America/New_York")
    assert time.monotonic() - started < 1.5 and len(fake.requests) == 1  # no second wait


def test_reading_a_message_never_waits_as_long_as_prose_may(fake, monkeypatch):
    """OPENAI_TIMEOUT_S is for briefs and drafts; a message is read within the engine's
    own, shorter limit (shortened here so the test is quick)."""
    monkeypatch.setattr("bot.nlu.llm.READ_TIMEOUT_S", 0.3)
    fake.script.extend([("sleep", 3)])
    llm = engine(fake, timeout=20)
    started = time.monotonic()
    actions = llm(TEXT, now=NOW, tz="America/New_York")
    assert actions == rules(TEXT, now=NOW, tz="America/New_York")
    assert time.monotonic() - started < 1.5


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


# ------------------------------------------------------------ realistic model output
TASK = "remind me to send pricing to Priya Shah at Northwind next Tuesday"


def ask(fake, response, text=TEXT, **kw):
    fake.script.append(response)
    llm = engine(fake)
    with known_names(kw.pop("names", None)):
        actions = llm(text, now=NOW, tz="America/New_York")
    return llm, actions


def test_extra_keys_are_dropped_not_fatal_and_lower_the_confidence(fake):
    llm, actions = ask(fake, tool_call_response(("log_activity", {
        "kind": "call", "contact": "Priya Shah", "account": "Northwind",
        "summary": "budget approved", "sentiment": "positive", "priority": 3})))
    (action,) = actions
    assert llm.last_engine == "llm"
    assert (action.intent, action.contact, action.account) == \
        ("log_activity", "Priya Shah", "Northwind")
    assert action.confidence == REPAIRED


def test_missing_optional_keys_are_fine_and_a_clean_agreed_call_is_sure(fake):
    llm, actions = ask(fake, tool_call_response(("create_task", {"title": "Send pricing"})),
                       text=TASK)
    (task,) = actions
    assert (task.title, task.due, task.contact) == ("Send pricing", None, None)
    assert task.confidence == SURE


def test_values_a_model_gets_slightly_wrong_are_read_as_meant(fake):
    llm, actions = ask(fake, tool_call_response(
        ("create_deal", {"account": "Northwind", "amount": "40k", "stage": "Proposal",
                         "close_date": "2026-12-31T00:00:00Z"}),
        ("create_task", {"title": "Send the contract", "due": "2026-11-24"}),
        ("create_task", {"title": "Call back", "due": "2026-11-25T14:30:00Z",
                         "contact": "null"}),
        ("pipeline_query", {"measure": "amount", "min_amount": "$1.2M", "stages": "demo",
                            "period": {"start": "2026-11-01T00:00:00",
                                       "end": "2026-11-30"}}),
    ), text="new deal Northwind 40k in proposal closing Dec 31, and tasks")
    deal, first, second, query = actions
    assert (deal.amount, deal.stage, deal.close_date) == (40000, "proposal",
                                                          dt.date(2026, 12, 31))
    assert first.due == dt.datetime(2026, 11, 24, 9, 0)  # a bare day is at 09:00
    assert second.due == dt.datetime(2026, 11, 25, 14, 30) and second.contact is None
    assert (query.min_amount, query.stages) == (1_200_000, ["demo"])
    assert query.period.start == dt.date(2026, 11, 1)
    assert all(a.confidence <= REPAIRED for a in actions)


@pytest.mark.parametrize("content", [
    '{"actions": [{"intent": "hot_leads", "limit": 3}]}',
    'Here you go:\n```json\n{"actions": [{"intent": "hot_leads", "limit": 3}]}\n```',
    '```\n[{"name": "hot_leads", "arguments": {"limit": 3}}]\n```',
    '{"name": "hot_leads", "arguments": "{\\"limit\\": 3}"}',
    '{"tool_calls": [{"type": "function", "function": {"name": "hot_leads", '
    '"arguments": "{\\"limit\\": 3}"}}]}',
])
def test_json_in_the_message_text_instead_of_a_tool_call_is_read(fake, content):
    llm, actions = ask(fake, message_response(content), text="who should I call first? top 3")
    assert llm.last_engine == "llm"
    assert [(a.intent, a.limit) for a in actions] == [("hot_leads", 3)]
    assert actions[0].confidence <= REPAIRED


def test_several_tool_calls_are_several_actions(fake):
    text = "Met Dana at Globex, deal moves to negotiation, remind me Friday to send terms"
    llm, actions = ask(fake, tool_call_response(
        ("log_activity", {"kind": "meeting", "contact": "Dana", "account": "Globex"}),
        ("update_deal", {"account": "Globex", "stage": "negotiation"}),
        ("create_task", {"title": "Send terms", "due": "2026-11-20T09:00",
                         "account": "Globex"})), text=text)
    assert [a.intent for a in actions] == ["log_activity", "update_deal", "create_task"]


def test_an_unknown_tool_is_dropped_and_the_rest_kept(fake):
    llm, actions = ask(fake, tool_call_response(
        ("schedule_meeting", {"with": "Priya"}),
        ("log_activity", {"kind": "call", "contact": "Priya Shah", "account": "Northwind"})))
    assert llm.last_engine == "llm"
    assert [a.intent for a in actions] == ["log_activity"]
    assert actions[0].confidence <= REPAIRED  # the answer as a whole was off


@pytest.mark.parametrize("response", [
    message_response(None, refusal="I can't help with that."),
    message_response(""),
    message_response("I'm not sure what you mean."),
    message_response('```json\n{"actions": []}\n```'),
    tool_call_response(("log_activity", "{not json")),
    tool_call_response(("create_deal", {"account": "Northwind", "amount": "a lot"})),
    {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": []},
])
def test_a_refusal_or_an_empty_or_unreadable_answer_gets_the_rules(fake, response):
    llm, actions = ask(fake, response)
    assert llm.last_engine == "rules"
    assert actions == rules(TEXT, now=NOW, tz="America/New_York")


@pytest.mark.parametrize("failure", [
    ("status", 429, {"Retry-After": "30"}),
    ("status", 503, {"Retry-After": "20"}),
    500,
])
def test_a_rate_limit_or_server_error_gets_the_rules_at_once(fake, failure):
    fake.script.extend([failure, tool_call_response(("help", {}))])
    llm = engine(fake)
    started = time.monotonic()
    actions = llm(TEXT, now=NOW, tz="America/New_York")
    assert actions == rules(TEXT, now=NOW, tz="America/New_York")
    # Not the client's retry loop honouring Retry-After while the rep waits.
    assert time.monotonic() - started < 2 and len(fake.requests) == 1


@pytest.mark.parametrize("stated, expected", [(0.42, 0.42), ("85%", 0.85), (0.97, 0.97),
                                              ("very", SURE)])
def test_the_models_own_confidence_is_used_when_given(fake, stated, expected):
    _, actions = ask(fake, tool_call_response(("create_task", {
        "title": "Send pricing", "contact": "Priya Shah", "confidence": stated})), text=TASK)
    assert actions[0].confidence == expected
    tools = fake.requests[0]["tools"]
    assert all(t["function"]["parameters"]["properties"]["confidence"]["maximum"] == 1
               for t in tools)


def test_a_reading_the_offline_engine_does_not_share_is_unsure(fake):
    # The rules read a call and a task; a model that hears "hot leads" is not trusted.
    _, actions = ask(fake, tool_call_response(("hot_leads", {"limit": 3, "confidence": 0.95})))
    assert actions[0].confidence == DISAGREE


# ------------------------------------------------------------ known names in the prompt
def test_known_names_reach_the_prompt_the_mentioned_ones_first(fake):
    names = [("contact", f"Person Number{i}") for i in range(3000)] + \
        [("account", "Northwind Traders"), ("account", "Globex")]
    ask(fake, tool_call_response(("help", {})), names=names)
    system = fake.requests[0]["messages"][0]["content"]
    listed = system.split("(most relevant first):\n")[1].split("\n\nExamples")[0]
    assert listed.splitlines()[0] == "- Northwind Traders (account)"  # the message says it
    assert "- Globex (account)" in listed  # the kinds take turns: accounts are not crowded out
    assert "- Person Number0 (contact)" in listed  # then by recency
    assert "Person Number2999" not in listed
    assert count_tokens(listed, "test-model") <= 300


def test_names_block_ranks_and_budgets():
    names = [("contact", "Ada Byron"), ("contact", "Grace Hopper"), ("account", "Acme"),
             ("deal", "Acme renewal"), ("user", "Sam")]
    block = names_block(names, "call grace about the acme renewal", model="gpt-4o-mini",
                        budget=1000)
    assert block.splitlines()[:3] == ["- Acme renewal (deal)", "- Acme (account)",
                                      "- Grace Hopper (contact)"]
    assert "- Sam (user)" in block
    assert names_block(names, "hi", model="gpt-4o-mini", budget=12).count("\n") < 2
    assert names_block([], "hi", model="gpt-4o-mini", budget=100) == "(none known)"


def test_the_assistant_gives_the_model_its_workspace_names(fake, database):
    from bot.assistant.core import Assistant
    from bot.assistant.types import Incoming, Person

    fake.script.extend([
        tool_call_response(("create_contact", {"name": "Ada Byron",
                                               "account": "Analytical Engines"})),
        tool_call_response(("help", {}))])
    bot = Assistant(database, make_settings(), engine=engine(fake))
    person = Person(team_id="local", user_id="U1", name="Sam")
    bot.handle(Incoming(person=person, text="add Ada Byron at Analytical Engines",
                        source_id="n1"))
    bot.handle(Incoming(person=person, text="what did Ada say?", source_id="n2"))
    listed = fake.requests[1]["messages"][0]["content"].split("(most relevant first):\n")[1]
    assert listed.startswith("- Ada Byron (contact)")
    assert "- Analytical Engines (account)" in listed


def test_a_call_said_twice_is_done_once_and_unknown_response_keys_are_ignored(fake):
    response = tool_call_response(
        ("hot_leads", {"limit": 3}), ("hot_leads", {"limit": 3}))
    response["system_fingerprint"] = "fp_x"
    response["choices"][0]["message"]["reasoning_content"] = "They want leads."
    llm, actions = ask(fake, response, text="who should I call first? top 3")
    assert llm.last_engine == "llm" and [(a.intent, a.limit) for a in actions] == \
        [("hot_leads", 3)]
