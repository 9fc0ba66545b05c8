"""Which engine understands messages: the LLM when one is configured, else the rules.

Every engine is a callable `engine(text, *, now, tz) -> list[Action]`.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.nlu.actions import Action
from bot.nlu.rules import parse as rules
from bot.settings import Settings

Engine = Callable[..., list[Action]]


class EngineUnavailable(Exception):
    """The engine asked for cannot run with this configuration."""


def pick_engine(settings: Settings, name: str = "auto") -> Engine:
    """`rules`, `llm` (no fallback: for measuring the model) or `auto` (LLM, falling back)."""
    if name == "rules" or (name == "auto" and not settings.llm_configured):
        return rules
    if not settings.llm_configured:
        raise EngineUnavailable("the llm engine needs a model: set OPENAI_API_KEY or "
                                "OPENAI_BASE_URL (and OPENAI_MODEL)")
    from bot.nlu.llm import LLMEngine

    return LLMEngine(settings, fallback=rules if name == "auto" else None)
