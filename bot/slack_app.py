"""The Bolt app: one workspace by bot token, or many by OAuth; listeners from bot.listeners.

This process verifies, acks and talks to Slack; the assistant runs in the worker
processes of `bot.workers`, and the I/O between the two in a thread pool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.web import WebClient

from bot import listeners
from bot.settings import Settings
from bot.slack_door import Door
from bot.slack_notify import make_client
from bot.workers import WorkerPool
from crm_store.db import Database

log = logging.getLogger(__name__)
BOT_SCOPES = ("app_mentions:read", "assistant:write", "channels:history", "channels:read",
              "chat:write", "commands", "files:read", "files:write", "groups:read",
              "im:history", "im:read", "im:write", "users:read", "users:read.email")


def io_threads(workers: WorkerPool) -> ThreadPoolExecutor:
    """Threads for handed-off work: each mostly waits (on Slack, or on a worker), so
    several per worker keep the workers busy while replies are posted."""
    return ThreadPoolExecutor(max(16, 4 * workers.size), thread_name_prefix="salesbot")


def create_app(settings: Settings, db: Database, workers: WorkerPool, threads: Executor,
               client: WebClient | None = None, *, socket_mode: bool = False,
               writer: Callable[..., Any] | None = None) -> App:
    """The Bolt app with every listener; OAuth when SLACK_CLIENT_ID/SECRET are set.

    `db` holds the OAuth installations; the CRM itself is only touched by `workers`.
    Listeners ack and submit their work to `threads`. `writer` writes model prose
    (default: bot.writing.write).
    """
    client = client or make_client(settings)
    secret = settings.slack_signing_secret.get_secret_value() \
        if settings.slack_signing_secret else None
    common = dict(signing_secret=secret, client=client, process_before_response=True,
                  request_verification_enabled=not socket_mode)
    if settings.slack_client_id and settings.slack_client_secret:
        installations = SQLAlchemyInstallationStore(settings.slack_client_id, db.engine)
        states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=db.engine)
        installations.create_tables()
        states.create_tables()
        client.token = None  # every request uses its workspace's token
        app = App(**common, oauth_settings=OAuthSettings(
            client_id=settings.slack_client_id, scopes=list(BOT_SCOPES),
            client_secret=settings.slack_client_secret.get_secret_value(),
            installation_store=installations, state_store=states))
        app.enable_token_revocation_listeners()  # app_uninstalled / tokens_revoked
    else:
        app = App(**common)
    app.error(error_handler(None if socket_mode else secret))
    deps = listeners.Deps(workers=workers, threads=threads, settings=settings)
    if writer is not None:
        deps.writer = writer
    listeners.register(app, deps)
    return app


def error_handler(signing_secret: str | None) -> Callable[..., BoltResponse]:
    """Bolt's `@app.error`: errors before the ack, logged with an id, told kindly, and acked
    so Slack won't retry — but only for a request known to come from Slack."""
    door = Door(signing_secret) if signing_secret else None

    def on_error(error: Exception, body: Any, request: BoltRequest,
                 respond: Any = None) -> BoltResponse:
        # The HTTP door turns unsigned requests away before Bolt sees them; this check
        # holds even without it, so a forged response_url is never called.
        if request.mode != "socket_mode" and not _signed(door, request):
            log.warning("refused an unverified request that failed in Bolt (%s)",
                        type(error).__name__)
            return BoltResponse(status=401, body="invalid request")
        text = listeners.friendly_error(error)
        if respond is not None and isinstance(body, dict) and body.get("response_url"):
            respond(text=text, response_type="ephemeral", replace_original=False)
        return BoltResponse(status=200, body="")

    return on_error


def _signed(door: Door | None, request: BoltRequest) -> bool:
    def header(name: str) -> str | None:
        return (request.headers.get(name) or [None])[0]

    return door is not None and door.is_signed(request.raw_body,
                                               header("x-slack-request-timestamp"),
                                               header("x-slack-signature"))
