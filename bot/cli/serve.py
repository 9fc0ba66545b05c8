"""`salesbot serve`: the Slack app, by Socket Mode (SLACK_APP_TOKEN) or over HTTP (--http).

HTTP runs on waitress, a multi-threaded production WSGI server: /slack/events for
events, commands and interactivity; /slack/install and /slack/oauth_redirect in
OAuth mode; /healthz for load balancers.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterable
from typing import Any

from bot.cli import CommandError
from bot.settings import Settings, get_settings
from crm_store.errors import StoreUnavailable

log = logging.getLogger(__name__)
THREADS = 32  # waitress threads: each only verifies, acks and hands off, so many are cheap


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the Slack app (Socket Mode, or HTTP with --http)")
    parser.add_argument("--http", action="store_true",
                        help="serve the Events API over HTTP instead of Socket Mode")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    parser.add_argument("--threads", type=int, default=THREADS, help="HTTP server threads")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    parser.add_argument("--no-scheduler", action="store_true",
                        help="do not run reminders, alerts and digests in this process")
    parser.set_defaults(func=run)


def check_settings(settings: Settings, *, http: bool) -> None:
    """One clear line naming the variable to set when something is missing."""
    oauth = bool(settings.slack_client_id)
    if oauth and not settings.slack_client_secret:
        raise CommandError("SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: set both "
                           "for OAuth (many workspaces), or neither")
    if oauth and not http:
        raise CommandError("OAuth install (SLACK_CLIENT_ID) needs HTTP: run `salesbot serve "
                           "--http`, or unset SLACK_CLIENT_ID for Socket Mode")
    if not oauth and not settings.slack_bot_token:
        raise CommandError("set SLACK_BOT_TOKEN (xoxb-…, from OAuth & Permissions) to serve "
                           "one workspace, or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET for OAuth")
    if http and not settings.slack_signing_secret:
        raise CommandError("set SLACK_SIGNING_SECRET (Basic Information → App Credentials) "
                           "to serve over HTTP")
    if not http and not settings.slack_app_token:
        raise CommandError("set SLACK_APP_TOKEN (xapp-…, with connections:write) for Socket "
                           "Mode, or run `salesbot serve --http --port N`")


def run(args: argparse.Namespace, *, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    check_settings(settings, http=args.http)
    from bot.runtime import build_assistant, open_database

    try:
        db = open_database(settings, args.url)
    except StoreUnavailable as exc:
        raise CommandError(str(exc)) from None
    scheduler = None
    try:
        assistant = build_assistant(db, settings)
        if not getattr(args, "no_scheduler", False):
            scheduler = start_scheduler(settings, db)
        if args.http:
            server = build_http_server(settings, db, assistant, host=args.host, port=args.port,
                                       threads=args.threads)
            print(f"salesbot: serving Slack on http://{args.host}:{server.effective_port}"
                  "/slack/events", flush=True)
            try:
                server.run()
            finally:
                server.close()
        else:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            from bot.slack_app import create_app

            app = create_app(settings, db, assistant, socket_mode=True)
            print("salesbot: connected to Slack by Socket Mode", flush=True)
            SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        db.dispose()
    return 0


def start_scheduler(settings: Settings, db: Any) -> Any:
    """Reminders, alerts and digests in this process; every replica may run them, since
    each delivery is claimed in the database."""
    from bot.slack_notify import SlackNotifier
    from scheduler.runner import Jobs, start

    return start(Jobs(db=db, notifier=SlackNotifier.from_settings(settings, db),
                      settings=settings))


def build_http_server(settings: Settings, db: Any, assistant: Any, *, host: str = "127.0.0.1",
                      port: int = 0, threads: int = THREADS, client: Any = None) -> Any:
    """A waitress server for the Bolt app; `.run()` serves, `.close()` stops, port 0 = any."""
    from waitress import create_server

    from bot.slack_app import create_app

    app = create_app(settings, db, assistant, client)
    return create_server(wsgi_app(app), host=host, port=port, threads=threads,
                         connection_limit=1000, channel_timeout=30, ident="salesbot")


def wsgi_app(app: Any) -> Callable[[dict, Callable], Iterable[bytes]]:
    """Bolt's WSGI adapter plus a /healthz answer for load balancers."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    bolt = SlackRequestHandler(app)

    def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        try:
            return _acked(bolt, environ, start_response)
        except ValueError as exc:  # a body that is not JSON or a form: not from Slack
            log.warning("malformed request to %s: %s", environ.get("PATH_INFO"), exc)
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"malformed request"]

    return serve


def _acked(bolt: Any, environ: dict, start_response: Callable) -> Iterable[bytes]:
    """Bolt answers 404 to a signed payload no listener takes; Slack would retry it, so ack."""
    unhandled = []

    def respond(status: str, headers: list, exc_info: Any = None) -> Any:
        if status.startswith("404") and environ.get("REQUEST_METHOD") == "POST":
            unhandled.append(status)
            return start_response("200 OK", [("Content-Type", "text/plain")], exc_info)
        return start_response(status, headers, exc_info)

    body = bolt(environ, respond)
    if unhandled:
        log.warning("acked a payload no listener handles")
        return [b""]
    return body
