"""No reply is lost to a Slack outage, and nobody is told to send again what was saved.

The real app over real HTTP against the fake Slack, told to answer 503 or 429 for a
while: short spells are ridden out by the client's own retries; longer ones leave the
reply in the outbox, which the scheduler's drain sends once Slack is back.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import select

from bot.listeners import WORKER_MODULES
from bot.slack_app import io_threads
from bot.slack_notify import RetryPolicy, SlackNotifier, is_transient, make_client
from bot.workers import WorkerPool
from crm_store.models import Activity, OutboxMessage, OutboxState
from crm_store.services import outbox
from scheduler.notify import TerminalNotifier
from scheduler.outbox import drain_outbox, pause_after
from scheduler.runner import Jobs
from tests.slack_harness import TEAM, WORKERS, Server, posted, settings_for

QUICK = RetryPolicy(budget=0.3, backoff=0.05, max_wait=0.1)  # gives up in a moment
NOW = dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC)
LOGGED = "Logged a call with *Priya Shah*"


def start_quick_server(database: Any, fake: Any, setup: Any = None) -> Server:
    """The harness's server, but with a client that stops retrying after ~0.3 s."""
    from bot.slack_serving import build_http_server

    settings = settings_for(fake)
    url = database.engine.url.render_as_string(hide_password=False)
    workers = WorkerPool(settings, url, size=WORKERS, nice=0, setup=setup,
                         preload=WORKER_MODULES)
    threads = io_threads(workers)
    server = build_http_server(settings, database, workers, threads, port=0, http_threads=8,
                               client=make_client(settings, retry=QUICK))
    loop = threading.Thread(target=server.run, daemon=True, name="waitress")
    loop.start()
    return Server(f"http://127.0.0.1:{server.effective_port}", fake, database, workers,
                  server, threads, loop)


@pytest.fixture
def quick_server(database, fake) -> Any:
    srv = start_quick_server(database, fake)
    yield srv
    srv.close()


def notifier_for(fake: Any) -> SlackNotifier:
    client = make_client(settings_for(fake), "xoxb-T1", retry=QUICK)
    return SlackNotifier(lambda _team: client, min_interval=0)


def kept(database: Any) -> list[OutboxMessage]:
    with database.session(readonly=True) as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def wait_until_kept(database: Any, count: int = 1, timeout: float = 10.0) -> list[OutboxMessage]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = kept(database)
        if len(rows) >= count:
            return rows
        time.sleep(0.05)
    raise AssertionError(f"{count} outbox message(s) wanted within {timeout}s")


def delivered(fake: Any) -> list[Any]:
    """The messages Slack took (failed attempts are recorded as 'chat.postMessage!503')."""
    return fake.calls_to("chat.postMessage")


def assert_nobody_asked_to_send_again(fake: Any) -> None:
    for call in delivered(fake):
        text = call.params.get("text") or ""
        assert "Please send" not in text and "try again" not in text, text


# ------------------------------------------------------------ in-call retries
def test_a_reply_during_a_4s_503_spell_arrives_by_the_clients_own_retries(server, fake):
    fake.fail_for("chat.postMessage", 4.0, status=503)
    started = time.monotonic()
    server.dm("log a call with Priya Shah at Northwind: during the outage",
              ts="1700000001.000100")
    [reply] = fake.wait_for("chat.postMessage", timeout=15)
    assert time.monotonic() - started >= 4.0
    assert LOGGED in posted(reply)[0] and reply.params["thread_ts"] == "1700000001.000100"
    assert len(fake.calls_to("chat.postMessage!503")) >= 2
    assert kept(server.database) == []
    assert server.count(Activity) == 1


def test_the_clients_retries_stop_within_their_budget(fake):
    fake.fail_for("chat.postMessage", status=503)
    client = make_client(settings_for(fake), "xoxb-T1",
                         retry=RetryPolicy(budget=0.6, backoff=0.1, max_wait=0.2))
    started = time.monotonic()
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="D1", text="hello")
    assert time.monotonic() - started < 1.5
    assert raised.value.response.status_code == 503 and is_transient(raised.value)
    assert 3 <= len(fake.calls_to("chat.postMessage!503")) <= 8


def test_a_reset_connection_is_retried_and_the_reply_arrives(server, fake):
    fake.drop_next("chat.postMessage", times=2)
    server.dm("log a call with Priya Shah at Northwind: flaky network")
    [reply] = fake.wait_for("chat.postMessage", timeout=8)
    assert LOGGED in posted(reply)[0]
    assert len(fake.calls_to("chat.postMessage!dropped")) == 2
    assert kept(server.database) == []


# ------------------------------------------------------------------- outbox
def test_a_reply_during_a_long_outage_is_kept_and_sent_once_when_slack_is_back(quick_server,
                                                                               fake):
    db = quick_server.database
    fake.fail_for("chat.postMessage", status=503)  # until recovered
    quick_server.dm("log a call with Priya Shah at Northwind: budget approved",
                    ts="1700000005.000100", event_id="EvOutage")
    [row] = wait_until_kept(db)
    fake.quiet_for(0.3)
    assert delivered(fake) == []  # nobody was told anything while Slack was down
    assert (row.team_id, row.channel, row.thread_ts, row.source_id, row.state) == \
        (TEAM, "D1", "1700000005.000100", "slack:EvOutage", OutboxState.PENDING)
    assert LOGGED in row.text and row.blocks and "HTTP 503" in row.last_error
    assert quick_server.count(Activity) == 1

    # Still down: the drain tries, fails, and puts it back for later.
    notifier = notifier_for(fake)
    first = row.created_at + dt.timedelta(seconds=1)
    assert drain_outbox(db, notifier, worker="w1", now=first) == 0
    [row] = kept(db)
    assert (row.state, row.attempts, row.next_attempt_at) == \
        (OutboxState.PENDING, 1, first + pause_after(1))
    assert drain_outbox(db, notifier, worker="w1", now=first + dt.timedelta(seconds=5)) == 0
    assert kept(db)[0].attempts == 1  # not due yet: not tried

    fake.recover("chat.postMessage")
    assert drain_outbox(db, notifier, worker="w1", now=row.next_attempt_at) == 1
    [reply] = delivered(fake)
    text, blocks = posted(reply)
    assert LOGGED in text and (reply.params["channel"], reply.params["thread_ts"]) == \
        ("D1", "1700000005.000100")
    assert "Delayed by a Slack outage" in blocks
    assert kept(db)[0].state == OutboxState.SENT
    later = row.next_attempt_at + dt.timedelta(hours=1)
    assert drain_outbox(db, notifier, worker="w2", now=later) == 0
    assert len(delivered(fake)) == 1
    assert_nobody_asked_to_send_again(fake)


@pytest.fixture
def crashing_quick_server(database, fake) -> Any:
    from tests.test_slack_app import crash_on_the_word_crash

    srv = start_quick_server(database, fake, setup=crash_on_the_word_crash)
    yield srv
    srv.close()


def test_an_error_notice_slack_would_not_take_is_kept_too(crashing_quick_server, fake):
    # Nothing was written (the worker died first), so "send it again" is right here;
    # the notice just must not be lost to the outage.
    fake.fail_for("chat.postMessage", status=502)
    crashing_quick_server.dm("log a call with Priya Shah at Northwind: CRASH",
                             ts="1700000007.000100")
    [row] = wait_until_kept(crashing_quick_server.database)
    assert "interrupted" in row.text and row.blocks is None
    assert (row.channel, row.thread_ts) == ("D1", "1700000007.000100")
    assert crashing_quick_server.count(Activity) == 0
    fake.recover("chat.postMessage")
    assert drain_outbox(crashing_quick_server.database, notifier_for(fake), worker="w1",
                        now=row.created_at) == 1
    [told] = delivered(fake)
    assert "interrupted" in told.params["text"] and "Delayed by a Slack outage" in \
        told.params["text"]


def test_a_429_lasting_20s_is_not_waited_out_nor_blamed_on_the_person(server, fake):
    fake.fail_for("chat.postMessage", 20.0, status=429, retry_after=20)
    started = time.monotonic()
    server.dm("log a call with Priya Shah at Northwind: rate limited for long")
    [row] = wait_until_kept(server.database)
    assert time.monotonic() - started < 5  # Retry-After 20 s is past the budget: no wait
    assert "HTTP 429" in row.last_error
    fake.recover("chat.postMessage")
    jobs = Jobs(db=server.database, notifier=notifier_for(fake), settings=settings_for(fake),
                worker="w1", clock=lambda: row.created_at + dt.timedelta(seconds=10))
    assert jobs.outbox() == 1
    [reply] = delivered(fake)
    assert LOGGED in posted(reply)[0]
    assert_nobody_asked_to_send_again(fake)
    assert server.count(Activity) == 1


def test_two_drains_at_once_send_each_message_once(database, fake):
    with database.session() as s:
        for i in range(12):
            outbox.enqueue(s, team_id=TEAM, channel=f"D{i}", text=f"reply {i}",
                           blocks=[{"type": "section", "text": {"type": "mrkdwn",
                                                                "text": f"reply {i}"}}],
                           thread_ts=f"1700000000.{i:06d}", source_id=f"slack:Ev{i}", now=NOW)
    fake.latency_s = 0.02  # sends overlap with the other drain's claim
    notifier = notifier_for(fake)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def drain(worker: str) -> None:
        barrier.wait()
        counts.append(drain_outbox(database, notifier, worker=worker, now=NOW, batch=3))

    threads = [threading.Thread(target=drain, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    texts = sorted(c.params["text"] for c in delivered(fake))
    assert texts == sorted(f"reply {i}" for i in range(12))  # each once, none twice
    assert sum(counts) == 12
    assert {r.state for r in kept(database)} == {OutboxState.SENT}


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "invalid_auth"])
def test_a_permanent_refusal_is_not_retried(database, fake, error):
    with database.session() as s:
        outbox.enqueue(s, team_id=TEAM, channel="C_GONE", text="reply", now=NOW)
    fake.fail_next("chat.postMessage", status=200, error=error, retry_after=None)
    assert drain_outbox(database, notifier_for(fake), worker="w1", now=NOW) == 0
    [row] = kept(database)
    assert row.state == OutboxState.FAILED and error in row.last_error
    assert drain_outbox(database, notifier_for(fake), worker="w1",
                        now=NOW + dt.timedelta(hours=1)) == 0
    assert [c.method for c in fake.calls] == [f"chat.postMessage!{error}"]


def test_a_403_is_not_retried_in_the_call_nor_kept(quick_server, fake):
    fake.fail_next("chat.postMessage", status=403, retry_after=None, error="forbidden")
    quick_server.dm("log a call with Priya Shah at Northwind: refused")
    told = fake.wait_for("chat.postMessage", timeout=8)[0]
    assert "That is done" in told.params["text"] and "Please send" not in told.params["text"]
    assert [c.method for c in fake.calls if c.method.startswith("chat.postMessage")] == \
        ["chat.postMessage!403", "chat.postMessage"]
    assert kept(quick_server.database) == []
    assert quick_server.count(Activity) == 1


def test_a_message_still_refused_after_a_day_is_given_up(database, fake):
    with database.session() as s:
        outbox.enqueue(s, team_id=TEAM, channel="D1", text="reply", now=NOW)
    fake.fail_for("chat.postMessage", status=503)
    notifier = notifier_for(fake)
    assert drain_outbox(database, notifier, worker="w1", now=NOW) == 0
    assert kept(database)[0].state == OutboxState.PENDING
    assert drain_outbox(database, notifier, worker="w1", now=NOW + dt.timedelta(hours=25)) == 0
    assert kept(database)[0].state == OutboxState.FAILED


def test_a_claim_whose_sender_died_is_taken_over_after_its_lease(database, fake):
    with database.session() as s:
        outbox.enqueue(s, team_id=TEAM, channel="D1", text="reply", now=NOW)
        assert [m.text for m in outbox.claim_due(s, worker="dead", now=NOW)] == ["reply"]
    assert drain_outbox(database, notifier_for(fake), worker="w1", now=NOW) == 0  # leased
    later = NOW + outbox.LEASE + dt.timedelta(seconds=1)
    assert drain_outbox(database, notifier_for(fake), worker="w1", now=later) == 1
    assert kept(database)[0].attempts == 2


def test_the_terminal_has_no_outbox_to_drain(database):
    jobs = Jobs(db=database, notifier=TerminalNotifier(), settings=settings_for_terminal())
    assert jobs.outbox() == 0
    assert "outbox" in {name for name, _, _ in jobs.schedule()}


def settings_for_terminal() -> Any:
    from bot.settings import Settings

    return Settings(_env_file=None)


# --------------------------------------------------------------- pure logic
def _api_error(status: int, error: str) -> SlackApiError:
    response = SlackResponse(client=None, http_verb="POST", api_url="x", req_args={},
                             data={"ok": False, "error": error}, headers={},
                             status_code=status)
    return SlackApiError("failed", response)


@pytest.mark.parametrize(("error", "transient"), [
    (_api_error(429, "ratelimited"), True),
    (_api_error(500, "internal_error"), True),
    (_api_error(502, "bad_gateway"), True),
    (_api_error(503, "service_unavailable"), True),
    (_api_error(200, "internal_error"), True),
    (_api_error(200, "channel_not_found"), False),
    (_api_error(200, "not_in_channel"), False),
    (_api_error(200, "invalid_auth"), False),
    (_api_error(404, "unknown_method"), False),
    (_api_error(400, "invalid_arguments"), False),
    (URLError("connection refused"), True),
    (ConnectionResetError(), True),
    (TimeoutError(), True),
    (LookupError("workspace T9 has no installation"), False),
])
def test_which_failures_are_worth_trying_again(error, transient):
    assert is_transient(error) is transient


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (6, 900),
                                                   (40, 900)])
def test_the_pause_between_tries_doubles_up_to_15_minutes(attempts, seconds):
    assert pause_after(attempts) == dt.timedelta(seconds=seconds)
