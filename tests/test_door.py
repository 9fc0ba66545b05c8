"""The door: nothing reads or acts on a request before its Slack signature is verified,
and text is made safe once where it enters (Slack, the terminal, `salesbot parse`).

Driven over real HTTP against the real app (tests/slack_harness.py), with the local
stand-in for Slack recording every call the server makes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select

from bot.cli import main
from bot.cli.parse import pick_engine, run_lines
from bot.slack_app import create_app
from bot.text_input import clean_text
from crm_store.db import Database
from crm_store.models import Activity, Contact, ProcessedEvent, User
from tests.slack_harness import SECRET, TEAM, posted, settings_for

FORM = "application/x-www-form-urlencoded"


def send(server: Any, body: bytes, headers: dict[str, str], *, content_type: str = FORM,
         path: str = "/slack/events") -> tuple[int, str]:
    """A POST with exactly these headers (signed or not): (status, body)."""
    request = urllib.request.Request(server.url + path, data=body, method="POST",
                                     headers={"Content-Type": content_type, **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def signed(body: bytes, *, secret: str = SECRET, ts: int | None = None) -> dict[str, str]:
    """Slack's signature headers for `body`, computed over its bytes."""
    stamp = str(ts if ts is not None else int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body,
                      hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def crm_command(fake: Any) -> bytes:
    """The slash command of the report, whose response_url points where the sender likes."""
    return urllib.parse.urlencode({
        "command": "/crm", "text": "help", "team_id": TEAM, "user_id": "USAM",
        "trigger_id": "1.2", "response_url": fake.response_url("attacker")}).encode()


def assert_nothing_happened(server: Any, fake: Any) -> None:
    fake.quiet_for(0.3)
    assert fake.calls_to("response_url") == []
    assert fake.calls_to("chat.postMessage") == []
    assert server.count(User) == 0 and server.count(ProcessedEvent) == 0


# ------------------------------------------------------------ unsigned → 401
def test_an_unsigned_request_gets_401_and_the_server_calls_nobody(server, fake):
    body = crm_command(fake)
    now = int(time.time())
    attempts = {
        "the report's": {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=0"},
        "no headers": {},
        "empty timestamp": {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": "v0=0"},
        "huge timestamp": {"X-Slack-Request-Timestamp": "9" * 5000,
                           "X-Slack-Signature": "v0=0"},
        "forged": signed(body, secret="not-the-secret"),
        "stale": signed(body, ts=now - 10 * 60),
        "from the future": signed(body, ts=now + 10 * 60),
        "another body's": signed(body + b"&x=1"),
    }
    for name, headers in attempts.items():
        status, answer = send(server, body, headers)
        assert (name, status) == (name, 401)
        assert "Traceback" not in answer and "response_url" not in answer
    assert_nothing_happened(server, fake)


@pytest.mark.parametrize(("body", "content_type"), [
    (b"[1, 2]", "application/json"),
    (b'"a string"', "application/json"),
    (b"null", "application/json"),
    (b"payload=null", FORM),
    (b"payload=%5B%5D", FORM),
    (b"{not json", "application/json"),
    (b"\xff\xfe not utf-8", FORM),
    (b"", FORM),
])
def test_unsigned_malformed_bodies_get_401(server, fake, body, content_type):
    status, answer = send(server, body, {"X-Slack-Request-Timestamp": "abc"},
                          content_type=content_type)
    assert status == 401 and "Traceback" not in answer
    status, _ = send(server, body, {}, content_type=content_type, path="/elsewhere")
    assert status == 401
    assert_nothing_happened(server, fake)


# --------------------------------------------------- signed but malformed → 400
@pytest.mark.parametrize(("body", "content_type"), [
    (b"[1, 2]", "application/json"),
    (b'"a string"', "application/json"),
    (b"42", "application/json"),
    (b"null", "application/json"),
    (b"payload=null", FORM),
    (b"payload=%5B%5D", FORM),
    (b'payload=%22text%22', FORM),
    (b"payload=%7Bnot+json", FORM),
    (b"{not json", "application/json"),
    (b'{"type": "event_callback", "team_id": "T1", "authorizations": "x"}',
     "application/json"),
    # Objects whose parts Bolt itself cannot read, even in its error handler:
    (b'{"type": "event_callback", "team_id": "T1", "event": null}', "application/json"),
    (b'{"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "USAM"}, '
     b'"view": {"callback_id": "log_to_crm"}}', "application/json"),
])
def test_signed_malformed_bodies_get_400_without_a_trace(server, fake, body, content_type):
    status, answer = send(server, body, signed(body), content_type=content_type)
    assert (status, answer) == (400, "malformed request")
    assert_nothing_happened(server, fake)


def test_signed_requests_health_checks_and_unknown_paths_still_answer(server, fake):
    assert server.get("/healthz")[:2] == (200, "ok")
    assert server.get("/slack/events")[0] == 404  # a GET is never dispatched
    status, answer, _ = server.post(json.dumps({"type": "url_verification",
                                                "challenge": "c1"}))
    assert (status, json.loads(answer)) == (200, {"challenge": "c1"})
    status, _, _ = server.form({"command": "/crm", "text": "help", "team_id": TEAM,
                                "user_id": "USAM", "trigger_id": "3.4",
                                "response_url": fake.response_url("ok")})
    assert status == 200
    assert fake.wait_for("response_url")[0].path == "/response/ok"


# ------------------------------------------- the error handler, without the door
@pytest.fixture
def bolt_app(fake):
    """The app itself, dispatched to directly as if the door were not there; its listeners'
    hand-off has no thread pool, so any /crm fails before the ack (reaching on_error)."""
    return create_app(settings_for(fake), None, None, None)  # type: ignore[arg-type]


def test_the_error_handler_never_answers_an_unverified_request(bolt_app, fake):
    body = crm_command(fake).decode()
    response = bolt_app.dispatch(BoltRequest(body=body, headers={
        "content-type": FORM, "x-slack-request-timestamp": "abc", "x-slack-signature": "v0=0"}))
    assert response.status == 401
    fake.quiet_for(0.3)
    assert fake.calls_to("response_url") == []


def test_the_error_handler_still_tells_a_verified_sender(bolt_app, fake):
    body = crm_command(fake).decode()
    ts = str(int(time.time()))
    response = bolt_app.dispatch(BoltRequest(body=body, headers={
        "content-type": FORM, "x-slack-request-timestamp": ts,
        "x-slack-signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts,
                                                                           body=body)}))
    assert response.status == 200
    told = fake.wait_for("response_url")[0].params
    assert "error id" in told["text"] and "Traceback" not in told["text"]


def test_over_socket_mode_the_error_handler_still_answers(fake):
    app = create_app(settings_for(fake, slack_app_token="xapp-1"), None, None, None,  # type: ignore[arg-type]
                     socket_mode=True)
    payload = dict(urllib.parse.parse_qsl(crm_command(fake).decode()))
    response = app.dispatch(BoltRequest(body=payload, mode="socket_mode"))
    assert response.status == 200
    assert "error id" in fake.wait_for("response_url")[0].params["text"]


# ------------------------------------------------------- text made safe at the door
@pytest.mark.parametrize(("raw", "clean"), [
    ("call Ann\ud800 tomorrow", "call Ann tomorrow"),
    ("\udcff\udcfe bad bytes", " bad bytes"),
    ("a pair \ud83d\ude00 rejoined", "a pair 😀 rejoined"),
    ("budget\x00 approved", "budget approved"),
    ("bell\x07 escape\x1b[31m del\x7f", "bell escape[31m del"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("windows\r\nold mac\rend", "windows\nold mac\nend"),
    ("Zoë 🙂 — 40k €", "Zoë 🙂 — 40k €"),
])
def test_clean_text_removes_what_no_note_means(raw, clean):
    assert clean_text(raw) == clean
    assert clean_text(clean) == clean


def test_a_dm_with_a_surrogate_and_a_nul_is_understood_and_stored_without_them(server, fake):
    status, _, _ = server.dm("log a call with Priya Shah at Northwind: budget\x00 "
                             "approved\ud800")
    assert status == 200
    text, _ = posted(fake.wait_for("chat.postMessage")[0])
    assert "Logged a call with *Priya Shah* (Northwind)" in text
    with server.database.session(readonly=True) as s:
        assert s.scalar(select(Activity.body)) == "budget approved"


def test_a_modal_with_a_surrogate_and_a_nul_is_stored_without_them(server, fake):
    def field(value: str) -> dict[str, Any]:
        return {"value": {"type": "plain_text_input", "value": value}}

    submission = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "USAM"},
                  "trigger_id": "5.6", "view": {
                      "id": "VLOG9", "type": "modal", "callback_id": "log_to_crm",
                      "private_metadata": "{}", "state": {"values": {
                          "contact": field("Priya\x00 Shah\udc80"),
                          "account": field("North\x00wind"),
                          "kind": {"value": {"type": "static_select",
                                             "selected_option": {"value": "call"}}},
                          "summary": field("Budget\x00 approved\ud800, wants a quote")}}}}
    assert server.interact(submission)[0] == 200
    assert "Logged a call with *Priya Shah* (Northwind)" in \
        posted(fake.wait_for("chat.postMessage")[0])[0]
    with server.database.session(readonly=True) as s:
        assert s.scalar(select(Activity.body)) == "Budget approved, wants a quote"
        assert s.scalar(select(Contact.name)) == "Priya Shah"


def test_the_terminal_chat_understands_and_stores_without_them(monkeypatch, capsys, db_url):
    lines = ["Called Priya Shah at Northwind\x00, budget approved\ud800 for 40k", "\x00"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["chat", "--url", db_url, "--no-demo"]) == 0
    out = capsys.readouterr().out
    assert "Logged a call with Priya Shah (Northwind)" in out and "\x00" not in out
    db = Database.open(db_url)
    with db.session(readonly=True) as s:
        assert s.scalar(select(func.count(Activity.id))) == 1
        body = s.scalar(select(Activity.body))
        assert "\x00" not in body and "budget approved" in body
    db.dispose()


def test_parse_keeps_going_line_by_line_through_bad_characters():
    lines = ['{"text": "call Ann \\ud800 tomorrow"}', "call Bo\x00 friday\ud800",
             "\udcff\udcfe", '{"text": "\\u0000"}', "help"]
    out = io.StringIO()
    run_lines(io.StringIO("\n".join(lines) + "\n"), out, pick_engine("rules"),
              __import__("datetime").datetime(2026, 11, 18, 10), "UTC")
    got = [json.loads(line)["actions"] for line in out.getvalue().splitlines()]
    assert len(got) == len(lines)
    out.getvalue().encode("utf-8")  # every line is valid UTF-8 JSON
    assert got[0][0]["intent"] == "create_task" and got[0][0]["contact"] == "Ann"
    assert got[1][0]["intent"] == "create_task" and "\x00" not in json.dumps(got[1])
    assert got[4] == [{"intent": "help"}]


def test_salesbot_parse_exits_0_on_undecodable_stdin():
    import subprocess
    import sys
    from pathlib import Path

    stdin = b'{"text": "call Ann \\ud800 tomorrow"}\nbad \xff\xfe bytes\x00\nhelp\n'
    proc = subprocess.run([str(Path(sys.executable).parent / "salesbot"), "parse", "--now",
                           "2026-11-18T10:00", "--tz", "UTC", "--engine", "rules", "-"],
                          input=stdin, capture_output=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr.decode()
    outs = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(outs) == 3 and outs[2] == {"actions": [{"intent": "help"}]}
    assert b"Traceback" not in proc.stderr
