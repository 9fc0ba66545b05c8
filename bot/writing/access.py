"""Booking and settling model calls in the store (crm_store.services.ai), each in a
short transaction of its own — never one held across the call.

`DbAccess` is for a process with its own database (the terminal); `reserve_in` and
`settle_in` are for a worker pool (`pool.run(reserve_in, compose, prompt, need)`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.assistant.types import Compose
from bot.settings import Settings
from crm_store.db import Database
from crm_store.models import utcnow
from crm_store.services import ai


def limits(settings: Settings) -> ai.Limits:
    return ai.Limits(daily_tokens=settings.ai_daily_tokens,
                     user_calls_per_hour=settings.ai_user_calls_per_hour)


def reserve_with(db: Database, settings: Settings, compose: Compose, prompt: str, need: int,
                 now: dt.datetime | None = None) -> int | str:
    """Book about `need` tokens: the usage id, or why the call may not be made."""
    with db.session() as session:
        return ai.reserve(session, team_id=compose.team_id, user_id=compose.user_id,
                          prompt=prompt, need=need, limits=limits(settings),
                          now=now or utcnow())


def settle_with(db: Database, usage_id: int, prompt_tokens: int, completion_tokens: int,
                outcome: str) -> None:
    with db.session() as session:
        ai.settle(session, usage_id, prompt_tokens=prompt_tokens,
                  completion_tokens=completion_tokens, outcome=outcome)


class DbAccess:
    """Access through a Database of this process."""

    def __init__(self, db: Database, settings: Settings,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    def reserve(self, compose: Compose, *, prompt: str, need: int) -> int | str:
        return reserve_with(self.db, self.settings, compose, prompt, need, self.clock())

    def settle(self, usage_id: int, *, prompt_tokens: int, completion_tokens: int,
               outcome: str) -> None:
        settle_with(self.db, usage_id, prompt_tokens, completion_tokens, outcome)


def reserve_in(core, compose: Compose, prompt: str, need: int) -> int | str:
    """In a worker: book the call with the worker's database (`core` is bot.workers.Core)."""
    return reserve_with(core.db, core.settings, compose, prompt, need)


def settle_in(core, usage_id: int, prompt_tokens: int, completion_tokens: int,
              outcome: str) -> None:
    """In a worker: record what the call cost and how it ended."""
    settle_with(core.db, usage_id, prompt_tokens, completion_tokens, outcome)
