"""Serving the Slack app: over HTTP on waitress (the signature door, /healthz, /readyz,
acks sent before the work they hand off starts) or by Socket Mode (the same order).

`salesbot serve` (bot/cli/serve.py) only parses its arguments and wires these up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bot.settings import Settings

log = logging.getLogger(__name__)
THREADS = 32  # waitress threads: each only verifies, acks and hands off, so many are cheap


def build_http_server(settings: Settings, db: Any, workers: Any, threads: Any, *,
                      host: str = "127.0.0.1", port: int = 0, http_threads: int = THREADS,
                      client: Any = None, writer: Any = None) -> Any:
    """A waitress server for the Bolt app; `.run()` serves, `.close()` stops, port 0 = any.

    `workers` (a WorkerPool) and `threads` (an Executor) belong to the caller, who
    shuts them down after the server."""
    from waitress import create_server

    from bot.slack_app import create_app

    if not settings.slack_signing_secret:  # no door without a key
        raise ValueError("set SLACK_SIGNING_SECRET to serve over HTTP")
    app = create_app(settings, db, workers, threads, client, writer=writer)
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
