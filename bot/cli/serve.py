"""`salesbot serve`: the Slack app, by Socket Mode (SLACK_APP_TOKEN) or over HTTP (--http).

HTTP runs on waitress, a multi-threaded production WSGI server: /slack/events for
events, commands and interactivity; /slack/install and /slack/oauth_redirect in
OAuth mode; /healthz and /readyz for load balancers. Either way this process only
verifies, acks and talks to Slack: the assistant runs in `--workers` worker processes.
The serving itself lives in bot/slack_serving.py; this module parses arguments and
wires the parts together.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from typing import Any

from bot.cli import CommandError
from bot.settings import Settings, get_settings
from crm_store.errors import StoreUnavailable

log = logging.getLogger(__name__)
SWITCH_INTERVAL_S = 0.001


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the Slack app (Socket Mode, or HTTP with --http)")
    parser.add_argument("--http", action="store_true",
                        help="serve the Events API over HTTP instead of Socket Mode")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    parser.add_argument("--threads", type=int, default=32,
                        help="HTTP server threads (each only verifies, acks and hands off)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="assistant worker processes (default: one per CPU core; "
                             "more with an LLM, whose calls wait on the network)")
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
    from bot.listeners import WORKER_MODULES
    from bot.runtime import open_database
    from bot.slack_app import create_app, io_threads
    from bot.slack_serving import build_http_server, socket_mode_handler
    from bot.workers import WorkerPool

    try:
        db = open_database(settings, args.url)  # migrated here, before any worker opens it
    except StoreUnavailable as exc:
        raise CommandError(str(exc)) from None
    # SIGTERM (docker stop, systemd) unwinds like Ctrl-C, so the finally below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # This process only does short bursts (an ack, a Slack call); a thread that wakes
    # to ack waits for the GIL at most this long instead of Python's default 5 ms.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    scheduler = None
    workers = WorkerPool(settings, db.engine.url.render_as_string(hide_password=False),
                         size=getattr(args, "workers", None), preload=WORKER_MODULES)
    threads = io_threads(workers)
    try:
        workers.warm()
        if not getattr(args, "no_scheduler", False):
            scheduler = start_scheduler(settings, db)
        if args.http:
            server = build_http_server(settings, db, workers, threads, host=args.host,
                                       port=args.port, http_threads=args.threads)
            print(f"salesbot: serving Slack on http://{args.host}:{server.effective_port}"
                  f"/slack/events with {workers.size} workers", flush=True)
            gc.freeze()  # what start-up built lives on: no collection need walk it again
            try:
                server.run()
            finally:
                server.close()
        else:
            app = create_app(settings, db, workers, threads, socket_mode=True)
            print(f"salesbot: connected to Slack by Socket Mode with {workers.size} workers",
                  flush=True)
            socket_mode_handler(app, settings.slack_app_token.get_secret_value()).start()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        threads.shutdown(wait=True)  # answers in flight are still posted
        workers.close()
        db.dispose()
    return 0


def start_scheduler(settings: Settings, db: Any) -> Any:
    """Reminders, alerts and digests in this process; every replica may run them, since
    each delivery is claimed in the database."""
    from bot.slack_notify import SlackNotifier
    from scheduler.runner import Jobs, start

    return start(Jobs(db=db, notifier=SlackNotifier.from_settings(settings, db),
                      settings=settings))
