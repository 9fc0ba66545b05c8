"""Prompts as checked, versioned files, and the one model client every model use shares."""

from __future__ import annotations

import datetime as dt

import pytest

import prompts
from bot.model import MAX_RETRIES, model_client
from bot.nlu.llm import LLMEngine
from prompts.nlu import nlu_messages
from prompts.tokens import count_tokens
from tests.conftest import make_settings

NOW = dt.datetime(2026, 11, 18, 10, 0)


def test_the_nlu_prompt_is_a_versioned_system_and_user_template():
    nlu = prompts.load("nlu")
    assert nlu.label.startswith("nlu@v") and nlu.placeholders == {"now", "weekday", "tz",
                                                                  "names", "workspace_examples",
                                                                  "message"}
    system, user = nlu_messages("called Priya", now=NOW, tz="Europe/Berlin", model="gpt-4o-mini")
    assert system["role"] == "system" and "2026-11-18T10:00 (Wednesday)" in system["content"]
    assert "local time in Europe/Berlin" in system["content"] and "{" not in system["content"]
    assert user == {"role": "user", "content": "called Priya"}


def test_a_long_message_is_cut_to_its_token_budget_and_braces_stay_text():
    budget = prompts.load("nlu").budgets["message"]
    long = "Called Priya {about} the renewal, budget approved. " * 400
    user = nlu_messages(long, now=NOW, tz="UTC", model="gpt-4o-mini")[1]["content"]
    assert user.startswith("Called Priya {about} the renewal") and user.endswith(" …")
    assert count_tokens(user) <= budget + 2


def test_rendering_refuses_missing_or_unknown_values():
    nlu = prompts.load("nlu")
    with pytest.raises(prompts.PromptError, match="missing \\['weekday'\\]"):
        nlu.render(model="m", now="x", tz="UTC", names="", workspace_examples="", message="hi")
    with pytest.raises(prompts.PromptError, match="unexpected \\['extra'\\]"):
        nlu.render(model="m", now="x", weekday="y", tz="UTC", names="", workspace_examples="",
                   message="hi", extra=1)


@pytest.mark.parametrize(("text", "problem"), [
    ("version: 1\nplaceholders: a\n--- user\n{a} {b}\n", "placeholders used"),
    ("version: 1\n--- system\nhello\n", "no user part"),
    ("placeholders: a\n--- user\n{a}\n", "version"),
    ("version: 1\nplaceholders: a\nbudget: b 10\n--- user\n{a}\n", "bad budget"),
    ("version: 1\n--- assistant\nhi\n--- user\nhi\n", "unexpected part"),
])
def test_a_malformed_prompt_file_is_refused_when_loaded(text, problem):
    with pytest.raises(prompts.PromptError, match=problem):
        prompts.loader.parse("bad", text)


def test_an_unknown_prompt_is_a_clear_error():
    with pytest.raises(prompts.PromptError, match="no prompt named 'nope'"):
        prompts.load("nope")


def test_one_client_per_endpoint_shared_by_every_model_use():
    settings = make_settings(openai_base_url="http://127.0.0.1:9/v1", openai_api_key="sk-test",
                             openai_timeout_s=7)
    client = model_client(settings)
    assert client is model_client(make_settings(openai_base_url="http://127.0.0.1:9/v1",
                                                openai_api_key="sk-test", openai_timeout_s=7))
    assert LLMEngine(settings).client is client
    assert client.timeout == 7 and client.max_retries == MAX_RETRIES
    assert str(client.base_url).startswith("http://127.0.0.1:9/v1")
    other = model_client(make_settings(openai_base_url="http://127.0.0.1:10/v1"))
    assert other is not client and other.api_key == "not-needed"
