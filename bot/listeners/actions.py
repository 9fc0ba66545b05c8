"""Buttons (Undo, Done/Snooze, pick-one): a Press to the assistant, then the message updated."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from bot.assistant.clarify import EDIT
from bot.assistant.types import Press, Reply
from bot.listeners import Deps, handoff, is_duplicate, post_files, press, source_key
from bot.listeners.home import publish_home
from bot.listeners.streaming import deliver, written
from bot.render.blocks import (
    base_action_id,
    build_edit_modal,
    build_pressed_blocks,
    build_reply_blocks,
    fallback_text,
)

log = logging.getLogger(__name__)
FEEDBACK = "ai_feedback"  # 👍/👎 under a model-written answer


def press_from(body: dict[str, Any], person: Any) -> Press:
    """The Press behind a block_actions payload; its key makes a double click count once."""
    action = body["actions"][0]
    container = body.get("container") or {}
    where = container.get("message_ts") or container.get("view_id") or body.get("trigger_id")
    action_id = base_action_id(action.get("action_id", ""))
    value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
    key = source_key("press", person.team_id, person.user_id, where, action_id, value)
    return Press(person=person, action_id=action_id, value=value, source_id=key)


def register(app: Any, deps: Deps) -> None:
    def on_press(body: dict[str, Any], client: Any, context: Any, respond: Any) -> None:
        if not body.get("actions"):
            return
        if base_action_id(body["actions"][0].get("action_id", "")) == EDIT:
            open_edit_form(body, client, respond)
            return
        person = deps.person(client, context.team_id, body["user"]["id"])
        reply = deps.workers.run(press, press_from(body, person))
        if is_duplicate(reply):
            return
        container = body.get("container") or {}
        if container.get("type") == "view":
            # A button on the App Home: show the new state, and the answer in the DM.
            publish_home(deps, client, person)
            deliver(deps, client, channel=person.user_id, reply=reply, recipient=person)
            return
        if base_action_id(body["actions"][0].get("action_id", "")).startswith(FEEDBACK):
            # 👍/👎: a word of thanks to the rater alone; the answer they rated stays whole.
            respond(replace_original=False, response_type="ephemeral",
                    text=fallback_text(reply), blocks=build_reply_blocks(reply))
            return
        reply = written(deps, reply)
        show(respond, body, reply)
        if reply.files and (body.get("channel") or {}).get("id"):  # e.g. a question asked again
            post_files(client, channel=body["channel"]["id"], files=reply.files,
                       thread_ts=(body.get("message") or {}).get("thread_ts"))

    app.action(re.compile(".+"))(handoff(deps, on_press))


def show(respond: Any, body: dict[str, Any], reply: Reply) -> None:
    """Replace the pressed message: its text stays, the buttons give way to the result."""
    original = (body.get("message") or {}).get("blocks") or []
    pressed_block = (body.get("actions") or [{}])[0].get("block_id")
    respond(replace_original=True, text=fallback_text(reply),
            blocks=build_pressed_blocks(original, reply, pressed_block))


def open_edit_form(body: dict[str, Any], client: Any, respond: Any) -> None:
    """Edit…: the reading the button carries, as a form (submitted in bot.listeners.views).
    Nothing is written here; the question stays until the form is saved."""
    try:
        carried = json.loads(body["actions"][0].get("value") or "")
        actions, said = carried["actions"], carried.get("text")
        assert isinstance(actions, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        respond(replace_original=False, response_type="ephemeral",
                text="That question has expired; please send your message again.")
        return
    message = body.get("message") or {}
    where = {"channel": (body.get("channel") or {}).get("id"), "ts": message.get("ts"),
             "thread_ts": message.get("thread_ts"),
             "text": said if isinstance(said, str) else None}  # so a correction can teach
    client.views_open(trigger_id=body["trigger_id"], view=build_edit_modal(
        actions, asked=message.get("text") or "Check what I read:", private_metadata=where))
