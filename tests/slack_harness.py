"""Shared harness for Slack tests: the real app on waitress, signed requests, a fake Slack.

Loaded as a pytest plugin from tests/conftest.py, so its fixtures (`fake`, `server`)
are available to every test module.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select
from waitress import wasyncore

from bot.listeners import WORKER_MODULES
from bot.settings import Settings
from bot.slack_app import io_threads
from bot.slack_serving import build_http_server
from bot.workers import Setup, WorkerPool
from tests import clock
from tests.slack_fake import FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T1"
WORKERS = 2  # real worker processes, as in production; two keep start-up cheap


def settings_for(fake: FakeSlack, **extra: Any) -> Settings:
    values: dict[str, Any] = dict(
        slack_bot_token="xoxb-T1", slack_signing_secret=SECRET, slack_api_url=fake.base_url,
        slack_app_token=None, slack_client_id=None, slack_client_secret=None,
        salesbot_admins="", salesbot_managers="UMGR")
    values.update(extra)
    return Settings(_env_file=None, **values)


@dataclass
class Server:
    url: str
    fake: FakeSlack
    database: Any
    workers: WorkerPool
    _server: Any
    _threads: Any
    _loop: threading.Thread

    def close(self) -> None:
        """Stop taking requests, let the work in hand finish, stop the workers."""
        # The server's sockets are closed by its own loop thread (through its trigger),
        # which then ends: closed from here, they could vanish under its select().
        self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))
        self._loop.join(10)
        self._server.task_dispatcher.shutdown()
        self._threads.shutdown(wait=True)
        self.workers.close()

    # -------------------------------------------------------------- requests
    def post(self, body: str, *, content_type: str = "application/json",
             timestamp: int | None = None, secret: str = SECRET,
             headers: dict[str, str] | None = None, path: str = "/slack/events",
             ) -> tuple[int, str, float]:
        """A signed POST; (status, body, seconds until the answer)."""
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        request = urllib.request.Request(self.url + path, data=body.encode(), method="POST",
                                         headers={"Content-Type": content_type,
                                                  "X-Slack-Request-Timestamp": ts,
                                                  "X-Slack-Signature": signature,
                                                  **(headers or {})})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode(), \
                    time.perf_counter() - started
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(), time.perf_counter() - started

    def get(self, path: str, headers: dict[str, str] | None = None,
            ) -> tuple[int, str, dict[str, str]]:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(), dict(err.headers)

    def event(self, event: dict[str, Any], *, team: str = TEAM, event_id: str | None = None,
              retry: int | None = None) -> tuple[int, str, float]:
        body = {"token": "legacy", "team_id": team, "api_app_id": "A1", "event": event,
                "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}]}
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} \
            if retry else None
        return self.post(json.dumps(body), headers=headers)

    def dm(self, text: str, *, user: str = "USAM", team: str = TEAM, ts: str | None = None,
           event_id: str | None = None, retry: int | None = None, **extra: Any):
        event = {"type": "message", "channel": "D1", "channel_type": "im", "user": user,
                 "text": text, "ts": ts or f"{time.time():.6f}", "team": team, **extra}
        return self.event(event, team=team, event_id=event_id, retry=retry)

    def form(self, fields: dict[str, str]) -> tuple[int, str, float]:
        return self.post(urllib.parse.urlencode(fields),
                         content_type="application/x-www-form-urlencoded")

    def interact(self, payload: dict[str, Any]) -> tuple[int, str, float]:
        return self.form({"payload": json.dumps(payload)})

    # ------------------------------------------------------------- database
    def count(self, model: Any) -> int:
        with self.database.session(readonly=True) as s:
            return s.scalar(select(func.count()).select_from(model))


def start_server(database: Any, fake: FakeSlack, settings: Settings, *,
                 setup: Setup | None = None, writer: Any = None) -> Server:
    """The app on waitress with its own worker processes on `database`; `setup` may
    change each worker's assistant (a picklable module-level function); `writer` stands
    in for bot.writing.write (model prose) in the Slack process."""
    url = database.engine.url.render_as_string(hide_password=False)
    if clock.offset() is not None:  # the workers' clock is the test's, not the real one
        setup = clock.Travel(clock.offset(), setup)
    workers = WorkerPool(settings, url, size=WORKERS, nice=0, setup=setup,
                         preload=WORKER_MODULES)
    threads = io_threads(workers)
    server = build_http_server(settings, database, workers, threads, port=0, http_threads=8,
                               writer=writer)
    loop = threading.Thread(target=server.run, daemon=True, name="waitress")
    loop.start()
    return Server(f"http://127.0.0.1:{server.effective_port}", fake, database, workers,
                  server, threads, loop)


@pytest.fixture
def fake() -> Any:
    slack = FakeSlack(teams={"xoxb-T1": "T1", "xoxb-T2": "T2"}).start()
    slack.add_user("USAM", "Sam Rivera", tz="America/New_York", email="sam@example.com")
    slack.add_user("UMGR", "Maya Chen", tz="Europe/Berlin")
    slack.add_user("UADM", "Ada Admin", tz="UTC", is_admin=True)
    yield slack
    slack.stop()


@pytest.fixture
def server(database, fake) -> Any:
    srv = start_server(database, fake, settings_for(fake))
    yield srv
    srv.close()


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    """Every text in a list of blocks, for assertions."""
    return json.dumps(blocks, ensure_ascii=False)


def button_press(fake: FakeSlack, blocks: list[dict[str, Any]], label: str,
                 trigger: str) -> dict[str, Any]:
    """The block_actions payload of pressing the button labelled `label` in a DM's
    message with these blocks."""
    element = next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                   if e["text"]["text"] == label)
    return {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": "USAM"},
            "api_app_id": "A1", "trigger_id": trigger,
            "container": {"type": "message", "message_ts": "1700000009.000100",
                          "channel_id": "D1"},
            "channel": {"id": "D1"}, "response_url": fake.response_url(trigger),
            "message": {"ts": "1700000009.000100", "text": "asked", "blocks": blocks},
            "actions": [{"action_id": element["action_id"], "value": element["value"],
                         "block_id": "b1", "type": "button", "action_ts": "1.5"}]}


def posted(call) -> tuple[str, str]:
    blocks = call.params.get("blocks")
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return call.params.get("text", ""), blocks_text(blocks or [])


# ---------------------------------------------------------------- messages
