"""Messages into Slack: one client per workspace, at most one message per second per
channel, and Slack's hiccups (429 with Retry-After, 5xx, dropped connections) retried
within one call for a few seconds at most, so a thread is never held for minutes.
What still fails is `transient` or not: a transient failure is kept in the outbox
and sent later (scheduler.outbox); a permanent one is not retried."""

from __future__ import annotations

import datetime as dt
import http.client
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.state import RetryState

from bot.assistant.types import Reply
from bot.settings import Settings
from crm_store.db import Database

MIN_INTERVAL = 1.0  # seconds between two messages to one channel
SERVER_ERRORS = (500, 502, 503, 504)
# Slack's own words (HTTP 200, ok: false) for "not now" rather than "never".
TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                    "request_timeout"}


@dataclass(frozen=True)
class RetryPolicy:
    """How long one Web API call may wait between its attempts, in all: a few seconds,
    so a handed-off thread or a scheduler job is never held for minutes; what is
    still failing then goes to the outbox."""

    budget: float = 8.0  # seconds of waiting per call, all retries together
    backoff: float = 0.25  # first wait of the exponential backoff for 5xx and resets
    max_wait: float = 2.0  # no single backoff wait longer than this


class _Budgeted(RetryHandler):
    """A retry only while the waits of this call stay within the policy's budget.

    The wait is decided in `_can_retry` (so a Retry-After longer than what is left
    means "give up now", not "sleep then fail") and slept in `prepare_for_next_attempt`.
    Handlers are shared by every client Bolt derives from ours, so all state lives in
    the call's RetryState.
    """

    def __init__(self, policy: RetryPolicy) -> None:
        super().__init__(max_retry_count=1000,  # the budget bounds the retries
                         interval_calculator=BackoffRetryIntervalCalculator(policy.backoff))
        self.policy = policy

    def _wait(self, state: RetryState, response: Any) -> float:
        interval = self.policy.backoff * 2 ** state.current_attempt
        return min(interval, self.policy.max_wait) * (0.75 + random.random() / 2)

    def _fits(self, state: RetryState, wait: float) -> bool:
        values = state.custom_values if state.custom_values is not None else {}
        state.custom_values = values
        if values.get("waited", 0.0) + wait > self.policy.budget:
            return False
        values["next_wait"] = wait
        return True

    def prepare_for_next_attempt(self, *, state: RetryState, request: Any,
                                 response: Any = None, error: Any = None) -> None:
        values = state.custom_values or {}
        wait = values.pop("next_wait", 0.0)
        values["waited"] = values.get("waited", 0.0) + wait
        state.next_attempt_requested = True
        time.sleep(wait)
        state.increment_current_attempt()


class BoundedRateLimitRetry(_Budgeted, RateLimitErrorRetryHandler):
    """429: wait Retry-After, when that fits in what is left of the budget."""

    def _wait(self, state: RetryState, response: Any) -> float:
        header = next((v for k, v in response.headers.items() if k.lower() == "retry-after"),
                      None)
        try:
            seconds = float(header[0] if isinstance(header, list) else header)
        except (TypeError, ValueError):
            seconds = 1.0
        return seconds + random.random() / 4

    def _can_retry(self, *, state: RetryState, request: Any, response: Any = None,
                   error: Any = None) -> bool:
        return response is not None and response.status_code == 429 and \
            self._fits(state, self._wait(state, response))


class BoundedServerErrorRetry(_Budgeted, ServerErrorRetryHandler):
    """5xx (Slack's ServerErrorRetryHandler knows 500 and 503; gateways answer 502/504)."""

    def _can_retry(self, *, state: RetryState, request: Any, response: Any = None,
                   error: Any = None) -> bool:
        return response is not None and response.status_code in SERVER_ERRORS and \
            self._fits(state, self._wait(state, response))


class BoundedConnectionErrorRetry(_Budgeted, ConnectionErrorRetryHandler):
    """A refused or reset connection. Not a read timeout: Slack may have posted it."""

    def __init__(self, policy: RetryPolicy) -> None:
        super().__init__(policy)
        self.error_types_to_do_retries = [URLError, ConnectionResetError,
                                          http.client.RemoteDisconnected]

    def _can_retry(self, *, state: RetryState, request: Any, response: Any = None,
                   error: Any = None) -> bool:
        return ConnectionErrorRetryHandler._can_retry(
            self, state=state, request=request, response=response, error=error) and \
            self._fits(state, self._wait(state, response))


def retry_handlers(policy: RetryPolicy | None = None) -> list[RetryHandler]:
    """slack_sdk retry handlers for 429, 5xx and dropped connections, sharing one budget."""
    policy = policy or RetryPolicy()
    return [BoundedRateLimitRetry(policy), BoundedServerErrorRetry(policy),
            BoundedConnectionErrorRetry(policy)]


def make_client(settings: Settings, token: str | None = None, *,
                retry: RetryPolicy | None = None) -> WebClient:
    """A Web API client on SLACK_API_URL that retries 429s (Retry-After), 5xx and dropped
    connections within `retry`'s budget; `token` defaults to SLACK_BOT_TOKEN."""
    if token is None and settings.slack_bot_token:
        token = settings.slack_bot_token.get_secret_value()
    return WebClient(token=token, base_url=settings.slack_api_url, timeout=10,
                     retry_handlers=retry_handlers(retry))


def is_transient(error: BaseException) -> bool:
    """True when a failed Slack call may well succeed later (429, 5xx, network trouble);
    False for what no retry fixes (channel_not_found, not_in_channel, invalid_auth, other
    4xx, a workspace without an installation)."""
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 200)
        if status == 429 or status >= 500:
            return True
        code = response.get("error") if hasattr(response, "get") else None
        return status == 200 and code in TRANSIENT_ERRORS
    return isinstance(error, URLError | OSError | http.client.HTTPException)


def describe(error: BaseException) -> str:
    """A short line for the outbox and the log: Slack's error code, or the exception."""
    if isinstance(error, SlackApiError):
        response = error.response
        code = response.get("error") if hasattr(response, "get") else None
        return f"HTTP {getattr(response, 'status_code', '?')}: {code or 'error'}"
    return f"{type(error).__name__}: {error}"[:500]


class SlackNotifier:
    """Sends Replies as Block Kit messages; thread-safe."""

    def __init__(self, client_for: Callable[[str], WebClient],
                 min_interval: float = MIN_INTERVAL) -> None:
        self._client_for = client_for
        self._min_interval = min_interval
        self._last: dict[tuple[str, str], float] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, db: Database) -> SlackNotifier:
        """Single-workspace token, or per-workspace tokens from the OAuth installations."""
        if settings.slack_client_id:
            from slack_sdk.oauth.installation_store.sqlalchemy import (
                SQLAlchemyInstallationStore,
            )

            store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id,
                                                engine=db.engine)

            def client_for(team_id: str) -> WebClient:
                bot = store.find_bot(enterprise_id=None, team_id=team_id)
                if bot is None:
                    raise LookupError(f"workspace {team_id} has no installation")
                return make_client(settings, bot.bot_token)
        else:
            token = settings.slack_bot_token.get_secret_value() \
                if settings.slack_bot_token else None
            shared = make_client(settings, token)

            def client_for(team_id: str) -> WebClient:
                return shared
        return cls(client_for)

    def dm(self, user, reply: Reply) -> None:
        # Posting to a user id lands in the app's DM with that user.
        self._send(user.team_id, user.slack_user_id, reply)

    def post(self, team_id: str, channel: str, reply: Reply) -> None:
        self._send(team_id, channel, reply)

    def upload(self, team_id: str, channel: str, *, filename: str, content: bytes,
               title: str) -> None:
        self._throttle(team_id, channel)
        self._client_for(team_id).files_upload_v2(channel=channel, filename=filename,
                                                  content=content, title=title)

    def send_stored(self, team_id: str, channel: str, *, text: str,
                    blocks: list[Any] | None, thread_ts: str | None,
                    written_at: dt.datetime) -> None:
        """Send a message kept in the outbox, with a note that it comes late.

        Raises `crm_store.services.outbox.Undeliverable` when Slack refuses it for good; any
        other exception means "try again later"."""
        from crm_store.services.outbox import Undeliverable

        when = (f"<!date^{int(written_at.timestamp())}^{{date_short_pretty}} at {{time}}|"
                f"{written_at:%Y-%m-%d %H:%M} UTC>")
        note = f"Delayed by a Slack outage: I wrote this {when}."
        if blocks:  # Slack shows the blocks, not the text: the note goes in a block
            if len(blocks) < 50:
                blocks = [*blocks, {"type": "context",
                                    "elements": [{"type": "mrkdwn", "text": note}]}]
        else:
            text = f"{text}\n\n_{note}_"
        self._throttle(team_id, channel)
        try:
            self._client_for(team_id).chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=text, blocks=blocks or None,
                unfurl_links=False)
        except Exception as error:
            if is_transient(error):
                raise
            raise Undeliverable(describe(error)) from error

    def _send(self, team_id: str, channel: str, reply: Reply) -> None:
        from bot.render.blocks import build_reply_blocks, fallback_text

        self._throttle(team_id, channel)
        self._client_for(team_id).chat_postMessage(
            channel=channel, text=fallback_text(reply), blocks=build_reply_blocks(reply),
            unfurl_links=False)

    def _throttle(self, team_id: str, channel: str) -> None:
        key = (team_id, channel)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            wait = self._last.get(key, 0.0) + self._min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[key] = time.monotonic()
