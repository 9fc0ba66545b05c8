"""Replies a model may write (`Reply.compose`): written here, in the Slack thread, and
streamed into Slack as the writer yields its prose.

The worker has already committed the work and returned the code-written reply with its
facts; the writer (bot.writing, injected as `Deps.writer`) books and settles its model
calls through the workers (`WorkerAccess`), so this thread never touches the database.
Where Slack streams (a thread: DMs, assistant threads, channels that allow it) the chunks
go out through chat.startStream / appendStream and the final reply's blocks (buttons,
👍/👎) close the stream; elsewhere (slash commands, a DM without a thread) or when a
stream call fails, the final reply is posted once. The answer is never lost: whatever
the stream did, the final reply ends up in Slack or in the outbox.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from typing import Any

from bot.assistant.types import Person, Reply
from bot.listeners import Deps, post_files, post_reply
from bot.render.blocks import build_reply_blocks, fallback_text

log = logging.getLogger(__name__)

WRITING_STATUS = "is writing…"
OnChunk = Callable[[str], None]
# The writer's chunks are Slack mrkdwn (*bold*, ~strike~, <url|label>); a stream's
# markdown_text is Markdown, where *x* would read as italics.
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)\|([^>]+)>")


def markdown_of(mrkdwn: str) -> str:
    """One chunk of Slack mrkdwn as the Markdown a stream takes."""
    text = _BOLD.sub(r"**\1**", mrkdwn)
    text = _STRIKE.sub(r"~~\1~~", text)
    return _LINK.sub(r"[\2](\1)", text)


@dataclasses.dataclass
class WorkerAccess:
    """bot.writing's Access for the Slack process: each booking runs in a worker, in a
    short transaction of its own (never one held across the model call)."""

    workers: Any  # bot.workers.WorkerPool
    reserve_in: Callable[..., int | str] | None = None  # default: bot.writing.access's
    settle_in: Callable[..., None] | None = None

    def reserve(self, compose: Any, *, prompt: str, need: int) -> int | str:
        fn = self.reserve_in
        if fn is None:
            from bot.writing.access import reserve_in as fn
        return self.workers.run(fn, compose, prompt, need)

    def settle(self, usage_id: int, *, prompt_tokens: int, completion_tokens: int,
               outcome: str) -> None:
        fn = self.settle_in
        if fn is None:
            from bot.writing.access import settle_in as fn
        self.workers.run(fn, usage_id, prompt_tokens, completion_tokens, outcome)


def written(deps: Deps, reply: Reply, on_chunk: OnChunk | None = None) -> Reply:
    """The reply to show once the writer is done (`reply` itself when nothing is to be
    written); each verified chunk goes to `on_chunk` as it comes. A writer that fails
    leaves the code-written reply, which is true on its own."""
    if reply.compose is None:
        return reply
    try:
        writing = deps.writer(reply, settings=deps.settings,
                              access=WorkerAccess(deps.workers))
        for chunk in writing:
            if on_chunk is not None and chunk:
                on_chunk(chunk)
        final = writing.reply
    except Exception:  # noqa: BLE001 - the facts are committed; say them as code wrote them
        log.exception("the writer failed; the code-written reply goes out")
        return dataclasses.replace(reply, compose=None)
    return final if final.compose is None else dataclasses.replace(final, compose=None)


class SlackStream:
    """One streamed message in a thread, started by its first chunk; it never raises:
    a failed call stops the streaming and `finish` says whether the answer is shown."""

    def __init__(self, client: Any, *, channel: str, thread_ts: str,
                 recipient: Person | None) -> None:
        self.client, self.channel, self.thread_ts = client, channel, thread_ts
        self.recipient = recipient
        self.sent: list[str] = []
        self.failed = False
        self._stream: Any = None

    @property
    def ts(self) -> str | None:
        return self._stream.ts if self._stream is not None else None

    def append(self, chunk: str) -> None:
        if self.failed:
            return
        try:
            if self._stream is None:
                extra = {} if self.recipient is None else {
                    "recipient_team_id": self.recipient.team_id,
                    "recipient_user_id": self.recipient.user_id}
                # Each verified chunk goes out as it comes: the writer's chunks are
                # sentences, so the call count stays small, and the first shows at once.
                self._stream = self.client.chat_stream(
                    channel=self.channel, thread_ts=self.thread_ts, buffer_size=1, **extra)
            self._stream.append(markdown_text=markdown_of(chunk))
            if self._stream.ts is None:
                raise RuntimeError("chat.startStream returned no ts")
            self.sent.append(chunk)
        except Exception as error:  # noqa: BLE001 - streaming is a nicety: post instead
            self.failed = True
            log.info("streaming into %s stopped (%s); the reply is posted whole",
                     self.channel, error)

    def finish(self, final: Reply) -> bool:
        """Close the stream with the final reply's blocks; False when the answer is not
        in Slack this way (nothing streamed, or the stream could not be closed/updated)."""
        if self.ts is None:
            return False
        shown = " ".join("".join(self.sent).split())
        if not self.failed and shown == " ".join(final.text.split()):
            rest = build_reply_blocks(dataclasses.replace(final, text=""))
            try:
                self._stream.stop(blocks=rest or None)
                return True
            except Exception as error:  # noqa: BLE001 - try to put the whole reply there
                log.info("chat.stopStream failed (%s); updating the message instead", error)
        else:
            try:  # the stream said something else (or stopped): end it, then replace it
                self._stream.stop()
            except Exception as error:  # noqa: BLE001
                log.info("chat.stopStream failed (%s)", error)
        try:
            self.client.chat_update(channel=self.channel, ts=self.ts,
                                    text=fallback_text(final),
                                    blocks=build_reply_blocks(final))
            return True
        except Exception as error:  # noqa: BLE001 - the caller posts it as a new message
            log.info("could not replace the streamed message (%s)", error)
            return False


def deliver(deps: Deps, client: Any, *, channel: str, reply: Reply,
            thread_ts: str | None = None, recipient: Person | None = None,
            status_thread: str | None = None) -> None:
    """Post a worker's reply; one a model may write is written first, and streamed into
    the thread when there is one. `status_thread` is an assistant thread whose status
    shows the writing. ReplyNotDelivered (from post_reply) when Slack takes nothing."""
    if reply.compose is None:
        post_reply(client, channel=channel, reply=reply, thread_ts=thread_ts)
        return
    if status_thread:
        set_status(client, channel, status_thread, WRITING_STATUS)
    stream = SlackStream(client, channel=channel, thread_ts=thread_ts, recipient=recipient) \
        if thread_ts else None
    final = written(deps, reply, stream.append if stream is not None else None)
    if stream is not None and stream.finish(final):
        post_files(client, channel=channel, thread_ts=thread_ts, files=final.files)
        return
    post_reply(client, channel=channel, reply=final, thread_ts=thread_ts)


def set_status(client: Any, channel: str, thread_ts: str, status: str) -> None:
    """The assistant container's status line; a plain DM thread has none, which is fine."""
    try:
        client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread_ts,
                                           status=status)
    except Exception as exc:  # noqa: BLE001 - cosmetic only
        log.debug("no assistant status for %s/%s: %s", channel, thread_ts, exc)
