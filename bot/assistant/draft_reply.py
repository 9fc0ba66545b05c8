"""A draft as the reply the rep sees, with its buttons (pure logic).

Each button carries the whole draft state in its value (who, purpose, variant, tone,
short, when it was drafted): pressing it rebuilds the draft from the CRM, so no
conversation state lives on the server.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from bot.assistant.draft_facts import DraftSheet
from bot.assistant.drafts import PURPOSE_LABELS, Draft, Options, mailto
from bot.assistant.types import Button, Reply
from crm_store.errors import BadInput
from prompts.templates import DRAFT_PURPOSES


@dataclass(frozen=True)
class DraftState:
    contact: int | None
    account: int | None
    options: Options
    # When it was drafted, in whole epoch seconds rounded up (so what was logged in the
    # same second still counts): "Log as sent" logs what was shown then.
    at: int

    def value(self) -> str:
        o = self.options
        return json.dumps({"c": self.contact, "a": self.account, "p": o.purpose, "v": o.variant,
                           "t": o.tone, "s": int(o.short), "at": self.at},
                          separators=(",", ":"))

    @property
    def drafted_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.at, dt.UTC)

    def but(self, **changes) -> DraftState:
        return replace(self, options=replace(self.options, **changes))


def parse_state(value: str) -> DraftState:
    """The state a draft button carries; BadInput when it is not one."""
    try:
        raw = json.loads(value)
        options = Options(purpose=str(raw["p"]), variant=int(raw["v"]) % 1000,
                          tone=str(raw["t"]), short=bool(raw["s"]))
        state = DraftState(contact=_id(raw["c"]), account=_id(raw["a"]), options=options,
                           at=int(raw["at"]))
    except (ValueError, KeyError, TypeError):
        raise BadInput("That draft button has expired; ask for the draft again.") from None
    if options.purpose not in DRAFT_PURPOSES or options.tone not in ("", "formal", "casual") \
            or (state.contact is None and state.account is None):
        raise BadInput("That draft button has expired; ask for the draft again.")
    return state


WRITTEN = "b"  # the key of a body a model wrote, on Log as sent and Open in mail
VALUE_MAX = 2000  # Slack's limit on a button's value


def written_body(value: str) -> str | None:
    """The body a model wrote that a draft button carries, if it carries one."""
    try:
        body = json.loads(value).get(WRITTEN)
    except (ValueError, AttributeError):
        return None
    return body if isinstance(body, str) and body.strip() else None


def with_written_body(buttons: list[Button], draft: Draft, *,
                      email: str | None) -> list[Button] | None:
    """A draft's buttons for a body a model wrote: Log as sent and Open in mail carry its
    words instead of rebuilding the code's. None when they do not fit in a button."""
    out = []
    for button in buttons:
        if button.action_id not in ("draft_log", "draft_mail"):
            out.append(button)
            continue
        value = json.dumps({**json.loads(button.value), WRITTEN: draft.body},
                           separators=(",", ":"), ensure_ascii=False)
        if len(value) > VALUE_MAX:
            return None
        url = mailto(email, draft) if button.url else None
        out.append(replace(button, value=value, url=url))
    return out


def _id(value) -> int | None:
    return None if value is None else int(value)


def draft_buttons(state: DraftState, draft: Draft, *, email: str | None) -> list[Button]:
    """Another version, Shorter, More formal / More casual, Log as sent, Open in mail."""
    o = state.options
    buttons = [Button("Another version", "draft_again", state.but(variant=o.variant + 1).value())]
    if not o.short:
        buttons.append(Button("Shorter", "draft_shorter", state.but(short=True).value()))
    if o.tone != "formal":
        buttons.append(Button("More formal", "draft_formal", state.but(tone="formal").value()))
    if o.tone != "casual":
        buttons.append(Button("More casual", "draft_casual", state.but(tone="casual").value()))
    buttons.append(Button("Log as sent", "draft_log", state.value(), style="primary"))
    buttons.append(Button("Open in mail", "draft_mail", state.value(),
                          url=mailto(email, draft)))
    return buttons


def draft_reply(draft: Draft, sheet: DraftSheet, state: DraftState, *, email: str | None,
                notes: list[str]) -> Reply:
    """The draft in a code block, whom it is to, what it rests on, and its buttons."""
    to = f"*{sheet.name}*" + (f" ({sheet.account})" if sheet.account else "") if sheet.name \
        else f"*{sheet.account}*"
    reply = Reply(f"Here is a draft {PURPOSE_LABELS[draft.purpose]} email to {to}:\n"
                  f"```\n{draft.text}\n```",
                  buttons=draft_buttons(state, draft, email=email))
    if sheet.name and email:
        reply.fields.append(("To", f"{sheet.name} <{email}>"))
    reply.context.append("Draft only: nothing is sent. Written to them from the CRM; no "
                         "internal notes, objections, competitors or tasks in it.")
    reply.context += notes
    if sheet.cites:
        reply.context.append("Based on: " + ", ".join(sheet.cites))
    return reply
