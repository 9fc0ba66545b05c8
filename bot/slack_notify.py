"""Scheduled messages into Slack: one client per workspace, at most one message per second
per channel, Slack's 429s waited out (Retry-After) by slack_sdk's retry handler."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.assistant.types import Reply
from bot.settings import Settings
from crm_store.db import Database

MIN_INTERVAL = 1.0  # seconds between two messages to one channel


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A Web API client on SLACK_API_URL that waits out 429s (Retry-After) and retries
    dropped connections; `token` defaults to SLACK_BOT_TOKEN."""
    if token is None and settings.slack_bot_token:
        token = settings.slack_bot_token.get_secret_value()
    return WebClient(token=token, base_url=settings.slack_api_url, timeout=10, retry_handlers=[
        RateLimitErrorRetryHandler(max_retry_count=5), ConnectionErrorRetryHandler()])


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
