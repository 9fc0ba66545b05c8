"""Asking before doing: a reading the engine is unsure of is said back as one question.

A message that would create or change records, read with low confidence (or only in
part), is not written: the reply says the reading back in words, with absolute dates,
and offers [Yes] [Edit…] [Cancel]. The actions ride on the buttons' value as JSON, so
no conversation state lives on the server; Yes carries them out as the press's own,
idempotent, unit of work.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from bot.assistant.format import day, money
from bot.assistant.types import Button, Reply
from bot.nlu.actions import Action, action_to_dict, parse_action

# The intents that write: what is left of a partly understood message is asked about
# only when it would write.
WRITES = frozenset({"log_activity", "create_contact", "create_deal", "update_deal",
                    "create_task", "complete_task", "delete_task", "subscribe_digest",
                    "unsubscribe_digest"})
# The ones a low confidence asks about: they create or change CRM records from names
# read out of free text. Ticking off, deleting (both find an existing task by its title,
# with Undo) and digest settings are left out: the classifier's figure for them is low
# even when right (0.005-0.02 on right readings in tests/nlu_blind), so it says nothing.
RECORD_WRITES = frozenset({"log_activity", "create_contact", "create_deal", "update_deal",
                           "create_task"})
CONFIRM, EDIT, CANCEL = "confirm", "confirm_edit", "confirm_cancel"
VALUE_MAX = 2000  # Slack's limit on a button's value
SAID_MAX = 300  # of the message carried with Edit…: enough to know the phrasing again
FREE_TEXT = ("summary", "title", "reason", "purpose")
CANCELLED = "OK, nothing saved."


def unsure(actions: Sequence[Action], below: float) -> bool:
    """Whether any action that would write was read with confidence under `below`.
    An engine that gives no figure (a model, a form) is taken at its word."""
    return any(a.intent in RECORD_WRITES and a.confidence is not None and a.confidence < below
               for a in actions)


def writes(actions: Sequence[Action]) -> bool:
    return any(a.intent in WRITES for a in actions)


def question(actions: Sequence[Action], *, today: dt.date, missed: str | None = None,
             said: str | None = None) -> Reply:
    """One short question saying the reading back, with Yes / Edit… / Cancel. `said`,
    the message as typed, rides on Yes and Edit… so that the answer — confirmed or
    corrected — can be kept as an example."""
    asked = _sentence([say_back(a, today) for a in actions]) + "?"
    text = f"{missed}\n{asked}" if missed else asked
    value = carry(actions, said=said) or carry(actions)
    if value is None:  # too much for a button: say so rather than drop a part silently
        return Reply(f"{text}\n(That is too long to confirm with a button: send it again "
                     "in smaller parts.)", ok=False)
    return Reply(text, ok=missed is None, buttons=[
        Button("Yes", CONFIRM, value, style="primary"),
        Button("Edit…", EDIT, value),
        Button("Cancel", CANCEL)])


def carry(actions: Sequence[Action], *, said: str | None = None) -> str | None:
    """The actions as a button value within Slack's limit: free text is shortened when
    it must be (the reading is what is confirmed, not every word of a note); None when
    even that does not fit. `said` (the message, cut to SAID_MAX) goes along when given."""
    raw = [action_to_dict(a) for a in actions]
    extra = {"text": said[:SAID_MAX]} if said else {}
    for cut in (None, 400, 120, 40):
        if cut is not None:
            raw = [{k: (v[:cut] if k in FREE_TEXT and isinstance(v, str) else v)
                    for k, v in a.items()} for a in raw]
        value = json.dumps({"actions": raw, **extra}, separators=(",", ":"))
        if len(value) <= VALUE_MAX:
            return value
    return None


def said_with(value: str) -> str | None:
    """The message a button's reading came from, when it rode along."""
    try:
        said = json.loads(value).get("text")
    except (ValueError, AttributeError):
        return None
    return said if isinstance(said, str) else None


def carried(value: str) -> list[Action] | None:
    """The actions a button carried, or None when the value is not ours (tampered)."""
    try:
        data: dict[str, Any] = json.loads(value)
        actions = [parse_action(raw) for raw in data["actions"]]
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None
    return actions or None


def say_back(action: Action, today: dt.date) -> str:
    """One action in plain words, dates absolute ('today, Sun Nov 29')."""
    a: Any = action
    match action.intent:
        case "log_activity":
            who = _who(a.contact, a.account)
            verb = {"note": "log a note about", "email": "log an email with"}.get(
                a.kind, f"log a {a.kind} with")
            return f"{verb} {who} {day(a.occurred_on or today, today=today)}"
        case "create_task":
            due = f"for {day(a.due.date(), today=today)}, {a.due:%H:%M}" if a.due else \
                "with no due date"
            who = f"{a.contact} at {a.account}" if a.contact and a.account else \
                a.contact or a.account
            about = f" (about {who})" if who else ""
            return f"set a reminder “{a.title}”{about} {due}"
        case "create_deal":
            bits = [money(a.amount) if a.amount is not None else None, a.stage,
                    f"closing {day(a.close_date, today=today)}" if a.close_date else None]
            said = ", ".join(b for b in bits if b)
            return f"open a deal for {a.account or a.title or 'an unnamed account'}" + \
                (f" ({said})" if said else "")
        case "update_deal":
            return _deal_change(a, today)
        case "create_contact":
            title = f", {a.title}" if a.title else ""
            at = f" at {a.account}" if a.account else ""
            return f"add {a.name}{title}{at} as a contact"
        case "complete_task":
            return f"mark the task “{a.title}” done"
        case "delete_task":
            return f"delete the task “{a.title}”"
        case "subscribe_digest":
            return f"post a {a.cadence} digest to #{a.channel or '?'}"
        case "unsubscribe_digest":
            return f"stop the {a.cadence + ' ' if a.cadence else ''}digest in " \
                   f"#{a.channel or '?'}"
        case _:
            return action.intent.replace("_", " ")


def _deal_change(a: Any, today: dt.date) -> str:
    deal = f"the {a.account} deal" if a.account else "the deal"
    changes = []
    if a.status == "won" or a.stage == "won":
        changes.append(f"mark {deal} won")
    elif a.status == "lost" or a.stage == "lost":
        changes.append(f"mark {deal} lost" + (f" ({a.reason})" if a.reason else ""))
    elif a.status == "open":
        changes.append(f"reopen {deal}")
    elif a.stage:
        changes.append(f"move {deal} to {a.stage}")
    if a.amount is not None:
        changes.append(f"set {deal if not changes else 'its'} amount to {money(a.amount)}")
    if a.close_date:
        changes.append(f"set {deal if not changes else 'its'} close date to "
                       f"{day(a.close_date, today=today)}")
    return _sentence(changes, lower=True) if changes else f"change {deal}"


def _who(contact: str | None, account: str | None) -> str:
    if contact and account:
        return f"{contact} ({account})"
    return contact or account or "someone"


def _sentence(parts: Sequence[str], *, lower: bool = False) -> str:
    # A part with a comma of its own ("today, Sun Nov 29") keeps the last one apart.
    last = ", and " if any("," in p for p in parts[:-1]) else " and "
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + last + parts[-1]
    return text if lower else text[:1].upper() + text[1:]


def edit_choices(actions: Sequence[Action], *, today: dt.date) -> Reply:
    """Edit, where there is no form (the terminal): each part on its own as a choice,
    and how to say it again with the changes."""
    lines = [f"• {_sentence([say_back(a, today)])}" for a in actions]
    text = "I read:\n" + "\n".join(lines) + "\nTo change a name, date or amount, send the " \
        "message again with it written out (e.g. `call with Omar White at Greencrest today`)."
    buttons = []
    if len(actions) > 1:
        text += " Or keep just one part:"
        for action in actions:
            value = carry([action])
            if value is not None:
                label = _sentence([say_back(action, today)])
                buttons.append(Button(f"Only: {label}"[:75], CONFIRM, value))
    buttons.append(Button("Cancel", CANCEL))
    return Reply(text, buttons=buttons)


# ------------------------------------------------------------ the Edit form's values
_AMOUNT = re.compile(r"^\$?\s*(\d+(?:[.,]\d+)*)\s*([kKmM]?)$")


def amount(text: str) -> float:
    """'$40k', '40,000', '1.2m' as a number; ValueError otherwise."""
    found = _AMOUNT.match(text.strip().replace(" ", ""))
    if not found:
        raise ValueError(text)
    number = float(found.group(1).replace(",", ""))
    return number * {"k": 1e3, "m": 1e6}.get(found.group(2).lower(), 1)


EDITABLE = {  # the fields the Edit form offers, by intent
    "log_activity": ("kind", "contact", "account", "summary"),
    "create_task": ("title", "due_date", "due_time"),
    "create_deal": ("account", "stage", "amount", "close_date"),
    "update_deal": ("account", "stage", "amount", "close_date"),
    "create_contact": ("name", "account", "title"),
}


def edited(originals: Sequence[dict[str, Any]], values: dict[str, str | None],
           ) -> tuple[list[Action], dict[str, str]]:
    """The actions with the form's values (`"{index}.{field}"` → text) laid over what was
    read; and the fields that cannot be used (block id → what to fix)."""
    actions, errors = [], {}
    for i, raw in enumerate(originals):
        fields = dict(raw)
        for name in EDITABLE.get(str(raw.get("intent")), ()):
            key = f"{i}.{name}"
            if key not in values:
                continue
            text = values[key]
            if name == "amount" and text:
                try:
                    fields["amount"] = amount(text)
                except ValueError:
                    errors[key] = "An amount like 40000, 40k or $1.2m."
            elif name == "due_date":
                time = values.get(f"{i}.due_time") or "09:00"
                fields["due"] = f"{text}T{time}" if text else None
            elif name != "due_time":
                fields[name] = text
        try:
            actions.append(parse_action({k: v for k, v in fields.items() if v is not None}))
        except ValidationError as err:
            offered = EDITABLE.get(str(raw.get("intent")), ("x",))
            named = {str(e["loc"][-1]) for e in err.errors() if e.get("loc")}
            # The message goes under a field the form has (due → its date).
            named = {"due_date" if n == "due" else n for n in named} & set(offered)
            for name in named or {offered[0]}:
                errors.setdefault(f"{i}.{name}", "This is needed, in this form.")
    for i, raw in enumerate(originals):
        if raw.get("intent") == "log_activity" and f"{i}.contact" in values and \
                not values.get(f"{i}.contact") and not values.get(f"{i}.account"):
            errors[f"{i}.contact"] = "Name a contact or an account."
    return actions, errors
