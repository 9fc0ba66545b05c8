"""The "Log to CRM" modal submitted: log the activity with the message's permalink."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.assistant.core import Assistant
from bot.assistant.types import Person, Reply
from bot.listeners import Deps, guarded, is_duplicate, post_reply
from bot.nlu.actions import LogActivity
from bot.render.blocks import LOG_CALLBACK, log_modal_errors, read_log_modal

log = logging.getLogger(__name__)


def log_activity(assistant: Assistant, person: Person, action: LogActivity, *,
                 source_id: str, permalink: str | None) -> Reply:
    """Carry out one LogActivity as this person, idempotent by `source_id`."""
    return assistant.perform(person, [action], source_id=source_id, permalink=permalink)


def permalink_of(client: Any, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except (SlackApiError, KeyError) as exc:
        log.warning("no permalink for %s/%s: %s", channel, ts, exc)
        return None


def register(app: Any, deps: Deps) -> None:
    def validate(ack: Any, view: dict[str, Any]) -> None:
        errors = log_modal_errors(read_log_modal(view))
        if errors:
            ack(response_action="errors", errors=errors)
        else:
            ack()

    @guarded
    def on_submit(body: dict[str, Any], client: Any, context: Any, view: dict[str, Any]) -> None:
        values = read_log_modal(view)
        if log_modal_errors(values):
            return
        person = deps.person(client, context.team_id, body["user"]["id"])
        meta = values["meta"]
        action = LogActivity(kind=values["kind"], contact=values["contact"],
                             account=values["account"], summary=values["summary"][:3000])
        # One submission per view: its id is the idempotency key.
        reply = log_activity(deps.assistant, person, action, source_id=f"slack:view:{view['id']}",
                             permalink=permalink_of(client, meta.get("channel"), meta.get("ts")))
        if not is_duplicate(reply):
            post_reply(client, channel=person.user_id, reply=reply)

    app.view_submission(LOG_CALLBACK)(ack=validate, lazy=[on_submit])
