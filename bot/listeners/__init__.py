"""Where Slack ends: each module registers its listeners on the Bolt app with `register(app, deps)`.

Every listener acks at once and hands the work to a thread (`handoff`): there the
payload becomes an Incoming/Press, the assistant runs in a worker process
(`deps.workers.run`), and the reply goes back to Slack as Block Kit. The Slack process
never runs the assistant itself, so an ack never waits for it. Nothing here keeps
state a restart would lose.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError

from bot import voice
from bot.assistant.types import Incoming, Person, Reply, ReplyFile
from bot.logging_setup import event_context
from bot.render.blocks import build_reply_blocks, fallback_text
from bot.settings import Settings
from bot.slack_notify import describe, is_transient
from bot.slack_users import SlackDirectory
from bot.workers import Core, DeadlineExceeded, WorkerCrashed, WorkerPool
from crm_store.db import UNREACHABLE
from crm_store.errors import CRMError
from crm_store.services import outbox

log = logging.getLogger(__name__)


def write_with_model(reply: Reply, **kwargs: Any) -> Any:
    """bot.writing.write, loaded on first use: `write(reply, *, settings, access)` gives
    an iterable of verified prose chunks whose `.reply` is the reply to show in the end."""
    from bot.writing import write

    return write(reply, **kwargs)


@dataclass
class Deps:
    """What the listeners need, built once per process by the app factory."""

    workers: WorkerPool  # the assistant, in worker processes
    threads: Executor  # where handed-off work talks to Slack and waits for the workers
    settings: Settings
    directory: SlackDirectory = field(default_factory=SlackDirectory)
    # Writes a reply's prose when it has `compose` (in the Slack thread, not a worker).
    writer: Callable[..., Any] = write_with_model

    def person(self, client: Any, team_id: str | None, user_id: str) -> Person:
        return self.directory.person(client, team_id or "unknown", user_id)


def register(app: Any, deps: Deps) -> None:
    """Register every listener, the specific ones first and the catch-alls last."""
    from bot.listeners import (
        actions,
        assistant_thread,
        commands,
        events,
        home,
        shortcuts,
        views,
    )

    for module in (assistant_thread, home, events, commands, shortcuts, views, actions):
        module.register(app, deps)
    events.register_fallbacks(app)


Work = Callable[..., None]  # work(body=, client=, context=, respond=)
# The modules whose functions run in worker processes, imported there up front.
WORKER_MODULES = ("bot.listeners.assistant_thread", "bot.listeners.home",
                  "bot.listeners.shortcuts", "bot.listeners.views")


def handoff(deps: Deps, work: Work, *,
            refuse: Callable[[dict[str, Any]], dict[str, str]] | None = None,
            ) -> Callable[..., None]:
    """A listener that acks at once and leaves `work` to `deps.threads`; with `refuse`,
    a modal whose fields have errors is sent back with them instead.

    A plain submit rather than Bolt's lazy listeners: those deep-copy the request
    before the ack is sent, and acking is all the request thread should do.
    """
    run = guarded(work, deps)

    def listener(ack: Any, body: dict[str, Any], client: Any, context: Any,
                 respond: Any) -> None:
        errors = refuse(body) if refuse is not None else None
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        start = functools.partial(deps.threads.submit, run, body=body, client=client,
                                  context=context, respond=respond)
        later = getattr(_answering, "started_later", None)
        if later is None:
            start()
        else:
            later.append(start)

    listener.__name__ = f"handoff_{work.__name__}"
    return listener


_answering = threading.local()


@contextmanager
def work_after_response() -> Iterator[list[Callable[[], Any]]]:
    """While a request (HTTP, or a Socket Mode envelope) is answered in this thread,
    handed-off work is not started but collected in the list yielded; the server starts
    it once the ack is on the wire, so the ack never shares the CPU with its own work
    (see bot.slack_serving)."""
    _answering.started_later = later = []
    try:
        yield later
    finally:
        _answering.started_later = None


def answer(core: Core, incoming: Incoming, *, token: str | None = None) -> Reply:
    """In a worker: the assistant's answer to one message from any Slack surface, its
    voice clips fetched with the bot `token` (the worker gets it only for that)."""
    return core.assistant.handle(incoming, fetch=functools.partial(voice.download, token=token))


def press(core: Core, pressed: Any) -> Reply:
    """In a worker: the assistant's answer to one button press."""
    return core.assistant.press(pressed)


def is_duplicate(reply: Reply) -> bool:
    """The core's answer to a source id it has already carried out."""
    return not reply.text and "duplicate" in reply.context


def source_key(prefix: str, *parts: object) -> str:
    """A stable idempotency key for payloads that carry no event id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"slack:{prefix}:{digest}"


class ReplyNotDelivered(Exception):
    """Slack did not take an assistant reply whose work is already done (and committed):
    the person must not be asked to send their message again."""

    def __init__(self, *, channel: str, thread_ts: str | None, text: str,
                 blocks: list[dict[str, Any]] | None, cause: BaseException) -> None:
        super().__init__(f"reply to {channel} not delivered: {describe(cause)}")
        self.channel, self.thread_ts, self.text, self.blocks = channel, thread_ts, text, blocks
        self.cause = cause
        self.transient = is_transient(cause)


def event_id_of(body: dict[str, Any]) -> str | None:
    """What names one delivery in the logs: the event id, else the interaction's trigger."""
    return body.get("event_id") or body.get("trigger_id")


def friendly_error(error: BaseException) -> str:
    """What a person is told about a failure: typed errors as they are, others by an id."""
    if isinstance(error, CRMError):
        return str(error)
    if isinstance(error, DeadlineExceeded):  # its worker was stopped: nothing committed
        log.warning("%s", error)
        return UNREACHABLE
    error_id = uuid.uuid4().hex[:8]
    log.error("error %s: %s", error_id, error, exc_info=error)
    if isinstance(error, ReplyNotDelivered):
        return (f"That is done, but Slack didn't accept my answer (error id `{error_id}`). "
                "No need to send it again.")
    if isinstance(error, WorkerCrashed):
        return (f"Sorry, I was interrupted while working on that (error id `{error_id}`). "
                "Please send it again.")
    if isinstance(error, SlackApiError):
        return f"Slack didn't answer me (error id `{error_id}`). Please try again."
    return f"Something went wrong on my side (error id `{error_id}`). Please try again."


def post_reply(client: Any, *, channel: str, reply: Reply, thread_ts: str | None = None) -> None:
    """Post an assistant reply as Block Kit (in a thread when given), then its files;
    ReplyNotDelivered when Slack still refuses the text after the client's own retries."""
    text, blocks = fallback_text(reply), build_reply_blocks(reply)
    try:
        posted = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text,
                                         blocks=blocks)
    except Exception as error:
        raise ReplyNotDelivered(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks,
                                cause=error) from error
    # A message to a user id lands in a DM channel: the file goes where the text went.
    post_files(client, channel=posted.get("channel") or channel, thread_ts=thread_ts,
               files=reply.files)


def post_files(client: Any, *, channel: str, thread_ts: str | None,
               files: Sequence[ReplyFile]) -> None:
    """Upload a reply's files (charts) after its text, in the same channel and thread. The
    text is already there, so a file Slack will not take is logged and said, never raised."""
    for file in files:
        try:
            client.files_upload_v2(channel=channel, thread_ts=thread_ts, filename=file.filename,
                                   title=file.title, content=file.content,
                                   alt_txt=file.alt or None)
        except Exception as error:  # noqa: BLE001 - the answer itself went out
            error_id = uuid.uuid4().hex[:8]
            log.warning("error %s: chart %s not uploaded to %s: %s", error_id, file.filename,
                        channel, describe(error))
            try:
                client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts,
                    text=f"I couldn't attach the chart ({file.title}); the figures are in my "
                         f"answer above (error id `{error_id}`).")
            except Exception:  # noqa: BLE001 - Slack is out: the log has it
                log.exception("could not say chart %s was not uploaded", file.filename)


def guarded(work: Work, deps: Deps | None = None) -> Work:
    """Run handed-off work so a failure is logged with an id and the person hears about it.

    Work after the ack is past Bolt's `@app.error`, so this is the one place its
    failures become friendly text. A reply Slack would not take for now (5xx, 429,
    network) is kept in the outbox for the scheduler to send later, and nobody is told.
    """

    def run(**kwargs: Any) -> None:
        with event_context(event_id_of(kwargs.get("body") or {})):
            try:
                work(**kwargs)
            except ReplyNotDelivered as error:
                if not (error.transient and _keep(deps, kwargs, channel=error.channel,
                                                  thread_ts=error.thread_ts, text=error.text,
                                                  blocks=error.blocks, cause=error.cause)):
                    _tell(kwargs, friendly_error(error), deps)
            except Exception as error:  # noqa: BLE001 - the last line of defence
                _tell(kwargs, friendly_error(error), deps)

    return run


def keep_for_later(core: Core, **message: Any) -> int:
    """In a worker: store an undelivered message in the outbox; returns its id."""
    with core.db.session() as session:
        return outbox.enqueue(session, **message)


def _keep(deps: Deps | None, kwargs: dict[str, Any], *, channel: str, thread_ts: str | None,
          text: str, blocks: list[dict[str, Any]] | None, cause: BaseException) -> bool:
    """Store a message Slack would not take in the outbox; False when it could not be."""
    if deps is None:
        return False
    body = kwargs.get("body") or {}
    team_id = getattr(kwargs.get("context"), "team_id", None) or body.get("team_id") or \
        (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    source = _source_of(body)
    try:
        message_id = deps.workers.run(keep_for_later, team_id=team_id or "unknown",
                                      channel=channel, thread_ts=thread_ts, text=text,
                                      blocks=blocks, source_id=source, error=describe(cause))
    except Exception:  # noqa: BLE001 - the database is out too: the log has it
        log.exception("could not keep the undelivered reply to %s (%s)", source, channel)
        return False
    log.warning("Slack did not take the reply to %s (%s); outbox message %s sends it later",
                source, describe(cause), message_id)
    return True


def _source_of(body: dict[str, Any]) -> str | None:
    """The id of what was answered, for the outbox row and the log."""
    if body.get("event_id"):
        return f"slack:{body['event_id']}"
    if (body.get("view") or {}).get("id"):
        return f"slack:view:{body['view']['id']}"
    return f"slack:trigger:{body['trigger_id']}" if body.get("trigger_id") else None


def _tell(kwargs: dict[str, Any], text: str, deps: Deps | None = None) -> None:
    body = kwargs.get("body") or {}
    client = kwargs.get("client")
    event = body.get("event") or {}
    user = (body.get("user") or {}).get("id")
    channel: str | None = None
    thread_ts: str | None = None
    try:
        if body.get("response_url") and kwargs.get("respond"):
            kwargs["respond"](text=text, response_type="ephemeral", replace_original=False)
            return
        if client is not None and event.get("channel") and event.get("user"):
            channel, thread_ts = event["channel"], event.get("thread_ts") or event.get("ts")
        elif client is not None and user:
            channel = user
        else:
            return
        client.chat_postMessage(channel=channel, text=text, thread_ts=thread_ts)
    except Exception as error:  # noqa: BLE001 - Slack unreachable: kept for later, or logged
        if channel and is_transient(error) and _keep(
                deps, kwargs, channel=channel, thread_ts=thread_ts, text=text, blocks=None,
                cause=error):
            return
        log.exception("could not tell the user about an error")
