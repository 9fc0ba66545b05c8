"""Slack's assistant container: a greeting and suggested prompts for the speaker's role.

Messages typed in the container arrive as DM thread messages and are answered by
`events.answer` with an "is thinking…" status while the assistant works.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.assistant.executors.help import examples_for
from bot.assistant.types import Person
from bot.listeners import Deps, handoff
from bot.workers import Core
from crm_store.models import Role

log = logging.getLogger(__name__)
PROMPTS_MAX = 4  # Slack shows up to four suggested prompts


def suggested_prompts(role: Role) -> list[dict[str, str]]:
    """Prompts for the role: a manager's first ones are about the team."""
    examples = examples_for(role)
    if role in (Role.MANAGER, Role.ADMIN):
        rep_count = len(examples_for(Role.REP))
        examples = examples[rep_count:rep_count + 2] + examples[:2]
    return [{"title": e if len(e) <= 60 else e[:59] + "…", "message": e}
            for e in examples[:PROMPTS_MAX]]


def role_of(core: Core, person: Person) -> Role:
    """In a worker: the person's CRM role (creating them on first contact)."""
    with core.db.session() as session:
        return core.assistant.user_for(session, person).role


def register(app: Any, deps: Deps) -> None:
    def on_thread_started(body: dict[str, Any], client: Any, context: Any, **_: Any) -> None:
        thread = body["event"]["assistant_thread"]
        person = deps.person(client, context.team_id, thread["user_id"])
        role = deps.workers.run(role_of, person)
        client.chat_postMessage(
            channel=thread["channel_id"], thread_ts=thread["thread_ts"],
            text=f"Hi{' ' + person.name.split()[0] if person.name else ''}! Tell me what "
                 "happened with a customer, or ask about your deals.")
        client.assistant_threads_setSuggestedPrompts(
            channel_id=thread["channel_id"], thread_ts=thread["thread_ts"],
            title="For example:", prompts=suggested_prompts(role))

    def on_context_changed(body: dict[str, Any], ack: Any) -> None:
        ack()  # which channel the user looks at: not used yet
        log.debug("assistant thread context changed")

    app.event("assistant_thread_started")(handoff(deps, on_thread_started))
    app.event("assistant_thread_context_changed")(on_context_changed)
