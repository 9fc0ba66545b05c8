"""The NLU prompt (prompts/model/nlu.txt) filled for one message of a rep."""

from __future__ import annotations

import datetime as dt

from prompts.loader import load


def nlu_messages(text: str, *, now: dt.datetime, tz: str, model: str) -> list[dict[str, str]]:
    """Chat messages asking the model to turn `text` into tool calls."""
    return load("nlu").render(model=model, now=now.strftime("%Y-%m-%dT%H:%M"),
                              weekday=now.strftime("%A"), tz=tz, message=text)
