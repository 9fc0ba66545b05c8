"""`/crm <text>`: the same assistant, answered privately through the response_url."""

from __future__ import annotations

from typing import Any

from bot.assistant.types import Incoming
from bot.listeners import Deps, answer, handoff, is_duplicate
from bot.listeners.events import channel_links, message_text
from bot.listeners.streaming import written
from bot.render.blocks import build_reply_blocks, fallback_text

COMMAND = "/crm"


def register(app: Any, deps: Deps) -> None:
    def on_crm(body: dict[str, Any], client: Any, context: Any, respond: Any) -> None:
        person = deps.person(client, context.team_id, body["user_id"])
        text = message_text(body.get("text") or "", bot_user_id=None) or "help"
        # Slack never retries a slash command; its trigger id names this one invocation.
        reply = deps.workers.run(answer, Incoming(
            person=person, text=text, source_id=f"slack:cmd:{body.get('trigger_id')}",
            channel=body.get("channel_id"), channels=channel_links(body.get("text") or "")))
        if is_duplicate(reply):
            return
        # A response_url takes no stream: a model-written reply is posted once, whole.
        reply = written(deps, reply)
        respond(response_type="ephemeral", text=fallback_text(reply),
                blocks=build_reply_blocks(reply))

    app.command(COMMAND)(handoff(deps, on_crm))
