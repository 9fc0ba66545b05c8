"""The message shortcut "Log to CRM": a modal prefilled from the message."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from bot.listeners import Deps, handoff
from bot.listeners.events import message_text
from bot.nlu.actions import LogActivity
from bot.render.blocks import LOG_CALLBACK, build_log_modal
from bot.text_input import clean_text
from bot.workers import Core

log = logging.getLogger(__name__)


def guess(core: Core, text: str, tz: str | None) -> LogActivity | None:
    """In a worker: what the NLU engine makes of the message, if it reads as a logged
    activity."""
    zone = ZoneInfo(tz or "UTC")
    now = dt.datetime.now(zone).replace(tzinfo=None)
    try:
        actions = core.assistant.engine(text[:4000], now=now, tz=zone.key)
    except Exception:  # noqa: BLE001 - a guess only; the person fills the form
        log.exception("could not prefill from the message")
        return None
    return next((a for a in actions if isinstance(a, LogActivity)), None)


def register(app: Any, deps: Deps) -> None:
    def on_log_to_crm(body: dict[str, Any], client: Any, context: Any, **_: Any) -> None:
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        person = deps.person(client, context.team_id, body["user"]["id"])
        text = clean_text(message_text(message.get("text") or "",
                                       bot_user_id=context.bot_user_id))
        found = deps.workers.run(guess, text, person.tz) if text else None
        view = build_log_modal(
            contact=found.contact if found else None, account=found.account if found else None,
            kind=found.kind if found else "note", summary=text,
            message_text=text or "(a message without text)",
            private_metadata={"channel": channel, "ts": message.get("ts")})
        client.views_open(trigger_id=body["trigger_id"], view=view)

    app.shortcut(LOG_CALLBACK)(handoff(deps, on_log_to_crm))
