"""What a model answered, made into actions: pure functions, no I/O.

Real models drift from the schema they were given: extra keys, "40k" for an amount, a
date with a time, JSON in the message text (fenced or not) instead of a tool call, a
tool that does not exist. Each thing that can be read safely is read, and marked as
repaired so the engine lowers its confidence; what cannot be read is dropped, alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.nlu.actions import MODEL_BY_INTENT, Action, parse_action

MONEY_KEYS = frozenset({"amount", "min_amount", "max_amount"})
DATE_KEYS = frozenset({"occurred_on", "close_date"})
PERIOD_KEYS = frozenset({"period", "compare"})
# Internal fields the offline engine fills; a model setting them is ignored.
INTERNAL_KEYS = frozenset({"intent", "unparsed_date", "unparsed_time", "cannot"})
_NULLS = frozenset({"", "null", "none", "n/a", "na", "unknown", "-"})
_MONEY = re.compile(r"^\s*[$€£]?\s*(\d[\d,\s]*(?:\.\d+)?)\s*([kmb])?\s*(?:[a-z]{3})?\s*$", re.I)
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}
_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)
MAX_PASSES = 6


@dataclass
class Proposed:
    """One action the model proposed, with what reading it took."""

    action: Action
    stated: float | None  # the model's own confidence, when it gave one
    repaired: bool


def calls_in_content(content: str | None) -> list[tuple[str, Any]]:
    """(name, arguments) pairs written as JSON in the message text instead of tool calls:
    the contract's {"actions": [...]}, a list, {"name", "arguments"}, {"intent", ...}."""
    if not content or not content.strip():
        return []
    fenced = _FENCE.findall(content)
    for text in [*fenced, content]:
        found = _first_json(text)
        if found is not None:
            return _as_calls(found)
    return []


def _first_json(text: str) -> Any:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[\[{]", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict | list) and value:
            return value
    return None


def _as_calls(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, list):
        return [call for item in value for call in _as_calls(item)]
    if not isinstance(value, dict):
        return []
    for key in ("actions", "tool_calls", "calls"):
        if isinstance(value.get(key), list):
            return _as_calls(value[key])
    if isinstance(value.get("function"), dict):
        return _as_calls(value["function"])
    if "intent" in value:
        return [(str(value["intent"]), {k: v for k, v in value.items() if k != "intent"})]
    name = value.get("name") or value.get("tool")
    if isinstance(name, str):
        args = next((value[k] for k in ("arguments", "parameters", "args") if k in value), {})
        return [(name, args)]
    return []


def read_call(name: str, arguments: Any) -> Proposed | None:
    """One tool call as an action, repaired where that is safe; None when it cannot be."""
    intent = str(name or "").strip().lower().removeprefix("functions.")
    model = MODEL_BY_INTENT.get(intent)
    if model is None:
        return None
    repaired = False
    if isinstance(arguments, str):
        try:
            arguments = json.loads(_unfenced(arguments) or "{}")
        except ValueError:
            return None
    if not isinstance(arguments, dict):
        return None
    args = dict(arguments)
    stated = _confidence(args.pop("confidence", None))
    for key in INTERNAL_KEYS & args.keys():
        repaired |= key != "intent" or str(args[key]).lower() != intent
        del args[key]
    for key in set(args) - set(model.model_fields):
        del args[key]
        repaired = True
    for key in list(args):
        value, changed = _coerce(key, args[key])
        repaired |= changed
        if value is None:
            del args[key]
        else:
            args[key] = value
    action, fixed = _validate(intent, args)
    return Proposed(action, stated, repaired or fixed) if action is not None else None


def _unfenced(text: str) -> str:
    fenced = _FENCE.search(text)
    return fenced.group(1).strip() if fenced else text.strip()


def _confidence(value: Any) -> float | None:
    try:
        number = float(str(value).strip().rstrip("%")) if value is not None else None
    except ValueError:
        return None
    if number is None or number != number or number < 0:
        return None
    if number > 1:  # "85" or "85%": a percentage
        number = number / 100 if number <= 100 else None
    return number


def _coerce(key: str, value: Any) -> tuple[Any, bool]:
    """The value a model meant, and whether it had to be read differently than it came."""
    if value is None:
        return None, False
    if isinstance(value, str) and value.strip().lower() in _NULLS:
        return None, True
    if key in MONEY_KEYS and isinstance(value, str):
        return _money(value), True
    if key in DATE_KEYS and isinstance(value, str) and len(value.strip()) > 10:
        return value.strip()[:10], True  # "2026-11-24T09:00:00Z": the day is what counts
    if key == "due" and isinstance(value, str):
        return _due(value)
    if key in PERIOD_KEYS and isinstance(value, dict):
        period = {k: (v.strip()[:10] if isinstance(v, str) else v) for k, v in value.items()
                  if k in ("start", "end")}
        return period, period != value
    return value, False


def _money(text: str) -> float | str:
    match = _MONEY.match(text)
    if not match:
        return text  # left as it came: validation refuses it, and the action is dropped
    number = float(re.sub(r"[,\s]", "", match.group(1)))
    return number * _SCALE.get((match.group(2) or "").lower(), 1)


def _due(text: str) -> tuple[str, bool]:
    """Local wall time, minute precision; a bare day is at 09:00 (the contract). A zone
    suffix is dropped: the prompt asked for local time, and models add "Z" by habit."""
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2}))?", text)
    if not match:
        return text, False
    day, hour, minute = match.groups()
    wall = f"{day}T{int(hour):02d}:{minute}" if hour else f"{day}T09:00"
    return wall, wall != text.strip()


def _validate(intent: str, args: dict[str, Any]) -> tuple[Action | None, bool]:
    """Validate; on an error, try the obvious reading (lower case, a one-item list). A
    value that still does not fit drops the action: an update without its stage, say,
    would do something other than what was asked."""
    fixed = False
    for _ in range(MAX_PASSES):
        try:
            return parse_action({**args, "intent": intent}), fixed
        except ValidationError as err:
            errors = err.errors()
        fixed = True
        for error in errors:
            loc = [part for part in error["loc"] if part != intent]
            value = args.get(loc[0]) if loc and isinstance(loc[0], str) else None
            if value is None:
                return None, True
            if error["type"] == "literal_error" and isinstance(value, str) \
                    and value != value.strip().lower():
                args[loc[0]] = value.strip().lower()
            elif error["type"] == "list_type" and isinstance(value, str | dict) and len(loc) == 1:
                args[loc[0]] = [value]
            elif error["type"] == "extra_forbidden" and len(loc) == 2 and isinstance(value, dict):
                args[loc[0]] = {k: v for k, v in value.items() if k != loc[1]}
            else:
                return None, True
    return None, True
