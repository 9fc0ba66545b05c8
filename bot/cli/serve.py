"""`salesbot serve`: the Slack app, by Socket Mode (SLACK_APP_TOKEN) or over HTTP (--http).

HTTP runs on waitress, a multi-threaded production WSGI server: /slack/events for
events, commands and interactivity; /slack/install and /slack/oauth_redirect in
OAuth mode; /healthz for load balancers. Either way this process only verifies,
acks and talks to Slack: the assistant runs in `--workers` worker processes.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bot.cli import CommandError
from bot.settings import Settings, get_settings
from crm_store.errors import StoreUnavailable

log = logging.getLogger(__name__)
THREADS = 32  # waitress threads: each only verifies, acks and hands off, so many are cheap
SWITCH_INTERVAL_S = 0.001


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="run the Slack app (Socket Mode, or HTTP with --http)")
    parser.add_argument("--http", action="store_true",
                        help="serve the Events API over HTTP instead of Socket Mode")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    parser.add_argument("--threads", type=int, default=THREADS, help="HTTP server threads")
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


def build_http_server(settings: Settings, db: Any, workers: Any, threads: Any, *,
                      host: str = "127.0.0.1", port: int = 0, http_threads: int = THREADS,
                      client: Any = None) -> Any:
    """A waitress server for the Bolt app; `.run()` serves, `.close()` stops, port 0 = any.

    `workers` (a WorkerPool) and `threads` (an Executor) belong to the caller, who
    shuts them down after the server."""
    from waitress import create_server

    from bot.slack_app import create_app

    if not settings.slack_signing_secret:  # no door without a key
        raise CommandError("set SLACK_SIGNING_SECRET to serve over HTTP")
    app = create_app(settings, db, workers, threads, client)
    serve = wsgi_app(app, settings.slack_signing_secret.get_secret_value(),
                     ready=db.readiness)
    return create_server(serve, host=host, port=port, threads=http_threads,
                         connection_limit=1000, channel_timeout=30, ident="salesbot")


def wsgi_app(app: Any, signing_secret: str, ready: Callable[[], str | None] | None = None,
             ) -> Callable[[dict, Callable], Iterable[bytes]]:
    """Bolt's WSGI adapter behind the signature check of every POST (bot.slack_door), plus
    /healthz (the process lives) and /readyz (`ready()` says None: the database answers)
    for load balancers and orchestrators."""
    from bot.listeners import event_id_of, work_after_response
    from bot.logging_setup import event_context
    from bot.slack_door import ADMITTED, AdmittedRequestHandler, Door, Refused

    door = Door(signing_secret)
    bolt = AdmittedRequestHandler(app)

    def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        if environ.get("PATH_INFO") == "/readyz":
            return _readiness(ready, start_response)
        event_id = None
        if environ.get("REQUEST_METHOD") == "POST":  # all Slack sends; GETs are OAuth pages
            admitted = door.admit(environ)
            if isinstance(admitted, Refused):
                start_response(admitted.status, admitted.headers())
                return [admitted.body]
            environ[ADMITTED] = admitted
            event_id = event_id_of(admitted.body)
        writers: list[Callable[[bytes], Any]] = []

        def starting(status: str, headers: list, exc_info: Any = None) -> Any:
            writers.append(start_response(status, headers, exc_info))
            return writers[-1]

        with work_after_response() as started_later, event_context(event_id):
            body = _acked(bolt, environ, starting)
        if not started_later:
            return body
        return ThenStart(body, writers[-1], started_later)

    return serve


def _readiness(ready: Callable[[], str | None] | None, start_response: Callable,
               ) -> Iterable[bytes]:
    reason = ready() if ready is not None else None
    if reason is None:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    log.warning("not ready: %s", reason)
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [f"database: {reason}"[:200].encode()]


class ThenStart:
    """A response body that starts the work handed off while answering, once the
    response has gone out, so the work never delays the ack it follows.

    The server calls close() after the last chunk. An ack's body is empty, and a server
    sends the headers of an empty body only after close(), so close() first calls the
    WSGI write() with nothing, which makes the server send the headers then (PEP 3333),
    and starts the work after.
    """

    def __init__(self, body: Iterable[bytes], write: Callable[[bytes], Any],
                 work: list[Callable[[], Any]]) -> None:
        self._body, self._write, self._work = body, write, work

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
            self._write(b"")
        except Exception:  # noqa: BLE001 - the client left: the work still happens
            log.debug("response not sent in full", exc_info=True)
        finally:
            for start in self._work:
                start()


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


def socket_mode_handler(app: Any, app_token: str) -> Any:
    """Bolt's Socket Mode handler, with the work handed off while answering an envelope
    started once its ack has been sent back over the socket, as over HTTP."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.listeners import event_id_of, work_after_response
    from bot.logging_setup import event_context

    class AckFirst(SocketModeHandler):
        def handle(self, client: Any, req: Any) -> None:
            payload = req.payload if isinstance(req.payload, dict) else {}
            with work_after_response() as started_later, event_context(event_id_of(payload)):
                super().handle(client, req)  # runs the listeners, then sends the ack
            for start in started_later:
                start()

    return AckFirst(app, app_token)
