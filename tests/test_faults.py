"""A database that fails or stops answering costs a message a friendly answer, never the bot.

The real app (waitress, Bolt, worker processes) talks to PostgreSQL through
tests/fault_proxy.py, which can pass, refuse, reset or blackhole the connections;
the checks read the database directly, around the proxy. Also here: the time limits
every connection carries, and the worker pool's deadline on its own.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.runtime import db_timeouts
from bot.workers import Core, DeadlineExceeded, WorkerCrashed, WorkerPool
from crm_store.db import BUSY, UNREACHABLE, Database, Timeouts, make_engine
from crm_store.errors import DatabaseUnavailable
from crm_store.models import Activity
from tests.conftest import PG_URL, _create_schema_fast, _fresh_url
from tests.fault_proxy import FaultProxy
from tests.slack_harness import Server, posted, settings_for, start_server

DEADLINE_S = 3.0  # the unit-of-work deadline for these tests (30 s by default)
SLACK_S = 3.0  # leeway for the reply to reach the fake Slack after the deadline
LOG = "log a call with Priya Shah at Northwind: "


# ------------------------------------------------------------------- fixtures
@pytest.fixture
def pg_url(tmp_path, pg_ok) -> Any:
    """A fresh migrated PostgreSQL schema (these faults are about a server on a network)."""
    with _fresh_url("postgresql", tmp_path, pg_ok) as url:
        _create_schema_fast(url)
        yield url


@pytest.fixture
def proxy() -> Any:
    with FaultProxy(make_url(PG_URL).port or 5432) as running:
        yield running


class Faulty:
    """The app on a database behind the proxy, and the same database seen directly."""

    def __init__(self, server: Server, direct: Database, proxy: FaultProxy) -> None:
        self.server, self.direct, self.proxy = server, direct, proxy
        self.fake = server.fake
        self.answered = 0

    def say(self, words: str, timeout: float) -> tuple[str, float]:
        """DM the bot; its answer's text and the seconds it took."""
        started = time.monotonic()
        assert self.server.dm(LOG + words)[0] == 200
        self.answered += 1
        call = self.fake.wait_for("chat.postMessage", count=self.answered,
                                  timeout=timeout)[self.answered - 1]
        return posted(call)[0], time.monotonic() - started

    def ready(self) -> tuple[int, str, float]:
        started = time.monotonic()
        status, body, _ = self.server.get("/readyz")
        return status, body, time.monotonic() - started

    def activities(self) -> int:
        with self.direct.session(readonly=True) as s:
            return s.scalar(select(func.count()).select_from(Activity))


@pytest.fixture
def faulty(pg_url, proxy, fake) -> Any:
    settings = settings_for(fake, work_deadline_s=DEADLINE_S, db_connect_timeout_s=2,
                            db_statement_timeout_s=2)
    through = make_url(pg_url).set(host="127.0.0.1", port=proxy.port)
    proxied = Database.open(through.render_as_string(hide_password=False),
                            timeouts=db_timeouts(settings))
    direct = Database.open(pg_url, migrate=False)
    server = start_server(proxied, fake, settings)
    yield Faulty(server, direct, proxy)
    proxy.mode = "pass"  # let the workers' connections close normally
    server.close()
    proxied.dispose()
    direct.dispose()


# ---------------------------------------------------------------- the app
def test_a_blackholed_database_gets_a_friendly_answer_in_time_and_the_bot_recovers(faulty):
    text_, _ = faulty.say("before", timeout=10)
    assert "Logged a call with *Priya Shah*" in text_
    assert faulty.ready()[0] == 200

    faulty.proxy.mode = "blackhole"
    status, body, seconds = faulty.ready()
    assert (status, seconds < 3.5) == (503, True)
    assert "database" in body and "Traceback" not in body
    # The first message finds a pooled connection that swallows everything: the deadline
    # stops its worker. The next one, in the new pool, can't connect (connect timeout).
    for words in ("during one", "during two"):
        text_, seconds = faulty.say(words, timeout=DEADLINE_S + SLACK_S + 5)
        assert text_ == UNREACHABLE, text_
        assert seconds < DEADLINE_S + SLACK_S
    assert faulty.server.get("/healthz")[0] == 200  # alive, only not ready

    faulty.proxy.mode = "pass"
    assert faulty.ready()[0] == 200
    text_, _ = faulty.say("after", timeout=10)  # no restart: the bot is itself again
    assert "Logged a call with *Priya Shah*" in text_
    assert faulty.activities() == 2  # before and after; nothing half-written between


def test_readyz_says_ready_on_a_healthy_database_and_healthz_stays_plain(server):
    assert server.get("/readyz")[:2] == (200, "ok")
    assert server.get("/healthz")[:2] == (200, "ok")


@pytest.mark.parametrize("mode", ["refuse", "reset"])
def test_refused_or_reset_connections_get_the_friendly_answer_at_once(faulty, mode):
    assert "Logged a call" in faulty.say("before", timeout=10)[0]

    faulty.proxy.mode = mode
    text_, seconds = faulty.say("during", timeout=DEADLINE_S + SLACK_S)
    assert text_ == UNREACHABLE, text_
    assert seconds < DEADLINE_S  # an error, not a wait for the deadline
    assert faulty.ready()[0] == 503

    faulty.proxy.mode = "pass"
    assert "Logged a call" in faulty.say("after", timeout=10)[0]
    assert faulty.ready()[0] == 200
    assert faulty.activities() == 2


# ------------------------------------------------- every connection's limits
def test_postgresql_connections_carry_timeouts_and_keepalives(pg_url):
    limits = Timeouts(connect_s=3, statement_s=15, lock_s=10, idle_in_transaction_s=60,
                      keepalive_idle_s=30, keepalive_interval_s=10, keepalive_count=3)
    engine = make_engine(pg_url, timeouts=limits)
    try:
        with engine.connect() as conn:
            shown = {name: conn.execute(text(f"SHOW {name}")).scalar() for name in
                     ("statement_timeout", "lock_timeout",
                      "idle_in_transaction_session_timeout", "search_path")}
            raw = conn.connection.dbapi_connection
            sock = socket.socket(fileno=raw.fileno())
            try:
                keepalive = (sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                             sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
                             sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL),
                             sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT))
            finally:
                sock.detach()  # the fd stays psycopg's
            connect_timeout = raw.info.get_parameters()["connect_timeout"]
        assert shown["statement_timeout"] == "15s"
        assert shown["lock_timeout"] == "10s"
        assert shown["idle_in_transaction_session_timeout"] == "1min"
        assert shown["search_path"].startswith("t_")  # the URL's own options still apply
        assert keepalive[0] != 0 and keepalive[1:] == (30, 10, 3)
        assert connect_timeout == "3"
        assert engine.pool._pre_ping and engine.pool._recycle == limits.pool_recycle_s
    finally:
        engine.dispose()


def test_the_urls_own_settings_win_over_the_defaults(pg_url):
    url = pg_url.replace("options=", "options=-c%20statement_timeout%3D5s%20")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "5s"
            assert conn.execute(text("SHOW lock_timeout")).scalar() == "10s"
    finally:
        engine.dispose()


def test_sqlite_connections_wait_for_a_lock_only_as_long_as_allowed(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'crm.db'}", timeouts=Timeouts(lock_s=0.2))
    other = make_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 200
        assert engine.pool._pre_ping
        db = Database(engine)
        with other.begin() as holder:  # BEGIN IMMEDIATE: the write lock, held
            holder.exec_driver_sql("CREATE TABLE t (x)")
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailable) as raised, db.session() as s:
                s.execute(text("SELECT 1"))
            assert time.monotonic() - started < 2
            assert str(raised.value) == BUSY
            assert db.readiness() is None  # busy with a writer is not down
    finally:
        engine.dispose()
        other.dispose()


def test_a_statement_past_its_timeout_becomes_a_friendly_error(pg_url):
    db = Database.open(pg_url, migrate=False, timeouts=Timeouts(statement_s=0.3))
    try:
        with pytest.raises(DatabaseUnavailable) as raised, db.session() as s:
            s.execute(text("SELECT pg_sleep(5)"))
        assert str(raised.value) == BUSY
        assert db.readiness() is None
    finally:
        db.dispose()


def test_readiness_answers_within_its_time_even_from_a_blackhole(pg_url, proxy):
    through = make_url(pg_url).set(host="127.0.0.1", port=proxy.port)
    db = Database(make_engine(through.render_as_string(hide_password=False)))
    try:
        assert db.readiness() is None
        proxy.mode = "blackhole"
        started = time.monotonic()
        assert db.readiness(timeout_s=1.0) == "no answer within 1 s"
        assert time.monotonic() - started < 1.5
        proxy.mode = "refuse"
        assert db.readiness() == "unreachable"
        proxy.mode = "pass"
        assert db.readiness() is None
    finally:
        db.dispose()


def test_a_call_on_a_connection_that_went_silent_fails_and_the_next_one_works(pg_url, proxy):
    """What keeps the scheduler (in the Slack process, no worker deadline) from waiting
    forever on a pooled connection that went into a blackhole."""
    through = make_url(pg_url).set(host="127.0.0.1", port=proxy.port)
    db = Database(make_engine(through.render_as_string(hide_password=False),
                              timeouts=Timeouts(connect_s=2, statement_s=0.5)))
    try:
        with db.session() as s:
            assert s.execute(text("SELECT 1")).scalar() == 1
        proxy.mode = "blackhole"
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as raised, db.session() as s:
            s.execute(text("SELECT 1"))  # the pooled connection's ping gets no answer
        assert str(raised.value) == UNREACHABLE
        assert time.monotonic() - started < 6  # cut after 2 s, then 2 s to connect
        proxy.mode = "pass"
        with db.session() as s:
            assert s.execute(text("SELECT 1")).scalar() == 1
    finally:
        db.dispose()


def test_migrations_run_without_the_time_limits(pg_url):
    engine = make_engine(pg_url, timeouts=Timeouts(statement_s=0.2))
    try:
        with engine.begin() as conn:
            conn.execution_options(no_time_limit=True)
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("SELECT pg_sleep(1.5)"))  # past 2 × 0.2 + 1 s: not cut
    finally:
        engine.dispose()


# ------------------------------------------------------- the pool's deadline
def nap(core: Core, seconds: float) -> int:
    """In a worker: sleep (as if stuck on a database), then answer."""
    time.sleep(seconds)
    return 42


def test_work_past_its_deadline_is_stopped_and_the_pool_replaced(tmp_path):
    settings = settings_for_pool(tmp_path)
    with WorkerPool(settings, size=1, nice=0, deadline_s=1.0) as pool:
        assert pool.run(nap, 0) == 42
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            pool.run(nap, 60)
        assert time.monotonic() - started < 2.5
        assert pool.run(nap, 0) == 42  # a fresh pool took over
        assert pool.run_within(3.0, nap, 1.5) == 42  # a longer deadline when asked


def test_closing_a_pool_with_stuck_work_does_not_hang(tmp_path):
    pool = WorkerPool(settings_for_pool(tmp_path), size=1, nice=0, deadline_s=1.0)
    pool.warm()
    raised: list[BaseException] = []

    def stuck() -> None:
        try:
            pool.run_within(600, nap, 600)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion below
            raised.append(exc)

    waiting = threading.Thread(target=stuck, daemon=True)
    waiting.start()
    time.sleep(0.5)
    started = time.monotonic()
    pool.close()  # waits the pool's 1 s deadline for the work in hand, then kills it
    assert time.monotonic() - started < 3
    waiting.join(3)
    assert [type(exc) for exc in raised] == [WorkerCrashed]


def settings_for_pool(tmp_path) -> Any:
    from bot.settings import Settings

    return Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'crm.db'}")
