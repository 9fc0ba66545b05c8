"""The context an executor works in: one session, the speaker, the clock, their zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.assistant.types import Reply
from bot.settings import Settings
from crm_store.models import User

AfterCommit = Callable[[Reply], None]


@dataclass
class Ctx:
    session: Session
    user: User
    now: dt.datetime  # aware UTC
    settings: Settings
    source_id: str
    permalink: str | None = None
    transcript: str | None = None  # what the message's voice clip said, for what it logs
    # Choices the user already made for ambiguous names, by pin_key(): {"account:acme": 3}
    pinned: dict[str, int] = field(default_factory=dict)
    # Records created on the fly while resolving names, said back in the reply.
    created: list[str] = field(default_factory=list)
    # Work for after the commit (a model writing prose, anything slow): each step gets
    # the reply to amend, with no transaction open. See bot.assistant.core.
    after_commit: list[AfterCommit] = field(default_factory=list)
    # Slack channel ids of the channels the message linked, by name as in its text.
    channels: dict[str, str] = field(default_factory=dict)
    # The message as typed, when it is being read (not a button): it rides on a question's
    # buttons so that the answer can teach (bot.assistant.teach).
    said: str | None = None
    # The action id of the button pressed ("ai_feedback:down"); a handler whose suffix
    # means something (which rating) reads it here.
    pressed: str | None = None

    def pinned_for(self, kind: str, typed: str | None) -> int | None:
        """The record the user picked for this name (or for any name of this kind)."""
        return self.pinned.get(pin_key(kind, typed), self.pinned.get(kind))

    @property
    def team_id(self) -> str:
        return self.user.team_id

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.user.tz or "UTC")

    @property
    def local_now(self) -> dt.datetime:
        """The speaker's wall-clock time, naive, as the NLU engines expect it."""
        return self.now.astimezone(self.tz).replace(tzinfo=None)

    def to_utc(self, local: dt.datetime) -> dt.datetime:
        """A naive wall time in the speaker's zone as aware UTC."""
        return local.replace(tzinfo=self.tz).astimezone(dt.UTC)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """An aware moment in the speaker's zone."""
        return moment.astimezone(self.tz)


def pin_key(kind: str, typed: str | None) -> str:
    """How a pick is remembered: the kind of record and the name as typed."""
    return f"{kind}:{' '.join(typed.lower().split())}" if typed else kind


Executor = Callable[[Ctx, Any], Reply]
EXECUTORS: dict[str, Executor] = {}


def executes(*intents: str) -> Callable[[Executor], Executor]:
    """Register the function that carries out these intents."""
    def register(fn: Executor) -> Executor:
        for intent in intents:
            EXECUTORS[intent] = fn
        return fn
    return register


Pressed = Callable[[Ctx, str], Reply]
PRESS_HANDLERS: dict[str, Pressed] = {}


def on_press(*action_ids: str) -> Callable[[Pressed], Pressed]:
    """Register what a button does; its action id is `name` or `name:suffix`."""
    def register(fn: Pressed) -> Pressed:
        for action_id in action_ids:
            PRESS_HANDLERS[action_id] = fn
        return fn
    return register
