"""The LLM engine: any OpenAI-compatible endpoint, the same action schema as the rules.

The model only proposes actions (tool calls validated into the same pydantic models);
on any failure — timeout, HTTP error, no tool call, invalid arguments — the rules
engine answers instead, so the product never depends on the model being up.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable

from bot.model import model_client
from bot.nlu.actions import Action, action_from_tool_call, tool_definitions
from bot.settings import Settings
from prompts import load
from prompts.nlu import nlu_messages

log = logging.getLogger(__name__)
MAX_ACTIONS = 8


class LLMUnusable(Exception):
    """The model's answer cannot be used (the rules engine takes over)."""


class LLMEngine:
    """Callable like the rules engine: `engine(text, now=..., tz=...) -> list[Action]`."""

    def __init__(self, settings: Settings, *, client=None,
                 fallback: Callable[..., list[Action]] | None = None) -> None:
        self.model = settings.openai_model
        self.client = client or model_client(settings)
        self.prompt = load("nlu")  # read and checked now, not on the first message
        self.fallback = fallback
        self._tools = tool_definitions()
        self.last_engine = "llm"

    def __call__(self, text: str, *, now: dt.datetime, tz: str) -> list[Action]:
        try:
            actions = self.ask(text, now=now, tz=tz)
            self.last_engine = "llm"
            return actions
        except Exception as exc:  # the model failing must never fail the user
            if self.fallback is None:
                raise
            log.warning("LLM engine (%s) failed (%s); using the rules engine",
                        self.prompt.label, _why(exc))
            self.last_engine = "rules"
            return self.fallback(text, now=now, tz=tz)

    def ask(self, text: str, *, now: dt.datetime, tz: str) -> list[Action]:
        """One round with the model; raises when its answer is unusable."""
        response = self.client.chat.completions.create(
            model=self.model, messages=nlu_messages(text, now=now, tz=tz, model=self.model),
            tools=self._tools, tool_choice="required", temperature=0, max_tokens=800,
        )
        if not response.choices:
            raise LLMUnusable("no choices")
        calls = response.choices[0].message.tool_calls or []
        if not calls:
            raise LLMUnusable("no tool call")
        actions = []
        for call in calls[:MAX_ACTIONS]:
            try:
                arguments = json.loads(call.function.arguments or "{}")
                actions.append(action_from_tool_call(call.function.name, arguments))
            except (ValueError, TypeError) as exc:  # ValidationError is a ValueError
                raise LLMUnusable(f"bad tool call {call.function.name!r}: {exc}") from exc
        return actions


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if str(exc) \
        else type(exc).__name__
