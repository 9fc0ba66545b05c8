"""One model call for prose, streamed, with every way it can fail named (I/O).

Failures come out as `Failed(why, outcome)`: `why` is the words the reply says ("the
model timed out"), `outcome` what the usage row records ("fallback:timeout"). A 429 is
waited out once when its Retry-After is short; anything longer gives way to the offline
text at once, since a rep is waiting.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.model import failure_kind, retry_after_s
from bot.writing.claims import Claim, ClaimReader, response_format

SHORT_WAIT_S = 2.0  # the longest Retry-After worth waiting for
TEMPERATURE = 0.2


class Failed(Exception):
    """The model gave nothing usable; the offline text stands."""

    def __init__(self, why: str, outcome: str) -> None:
        super().__init__(why)
        self.why = why
        self.outcome = outcome


@dataclass
class Usage:
    """Tokens as the endpoint counted them (summed over the calls of one writing)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    reported: bool = False

    def add(self, usage: Any) -> None:
        if usage is None:
            return
        self.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
        self.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
        self.reported = True


def _failed(exc: Exception) -> Failed:
    kind, status = failure_kind(exc)
    if kind == "timeout":
        return Failed("the model timed out", "fallback:timeout")
    if kind == "rate_limited":
        return Failed("the model is busy right now (rate limited)", "fallback:rate_limited")
    if kind == "status":
        return Failed(f"the model answered with an error (HTTP {status})", "fallback:error")
    if kind == "connection":
        return Failed("the model could not be reached", "fallback:connection")
    return Failed("the model's answer could not be read", "fallback:unreadable")


def _open(client: Any, *, deadline: float, **request: Any) -> Any:
    """The request sent, one short 429 waited out."""
    for attempt in range(2):
        try:
            return client.chat.completions.create(**request)
        except Exception as exc:  # noqa: BLE001 - each kind becomes its reason
            wait = retry_after_s(exc) if failure_kind(exc)[0] == "rate_limited" else None
            if attempt or wait is None or wait > SHORT_WAIT_S \
                    or time.monotonic() + wait > deadline:
                raise _failed(exc) from None
            time.sleep(wait)
    raise AssertionError("unreachable")


def stream_text(client: Any, *, model: str, messages: list[dict[str, str]], max_tokens: int,
                timeout_s: float, usage: Usage) -> Iterator[str]:
    """The answer's text, piece by piece as the endpoint streams it; the usage the
    endpoint reports is added to `usage`. Raises Failed; `timeout_s` bounds the whole."""
    deadline = time.monotonic() + timeout_s
    stream = _open(client, deadline=deadline, model=model, messages=messages,
                   response_format=response_format(), temperature=TEMPERATURE,
                   max_tokens=max_tokens, stream=True, stream_options={"include_usage": True})
    finished = False
    try:
        for chunk in stream:
            if time.monotonic() > deadline:
                raise Failed("the model timed out", "fallback:timeout")
            usage.add(getattr(chunk, "usage", None))
            for choice in chunk.choices or ():
                piece = getattr(choice.delta, "content", None)
                if piece:
                    yield piece
                if getattr(choice.delta, "refusal", None):
                    raise Failed("the model declined to write it", "fallback:refused")
                finished = finished or bool(choice.finish_reason)
        if not finished:  # the connection ended before the answer did
            raise Failed("the connection to the model dropped", "fallback:connection")
    except Failed:
        raise
    except Exception as exc:  # noqa: BLE001 - a stream cut midway is a failed call
        raise _failed(exc) from None
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def ask_claims(client: Any, *, model: str, messages: list[dict[str, str]], max_tokens: int,
               timeout_s: float, usage: Usage) -> list[Claim]:
    """One call answered whole (the map step): its claims. Raises Failed."""
    reader = ClaimReader()
    for piece in stream_text(client, model=model, messages=messages, max_tokens=max_tokens,
                             timeout_s=timeout_s, usage=usage):
        reader.feed(piece)
    claims = reader.whole()
    if claims is None:
        raise Failed("the model's answer could not be read", "fallback:unreadable")
    return claims
