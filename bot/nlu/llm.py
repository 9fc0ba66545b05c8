"""The LLM engine: any OpenAI-compatible endpoint, the same action schema as the rules.

The model only proposes actions (tool calls validated into the same pydantic models,
repaired where a real model's drift can be read safely: bot/nlu/llm_output.py). When
nothing usable comes back — timeout, HTTP error, a refusal, prose, only tools that do
not exist — the rules engine answers instead, so the product never depends on the model.

Confidence, for the same clarification path as the offline engine: the model's own
`confidence` (an optional key added to every tool) when it gives one, else SURE; at
most REPAIRED when its output had to be repaired; at most DISAGREE when the offline
engine, run on the same text with the same known names, reads no action of that intent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from bot.model import model_client
from bot.nlu.actions import Action, Unknown, tool_definitions
from bot.nlu.learned import current_examples, current_names
from bot.nlu.llm_output import Proposed, calls_in_content, read_call
from bot.nlu.rules import parse as rules
from bot.settings import Settings
from prompts import load
from prompts.nlu import nlu_messages

log = logging.getLogger(__name__)
MAX_ACTIONS = 8
SURE, REPAIRED, DISAGREE = 0.9, 0.6, 0.5
# A rep is waiting and the rules answer at once: no retry (a 429's Retry-After could hold
# the message for up to two minutes in the client's own retry loop).
RETRIES = 0
# Nor does it wait for a model that hangs as long as prose may take (OPENAI_TIMEOUT_S, for
# briefs and drafts): reading a message is one short answer, and the rules are ready.
READ_TIMEOUT_S = 8.0
CONFIDENCE_KEY = {"type": "number", "minimum": 0, "maximum": 1,
                  "description": "how sure you are the rep meant this, 0-1"}


class LLMUnusable(Exception):
    """The model's answer cannot be used (the rules engine takes over)."""


class LLMEngine:
    """Callable like the rules engine: `engine(text, now=..., tz=...) -> list[Action]`."""

    def __init__(self, settings: Settings, *, client=None,
                 fallback: Callable[..., list[Action]] | None = None,
                 offline: Callable[..., list[Action]] = rules) -> None:
        self.model = settings.openai_model
        self.client = client or model_client(settings)
        # The same client (and connection pool), asked with this engine's retries.
        self._asking = self.client.with_options(
            max_retries=RETRIES, timeout=min(settings.openai_timeout_s, READ_TIMEOUT_S))
        self.prompt = load("nlu")  # read and checked now, not on the first message
        self.fallback = fallback
        self.offline = offline
        self._tools = _with_confidence(tool_definitions())
        self.last_engine = "llm"

    def __call__(self, text: str, *, now: dt.datetime, tz: str) -> list[Action]:
        try:
            proposed = self.ask(text, now=now, tz=tz)
        except Exception as exc:  # the model failing must never fail the user
            if self.fallback is None:
                raise
            log.warning("LLM engine (%s) failed (%s); using the rules engine",
                        self.prompt.label, _why(exc))
            self.last_engine = "rules"
            return self.fallback(text, now=now, tz=tz)
        self.last_engine = "llm"
        return self.rate(proposed, text, now=now, tz=tz)

    def ask(self, text: str, *, now: dt.datetime, tz: str) -> list[Proposed]:
        """One round with the model; raises when its answer is unusable."""
        messages = nlu_messages(text, now=now, tz=tz, model=self.model, names=current_names(),
                                examples=current_examples())
        response = self._asking.chat.completions.create(
            model=self.model, messages=messages, tools=self._tools, tool_choice="required",
            temperature=0, max_tokens=800,
        )
        if not response.choices:
            raise LLMUnusable("no choices")
        message = response.choices[0].message
        if getattr(message, "refusal", None):
            raise LLMUnusable(f"refused: {message.refusal[:100]}")
        calls: list[tuple[str, Any]] = [(c.function.name, c.function.arguments)
                                        for c in message.tool_calls or [] if c.function]
        in_text = not calls
        if in_text:  # some servers put the calls in the text, fenced or not
            calls = calls_in_content(message.content)
        if not calls:
            raise LLMUnusable("no tool call")
        proposed: list[Proposed] = []
        for name, arguments in calls[:MAX_ACTIONS]:
            read = read_call(name, arguments)
            # A call said twice is done once: models do repeat themselves.
            if read and all(read.action != p.action for p in proposed):
                proposed.append(read)
        if not proposed:
            raise LLMUnusable(f"no usable call among {[n for n, _ in calls][:MAX_ACTIONS]}")
        if in_text or len(proposed) < len(calls):  # the answer as a whole was off
            for p in proposed:
                p.repaired = True
        return proposed

    def rate(self, proposed: list[Proposed], text: str, *, now: dt.datetime,
             tz: str) -> list[Action]:
        """The actions, each with its confidence (see the module docstring)."""
        offline = self._offline_intents(text, now=now, tz=tz)
        actions = []
        for p in proposed:
            confidence = p.stated if p.stated is not None else SURE
            if p.repaired:
                confidence = min(confidence, REPAIRED)
            if offline and p.action.intent not in offline:
                confidence = min(confidence, DISAGREE)
            p.action.confidence = round(confidence, 3)
            actions.append(p.action)
        return actions

    def _offline_intents(self, text: str, *, now: dt.datetime, tz: str) -> set[str]:
        """The intents the offline engine reads; empty when it has no opinion."""
        try:
            intents = {a.intent for a in self.offline(text, now=now, tz=tz)}
        except Exception:  # noqa: BLE001 - a second opinion must not cost the first
            log.exception("the offline engine failed as a second opinion")
            return set()
        return intents - {Unknown.model_fields["intent"].default}


def _with_confidence(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for tool in tools:
        tool["function"]["parameters"]["properties"]["confidence"] = CONFIDENCE_KEY
    return tools


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if str(exc) \
        else type(exc).__name__
