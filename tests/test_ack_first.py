"""The ack goes out before the work it hands off starts, over HTTP
(bot.cli.serve.wsgi_app) and Socket Mode (bot.cli.serve.socket_mode_handler).

Started at once, the work would take the CPU from the response still being sent: on
two cores that doubled the slowest acks. These drive the WSGI callable directly with a
signed event, playing the server's part (iterate, then close), and the Socket Mode
handler with a stand-in socket, recording the order.
"""

from __future__ import annotations

import io
import json
import logging
import time
from concurrent.futures import Executor, Future
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.cli.serve import socket_mode_handler, wsgi_app
from bot.listeners import Deps, handoff
from tests.conftest import make_settings

SECRET = "test-secret"


class Recorder(Executor):
    """Stands in for the thread pool: records when work is handed to it."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        self.log.append("work started")
        future: Future = Future()
        future.set_result(None)
        return future


@pytest.fixture
def order() -> list[str]:
    return []


@pytest.fixture
def app(order) -> App:
    app = App(signing_secret=SECRET, process_before_response=True,
              authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T1",
                                                    bot_token="xoxb-test", bot_user_id="UBOT",
                                                    bot_id="B1"))
    deps = Deps(workers=None, threads=Recorder(order), settings=make_settings())  # type: ignore[arg-type]

    def work(**_: Any) -> None:  # never runs: the recorder only notes the hand-off
        raise AssertionError

    app.event("message")(handoff(deps, work))
    return app


@pytest.fixture
def serve(app):
    return wsgi_app(app, SECRET)


def signed_event(text: str) -> dict[str, Any]:
    body = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "Ev1",
                       "event": {"type": "message", "channel_type": "im", "channel": "D1",
                                 "user": "U1", "text": text, "ts": "1.0"}}).encode()
    ts = str(int(time.time()))
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    return environ | {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
            "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body), "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts,
            "HTTP_X_SLACK_SIGNATURE": SignatureVerifier(SECRET).generate_signature(
                timestamp=ts, body=body.decode())}


def test_handed_off_work_starts_only_after_the_ack_is_written(serve, order):
    def start_response(status: str, headers: list, exc_info: Any = None):
        order.append(f"status {status.split()[0]}")
        return lambda data: order.append(f"written {data!r}")

    body = serve(signed_event("log a call with Priya"), start_response)
    chunks = list(body)  # the server sends what the body yields...
    assert order == ["status 200"]  # ...and the work has not started yet
    body.close()  # the server is done with the response
    assert order == ["status 200", "written b''", "work started"]
    assert b"".join(chunks) == b""


def test_a_payload_with_no_work_is_answered_as_before(serve, order):
    body = serve({"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz"},
                 lambda status, headers, exc_info=None: order.append(status))
    assert list(body) == [b"ok"] and order == ["200 OK"]


def test_over_socket_mode_the_work_starts_after_the_ack_is_sent(app, order):
    class Socket:
        logger = logging.getLogger("socket-mode-test")

        def send_socket_mode_response(self, response: Any) -> None:
            order.append(f"acked {response.envelope_id}")

    handler = socket_mode_handler(app, "xapp-test")
    handler.handle(Socket(), SocketModeRequest(
        type="events_api", envelope_id="env1",
        payload={"type": "event_callback", "team_id": "T1", "event_id": "Ev2",
                 "event": {"type": "message", "channel_type": "im", "channel": "D1",
                           "user": "U1", "text": "hello", "ts": "2.0"}}))
    assert order == ["acked env1", "work started"]


def test_a_listener_called_outside_a_request_hands_off_at_once(order):
    deps = Deps(workers=None, threads=Recorder(order), settings=make_settings())  # type: ignore[arg-type]
    listener = handoff(deps, lambda **_: None)
    listener(ack=lambda **_: order.append("acked"), body={}, client=None, context={},
             respond=None)
    assert order == ["acked", "work started"]
