"""DMs and @mentions: the message becomes an Incoming, the reply goes in the thread."""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from bot.assistant.types import Attachment, Incoming
from bot.listeners import Deps, handoff, is_duplicate
from bot.listeners import answer as answer_in_worker
from bot.listeners.streaming import deliver, set_status

log = logging.getLogger(__name__)

# Message subtypes a person sends; everything else (edits, deletions, joins,
# bot messages) is acked and ignored so the bot never answers itself.
PERSON_SUBTYPES = {None, "file_share", "thread_broadcast"}
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)\|([^>]+)>|<((?:https?|mailto):[^>]+)>")
# <#C0SALES|sales>; the label is empty (<#C0SALES|>) for private channels and from newer
# clients, and absent in some payloads (<#C0SALES>).
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")


def message_text(text: str, *, bot_user_id: str | None) -> str:
    """Slack's wire text as a person typed it: no bot mention, links and entities plain."""
    text = _MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else
                        (m.group(2) or "|@" + m.group(1))[1:], text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(3).removeprefix("mailto:"), text)
    text = _CHANNEL.sub(lambda m: "#" + _channel_word(m), text)
    return " ".join(html.unescape(text).split())


def channel_links(text: str) -> tuple[tuple[str, str], ...]:
    """The channels Slack's wire text links: (the name as message_text writes it, the id).

    The parser reads a channel's name ("#sales"); the id travels alongside, so a digest
    is posted to the channel itself, renamed or private, and a link without a label
    (its text reads "#C0SALES") is still understood.
    """
    return tuple(dict.fromkeys((_channel_word(m).lower(), m.group(1))
                               for m in _CHANNEL.finditer(text or "")))


def _channel_word(match: re.Match[str]) -> str:
    label = html.unescape(match.group(2) or "").strip().lstrip("#")
    return label or match.group(1)


def attachments(event: dict[str, Any]) -> tuple[Attachment, ...]:
    """Files on the message; those Slack withholds (hidden, no access) come without a URL."""
    found = []
    for f in event.get("files") or []:
        readable = f.get("mode") not in ("hidden_by_limit", "tombstone") and \
            f.get("file_access") != "check_file_info"
        found.append(Attachment(name=f.get("name") or f.get("title") or "file",
                                mimetype=f.get("mimetype"),
                                url=f.get("url_private_download") if readable else None,
                                size=f.get("size"), transcript=slack_transcript(f)))
    return tuple(found)


def slack_transcript(file: dict[str, Any]) -> str | None:
    """Slack's own transcript of a voice clip, when it is complete and not cut short."""
    transcription = file.get("transcription") or {}
    preview = transcription.get("preview") or {}
    if transcription.get("status") != "complete" or preview.get("has_more"):
        return None
    return " ".join(str(preview.get("content") or "").split()) or None


def is_person_message(event: dict[str, Any]) -> bool:
    """A message a person wrote (not a bot, an edit, a deletion or a join)."""
    return (event.get("subtype") in PERSON_SUBTYPES and not event.get("bot_id")
            and bool(event.get("user")) and bool(event.get("channel")))


def answer(deps: Deps, client: Any, *, body: dict[str, Any], context: Any,
           status: bool = False) -> None:
    """Carry out one person's message and reply in its thread (once, even on retries)."""
    event = body["event"]
    channel, ts = event["channel"], event.get("ts")
    thread_ts = event.get("thread_ts") or ts
    person = deps.person(client, context.team_id or body.get("team_id"), event["user"])
    if status and event.get("thread_ts"):
        set_status(client, channel, event["thread_ts"], "is thinking…")
    incoming = Incoming(person=person, text=message_text(event.get("text") or "",
                                                         bot_user_id=context.bot_user_id),
                        source_id=f"slack:{body.get('event_id') or channel + ':' + str(ts)}",
                        channel=channel, thread=thread_ts, files=attachments(event),
                        channels=channel_links(event.get("text") or ""))
    # Voice clips are fetched and heard in the worker; it gets the token only to fetch them.
    # Hearing a long clip takes a while: it gets a deadline of its own.
    reply = deps.workers.run_within(
        deps.settings.voice_deadline_s if incoming.files else deps.workers.deadline_s,
        answer_in_worker, incoming, token=context.bot_token if incoming.files else None)
    if is_duplicate(reply):  # the worker logged it, once
        return
    # A reply a model may write is streamed into the thread as it is written.
    deliver(deps, client, channel=channel, reply=reply, thread_ts=thread_ts, recipient=person,
            status_thread=event["thread_ts"] if status and event.get("thread_ts") else None)


def register(app: Any, deps: Deps) -> None:
    def on_mention(body: dict[str, Any], client: Any, context: Any, **_: Any) -> None:
        event = body["event"]
        if str(event.get("channel", "")).startswith("D"):
            return  # a mention in a DM also arrives as message.im, answered there
        if not is_person_message(event):
            log.info("ignored a mention without a person (%s)", event.get("subtype"))
            return
        answer(deps, client, body=body, context=context)

    def on_message(body: dict[str, Any], client: Any, context: Any, **_: Any) -> None:
        event = body["event"]
        if event.get("channel_type") != "im" or not is_person_message(event):
            log.debug("ignored message event (%s, %s)", event.get("channel_type"),
                      event.get("subtype") or ("bot" if event.get("bot_id") else "-"))
            return
        # A DM thread may be Slack's assistant container: show a status while working.
        answer(deps, client, body=body, context=context, status=True)

    app.event("app_mention")(handoff(deps, on_mention))
    app.event("message")(handoff(deps, on_message))


def register_fallbacks(app: Any) -> None:
    """Ack everything else so Slack never retries it; log what it was."""

    def ignore_event(body: dict[str, Any], ack: Any) -> None:
        ack()
        log.info("ignored event %s", (body.get("event") or {}).get("type"))

    def ignore_other(body: dict[str, Any], ack: Any) -> None:
        ack()
        log.info("ignored %s payload", body.get("type") or "unknown")

    anything = re.compile(".*")
    app.event(anything)(ignore_event)
    app.action(anything)(ignore_other)
    app.view(anything)(ignore_other)
    app.shortcut(anything)(ignore_other)
    app.command(anything)(ignore_other)
    app.options(anything)(ignore_other)
