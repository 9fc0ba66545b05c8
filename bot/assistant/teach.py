"""Corrections teach: what a person fixed or answered, replayed on the same words.

An example is kept as (the message, the actions as read, the actions as saved, the
records picked). It comes from the Edit… form (fields changed), from Yes to a question
(the reading confirmed) or from a pick among records of the same name. When the same
message (single-spaced, lower-case) comes again, each field the person changed is changed
again in the fresh reading — a date only where the fresh reading still has the value they
corrected, so a date read against a new day stays the new day's; a reading they confirmed
is taken as sure; a name they picked a record for means that record. The names they
wrote in are also given to the tagger as hints, so they are read right in other
phrasings too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.nlu.actions import Action, action_to_dict, parse_action

# Fields holding a name, and the kind the tagger knows it as.
NAME_KINDS = {"contact": "contact", "name": "contact", "account": "account"}
# Read against today: a correction of one is replayed only where the fresh reading
# still has the very value corrected. Every other field follows from the words alone.
DATES = frozenset({"occurred_on", "due", "close_date"})
UNTAUGHT = frozenset({"confidence"})  # an engine's figure, not something a person fixes


@dataclass
class Reading:
    """A message as understood: its actions, and records already picked for its names."""

    actions: list[Action]
    pinned: dict[str, int] = field(default_factory=dict)


def reading(fresh: Sequence[Action], examples: Sequence[Any]) -> Reading:
    """`fresh` with what people taught about these words (`examples`, newest first): the
    oldest first, so the newest has the last word."""
    actions, pinned = list(fresh), {}
    for example in reversed(examples):
        if example.original != example.corrected:
            actions = replay(actions, example.original, example.corrected)
        elif _same_reading(actions, example.original):
            actions = [_sure(a) for a in actions]
        pinned.update(example.pinned or {})
    return Reading(actions, pinned)


def _same_reading(actions: Sequence[Action], confirmed: Sequence[dict[str, Any]]) -> bool:
    """The fresh reading is the one confirmed (dates aside: they follow the new day)."""
    def shape(raw: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in raw.items() if k not in DATES and k not in UNTAUGHT}
    return [shape(a) for a in stripped(actions)] == [shape(a) for a in confirmed]


def _sure(action: Action) -> Action:
    raw = action_to_dict(action)
    raw.pop("confidence", None)
    return parse_action(raw)


def changes(original: dict[str, Any], corrected: dict[str, Any]) -> dict[str, Any]:
    """The fields a person changed (None where they emptied one)."""
    return {k: corrected.get(k) for k in set(original) | set(corrected)
            if k not in UNTAUGHT and original.get(k) != corrected.get(k)}


def stripped(actions: Sequence[Action]) -> list[dict[str, Any]]:
    """Actions as kept in an example: contract JSON without the engine's figure."""
    return [{k: v for k, v in action_to_dict(a).items() if k not in UNTAUGHT} for a in actions]


def replay(fresh: Sequence[Action], original: Sequence[dict[str, Any]],
           corrected: Sequence[dict[str, Any]]) -> list[Action]:
    """`fresh` with one example's corrections laid over it."""
    out = list(fresh)
    used: set[int] = set()
    for before, after in zip(original, corrected, strict=False):
        changed = changes(before, after)
        if not changed or before.get("intent") != after.get("intent"):
            continue
        for i, action in enumerate(out):
            if i in used or action.intent != after.get("intent"):
                continue
            raw = action_to_dict(action)
            for key, value in changed.items():
                if key in DATES and raw.get(key) != before.get(key):
                    continue  # read against a new day: the new day's date stands
                if value is None:
                    raw.pop(key, None)
                else:
                    raw[key] = value
            raw.pop("confidence", None)  # the person said what it means: no need to ask
            # A correction that no longer fits this reading leaves what was read.
            with contextlib.suppress(ValidationError):
                out[i] = parse_action(raw)
            used.add(i)
            break
    return out


def hints(examples: Sequence[Any]) -> list[tuple[str, str]]:
    """(kind, name) for every name a person wrote into a form, newest first."""
    found: list[tuple[str, str]] = []
    for example in examples:
        for before, after in zip(example.original, example.corrected, strict=False):
            for key, value in changes(before, after).items():
                if key in NAME_KINDS and isinstance(value, str) and value.strip():
                    pair = (NAME_KINDS[key], value)
                    if pair not in found:
                        found.append(pair)
    return found
