"""The "Log to CRM" modal submitted: log the activity with the message's permalink."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from slack_sdk.errors import SlackApiError

from bot.assistant.clarify import edited
from bot.assistant.types import Incoming, Person, Reply
from bot.listeners import Deps, answer, handoff, is_duplicate, post_reply
from bot.listeners.streaming import deliver, written
from bot.nlu.actions import Action, LogActivity, parse_action
from bot.render.blocks import (
    EDIT_CALLBACK,
    LOG_CALLBACK,
    build_reply_blocks,
    fallback_text,
    log_modal_errors,
    read_edit_modal,
    read_log_modal,
)
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
            deliver(deps, client, channel=person.user_id, reply=reply, recipient=person)

    app.view_submission(LOG_CALLBACK)(handoff(deps, on_submit, refuse=form_errors))
    register_edit(app, deps)


def read_edit_form(view: dict[str, Any]) -> tuple[list[Action], dict[str, str], dict[str, Any]]:
    """The Edit… form's actions (what was read, with the person's changes), what to fix
    before they can be saved (block id → message), and where the question was."""
    form = read_edit_modal(view)
    fields = {k: clean_text(v).strip() or None if isinstance(v, str) else v
              for k, v in form["fields"].items()}
    originals = form["meta"].get("actions")
    if not isinstance(originals, list) or not all(isinstance(a, dict) for a in originals):
        return [], {}, form["meta"]
    actions, errors = edited(originals, fields)
    return actions, {k: v for k, v in errors.items() if k in fields}, form["meta"]


def as_read(meta: dict[str, Any]) -> tuple[str, tuple[Action, ...]]:
    """The message and the actions first read from it, from the form's metadata: with
    them the core keeps what the person corrected as an example. ("", ()) when either
    is missing or not ours: the form is still saved, it just teaches nothing."""
    said = meta.get("text")
    if not isinstance(said, str) or not said.strip():
        return "", ()
    try:
        return said, tuple(parse_action(raw) for raw in meta.get("actions") or ())
    except (ValidationError, TypeError, ValueError, AttributeError):
        return "", ()


def answer_in_place(client: Any, meta: dict[str, Any], reply: Reply, person: Person) -> None:
    """The question's message becomes the answer, so its Yes can no longer be pressed
    after the form was saved; a new message when that message cannot be changed."""
    channel, ts = meta.get("channel"), meta.get("ts")
    if channel and ts:
        try:
            client.chat_update(channel=channel, ts=ts, text=fallback_text(reply),
                               blocks=build_reply_blocks(reply))
            return
        except SlackApiError as exc:
            log.warning("could not replace the question %s/%s: %s", channel, ts, exc)
    post_reply(client, channel=channel or person.user_id, reply=reply,
               thread_ts=meta.get("thread_ts"))


def edit_errors(body: dict[str, Any]) -> dict[str, str]:
    return read_edit_form(body["view"])[1]


def register_edit(app: Any, deps: Deps) -> None:
    def on_edit_submit(body: dict[str, Any], client: Any, context: Any, **_: Any) -> None:
        view = body["view"]
        person = deps.person(client, context.team_id, body["user"]["id"])
        actions, _errors, meta = read_edit_form(view)
        if not actions:
            reply = Reply("That form has expired; please send your message again.", ok=False)
        else:  # the form's id is the idempotency key, as for the Log-to-CRM form
            said, read = as_read(meta)
            reply = deps.workers.run(answer, Incoming(
                person=person, text=said, source_id=f"slack:view:{view['id']}",
                actions=tuple(actions), corrects=read))
        if not is_duplicate(reply):  # the question's message is replaced: written whole
            answer_in_place(client, meta, written(deps, reply), person)

    app.view_submission(EDIT_CALLBACK)(handoff(deps, on_edit_submit, refuse=edit_errors))
