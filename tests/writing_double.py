"""A stand-in for bot.writing.write (the `write` helper's model prose), for the Slack
side's tests: it keeps WRITING.md's contract — an iterable of prose chunks whose `.reply`
is the reply to show in the end, 👍/👎 added when model-written, compose cleared — and
writes from the reply's facts without a model. The Slack side is what is under test.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

from bot.assistant.types import Button, Compose, Reply

PROMPT = "brief@v1"


def chunks_of(compose: Compose) -> list[str]:
    """The prose a model would write from these facts, sentence by sentence."""
    return list(compose.facts.get("sentences") or ["*Nothing to say.*"])


@dataclasses.dataclass
class DoubleWriting:
    source: Reply
    chunks: list[str]
    fail_after: int | None = None  # raise after this many chunks (a writer bug)
    pause_s: float = 0.0
    reply: Reply = dataclasses.field(init=False)
    model_written: bool = False
    prompt: str | None = PROMPT
    yielded_at: list[float] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.reply = dataclasses.replace(self.source, compose=None)

    def __iter__(self) -> Iterator[str]:
        for index, chunk in enumerate(self.chunks):
            if self.fail_after is not None and index >= self.fail_after:
                raise RuntimeError("the writer broke mid-answer")
            if self.pause_s:
                time.sleep(self.pause_s)
            self.yielded_at.append(time.perf_counter())
            yield chunk
        prose = "".join(self.chunks)
        value = json.dumps({"prompt": PROMPT, "excerpt": prose[:150]})
        self.reply = dataclasses.replace(
            self.source, text=prose, compose=None,
            buttons=[*self.source.buttons, Button("👍", "ai_feedback:up", value),
                     Button("👎", "ai_feedback:down", value)])
        self.model_written = True


@dataclasses.dataclass
class DoubleWriter:
    """`write(reply, *, settings, access, now=None)`; remembers each Writing it made."""

    fail_after: int | None = None
    pause_s: float = 0.0
    made: list[DoubleWriting] = dataclasses.field(default_factory=list)
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def __call__(self, reply: Reply, *, settings: Any, access: Any,
                 now: Any = None) -> DoubleWriting:
        assert reply.compose is not None and access is not None and settings is not None
        writing = DoubleWriting(reply, chunks_of(reply.compose), fail_after=self.fail_after,
                                pause_s=self.pause_s)
        with self._lock:
            self.made.append(writing)
        return writing


# ------------------------------------------------------------ worker set-ups
SENTENCES = ["*Northwind* is in negotiation at $40,000. ",
             "Priya said the budget is approved. ",
             "Next: send the contract by Tuesday."]


def compose_help(core: Any) -> Any:
    """Worker set-up: `help` answers carry facts a model may word (as briefs will), so
    the Slack path of a composed reply can be driven by a DM saying "help"."""
    from bot.assistant.context import EXECUTORS

    plain = EXECUTORS["help"]

    def composed(ctx: Any, action: Any) -> Reply:
        reply = plain(ctx, action)
        reply.compose = Compose(prompt="brief", facts={"sentences": SENTENCES},
                                team_id=ctx.team_id, user_id=ctx.user.id)
        return reply

    EXECUTORS["help"] = composed
    return core


# ------------------------------------------- bookings, as bot.writing.access will do them
def reserve_in(core: Any, compose: Compose, prompt: str, need: int) -> int | str:
    """In a worker: book a call in a short transaction (what bot.writing.access does)."""
    import datetime as dt

    from crm_store.services import ai

    with core.db.session() as session:
        return ai.reserve(session, team_id=compose.team_id, user_id=compose.user_id,
                          prompt=prompt, need=need,
                          limits=ai.Limits(daily_tokens=core.settings.ai_daily_tokens,
                                           user_calls_per_hour=99),
                          now=dt.datetime.now(dt.UTC))


def settle_in(core: Any, usage_id: int, prompt_tokens: int, completion_tokens: int,
              outcome: str) -> None:
    from crm_store.services import ai

    with core.db.session() as session:
        ai.settle(session, usage_id, prompt_tokens=prompt_tokens,
                  completion_tokens=completion_tokens, outcome=outcome)
