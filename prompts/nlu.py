"""The NLU prompt: the system text from prompts/nlu_system.txt and the rep's message."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

from prompts.tokens import truncate_to_tokens

MESSAGE_BUDGET = 1500  # tokens of the rep's message we pass on; the rest is cut


@cache
def template(name: str) -> str:
    """A prompt file shipped in this package."""
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


def nlu_messages(text: str, *, now: dt.datetime, tz: str, model: str) -> list[dict[str, str]]:
    """Chat messages asking the model to turn `text` into tool calls."""
    system = template("nlu_system.txt").format(now=now.strftime("%Y-%m-%dT%H:%M"),
                                               weekday=now.strftime("%A"), tz=tz)
    return [{"role": "system", "content": system},
            {"role": "user", "content": truncate_to_tokens(text, MESSAGE_BUDGET, model)}]
