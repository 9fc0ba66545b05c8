"""The "Log to CRM" modal submitted: log the activity with the message's permalink."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.assistant.types import Incoming
from bot.listeners import Deps, answer, handoff, is_duplicate, post_reply
from bot.nlu.actions import LogActivity
from bot.render.blocks import LOG_CALLBACK, log_modal_errors, read_log_modal
from bot.text_input import clean_text

log = logging.getLogger(__name__)


def permalink_of(client: Any, channel: str | None, ts: str | None) -> str | None:
    if not channel or not ts:
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except (SlackApiError, KeyError) as exc:
        log.warning("no permalink for %s/%s: %s", channel, ts, exc)
        return None


def read_form(view: dict[str, Any]) -> dict[str, Any]:
    """The modal's values, with the text fields made safe (bot.text_input) as they enter."""
    return {key: (clean_text(value).strip() or None) if isinstance(value, str) else value
            for key, value in read_log_modal(view).items()}


def form_errors(body: dict[str, Any]) -> dict[str, str]:
    """What the person must fix before the form can be logged (shown in the modal)."""
    return log_modal_errors(read_form(body["view"]))


def register(app: Any, deps: Deps) -> None:
    def on_submit(body: dict[str, Any], client: Any, context: Any, **_: Any) -> None:
        view = body["view"]
        values = read_form(view)
        person = deps.person(client, context.team_id, body["user"]["id"])
        meta = values["meta"]
        action = LogActivity(kind=values["kind"], contact=values["contact"],
                             account=values["account"], summary=values["summary"][:3000])
        # One submission per view: its id is the idempotency key.
        reply = deps.workers.run(answer, Incoming(
            person=person, text="", source_id=f"slack:view:{view['id']}",
            actions=(action,), permalink=permalink_of(client, meta.get("channel"), meta.get("ts"))))
        if not is_duplicate(reply):
            post_reply(client, channel=person.user_id, reply=reply)

    app.view_submission(LOG_CALLBACK)(handoff(deps, on_submit, refuse=form_errors))
