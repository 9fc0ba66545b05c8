"""Engine, sessions and schema migrations for the CRM database.

SQLite file by default, PostgreSQL when the URL says so. The first start creates
and migrates the database by itself; `salesbot db upgrade` does the same explicitly.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from crm_store.errors import DatabaseUnavailable, StoreUnavailable
from crm_store.paths import default_sqlite_url  # noqa: F401 - re-exported

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SUPPORTED = {"sqlite", "postgresql"}
# A fixed key for pg_advisory_lock so concurrent replicas migrate one at a time.
_MIGRATION_LOCK = 7_141_202_611


def mask_url(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


UNREACHABLE = ("I couldn't reach the CRM database just now — nothing was saved; "
               "please send it again in a minute.")
BUSY = ("The CRM database was too busy to answer just now — nothing was saved; "
        "please send it again in a minute.")
# SQLSTATEs of a server that is going away or a link that broke (class 08, shutdowns).
_GONE = ("08", "57P01", "57P02", "57P03")
# Statement timeout, lock timeout, deadlock, serialization failure.
_BUSY = ("57014", "55P03", "40P01", "40001")


@dataclass(frozen=True)
class Timeouts:
    """How long any one database step may take, so a database that stops answering
    costs a message an error instead of holding a connection (and a worker) forever.

    Seconds; 0 turns a server-side limit off. The keepalives notice a peer that has
    vanished from the network; a peer that acknowledges and never answers is caught
    only by the caller's deadline (bot.workers)."""

    connect_s: int = 5  # libpq counts whole seconds, at least 2
    statement_s: float = 15.0
    lock_s: float = 10.0  # PostgreSQL lock_timeout; the SQLite busy timeout
    idle_in_transaction_s: float = 60.0
    keepalive_idle_s: int = 30
    keepalive_interval_s: int = 10
    keepalive_count: int = 3
    pool_recycle_s: int = 1800
    pool_timeout_s: float = 10.0  # waiting for a free pooled connection


def make_engine(url: str, *, echo: bool = False, timeouts: Timeouts | None = None,
                pooled: bool = True) -> Engine:
    """An engine for a supported URL with `timeouts` on every connection; a clear
    `StoreUnavailable` for anything else. `pooled=False` opens a connection per use."""
    timeouts = timeouts or Timeouts()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(f"not a database URL: {mask_url(url)}") from None
    backend = parsed.get_backend_name()
    if backend == "postgres":  # Heroku-style URLs
        parsed = parsed.set(drivername="postgresql")
        backend = "postgresql"
    if backend not in SUPPORTED:
        raise StoreUnavailable(
            f"unsupported database {mask_url(url)}: use sqlite:///FILE or postgresql://…"
        )
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return _sqlite_engine(parsed, echo=echo, timeouts=timeouts, pooled=pooled)
    # Pooled connections are pinged at checkout (a server restart or a cut link costs
    # a reconnect, not an error) and replaced after a while (middleboxes forget idle
    # flows; servers get reconfigured).
    pool: dict[str, Any] = dict(pool_size=10, max_overflow=20, pool_pre_ping=True,
                                pool_recycle=timeouts.pool_recycle_s,
                                pool_timeout=timeouts.pool_timeout_s) \
        if pooled else dict(poolclass=NullPool)
    engine = create_engine(parsed, echo=echo,
                           connect_args=pg_connect_args(parsed, timeouts), **pool)
    if timeouts.statement_s:
        _watch(engine, silent_s=2 * timeouts.statement_s + 1)
    return engine


def pg_connect_args(url: URL, timeouts: Timeouts) -> dict[str, Any]:
    """libpq parameters for `timeouts`; whatever the URL sets itself wins."""
    keepalive_s = timeouts.keepalive_idle_s + \
        timeouts.keepalive_interval_s * timeouts.keepalive_count
    args: dict[str, Any] = {
        "connect_timeout": max(2, int(timeouts.connect_s)),
        "keepalives": 1, "keepalives_idle": timeouts.keepalive_idle_s,
        "keepalives_interval": timeouts.keepalive_interval_s,
        "keepalives_count": timeouts.keepalive_count,
        # Data sent and never acknowledged (the server's host is gone) ends the
        # connection as soon as an idle one would be given up by the keepalives.
        "tcp_user_timeout": keepalive_s * 1000,
    }
    args = {key: value for key, value in args.items() if key not in url.query}
    limits = (("statement_timeout", timeouts.statement_s), ("lock_timeout", timeouts.lock_s),
              ("idle_in_transaction_session_timeout", timeouts.idle_in_transaction_s))
    ours = " ".join(f"-c {name}={int(seconds * 1000)}" for name, seconds in limits)
    # Server settings in the startup packet: no extra round trip per connection, and a
    # later `-c` (the URL's own, e.g. a search_path) still overrides ours.
    theirs = url.query.get("options")
    args["options"] = f"{ours} {theirs}" if isinstance(theirs, str) and theirs else ours
    return args


class _Watchdog:
    """Cuts a connection whose statement, commit or ping has had no answer long after the
    server's own statement_timeout would have ended it with an error: the link is dead,
    or its far end acknowledges and never answers, which no socket option notices.
    Without this the waiting thread (a scheduler job, a worker) would wait forever and
    keep its pooled connection; with it, the caller gets an error and carries on."""

    TICK_S = 0.5

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[Any, float]] = {}
        self._pid: int | None = None
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:  # a forked child has neither the thread nor the calls
        self._lock = threading.Lock()
        self._waiting, self._pid = {}, None

    def waiting(self, dbapi_connection: Any, silent_s: float) -> None:
        with self._lock:
            self._waiting[id(dbapi_connection)] = (dbapi_connection,
                                                   time.monotonic() + silent_s)
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._loop, daemon=True, name="db-watchdog").start()

    def answered(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._waiting.pop(id(dbapi_connection), None)

    def _loop(self) -> None:
        while True:
            time.sleep(self.TICK_S)
            try:
                self._cut_the_late()
            except Exception:  # noqa: BLE001 - the watchdog must outlive any one failure
                log.exception("database watchdog")

    def _cut_the_late(self) -> None:
        now = time.monotonic()
        with self._lock:
            late = [conn for conn, until in self._waiting.values() if until <= now]
            for conn in late:
                self._waiting.pop(id(conn), None)
        for conn in late:
            log.warning("cutting a database connection that stopped answering")
            sever(conn)


_watchdog = _Watchdog()


def _watch(engine: Engine, *, silent_s: float) -> None:
    """Every statement, commit, rollback and ping on `engine` under the watchdog;
    a connection with `no_time_limit` in its execution options (migrations) is not."""

    @event.listens_for(engine, "before_cursor_execute")
    def _sent(conn, cursor, *_: Any) -> None:  # noqa: ANN001
        if not conn.get_execution_options().get("no_time_limit"):
            _watchdog.waiting(cursor.connection, silent_s)

    @event.listens_for(engine, "after_cursor_execute")
    def _got(conn, cursor, *_: Any) -> None:  # noqa: ANN001
        _watchdog.answered(cursor.connection)

    @event.listens_for(engine, "handle_error")
    def _failed(context) -> None:  # noqa: ANN001
        cursor = getattr(context, "cursor", None)  # absent when connecting failed
        if cursor is not None:
            _watchdog.answered(cursor.connection)

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, _record) -> None:  # noqa: ANN001
        _watchdog.answered(dbapi_connection)  # whatever happened, it waits for nothing now

    # Pings, commits and rollbacks go straight to the driver, past the events above.
    dialect = engine.dialect
    for name in ("do_ping", "do_commit", "do_rollback"):
        setattr(dialect, name, _watched(getattr(dialect, name), silent_s))


def _watched(method: Callable[..., Any], silent_s: float) -> Callable[..., Any]:
    def call(dbapi_connection: Any, *args: Any, **kwargs: Any) -> Any:
        _watchdog.waiting(dbapi_connection, silent_s)
        try:
            return method(dbapi_connection, *args, **kwargs)
        finally:
            _watchdog.answered(dbapi_connection)

    return call


def _sqlite_engine(url, *, echo: bool, timeouts: Timeouts, pooled: bool) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    busy_ms = int(timeouts.lock_s * 1000)
    pool: dict[str, Any] = dict(pool_pre_ping=True, pool_recycle=timeouts.pool_recycle_s) \
        if pooled else dict(poolclass=NullPool)
    engine = create_engine(url, echo=echo, connect_args={"timeout": timeouts.lock_s}, **pool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        # Let SQLAlchemy issue BEGIN so transactions behave as on PostgreSQL.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        # SQLite's default page cache is 2 MiB: at 1M activities a manager's question that
        # reads the open deals and their accounts fetches most pages from the OS again
        # (up to 2× slower). 64 MiB per pooled connection holds that working set.
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        # A unit of work that may write takes the write lock up front (IMMEDIATE):
        # a deferred one that reads and then writes fails at once when another
        # writer got in between. Read-only units stay deferred and never block.
        readonly = conn.get_execution_options().get("readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def check_connection(engine: Engine) -> None:
    """Fail with one clear line when the server cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise StoreUnavailable(
            f"cannot reach the database at {mask_url(str(engine.url))}: {reason}"
        ) from None


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to `revision`, one process at a time on PostgreSQL."""
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        conn.execution_options(no_time_limit=True)
        if conn.dialect.name == "postgresql":
            # A migration may rewrite a big table, and waits its turn behind another
            # replica's: neither is a stuck statement, so no time limits here.
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("SET LOCAL lock_timeout = 0"))
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def ensure_schema(engine: Engine) -> bool:
    """Create or migrate the schema if it is behind; True when anything ran."""
    try:
        if current_revision(engine) == head_revision():
            return False
        log.info("migrating %s", mask_url(str(engine.url)))
        upgrade(engine)
        return True
    except OperationalError:
        check_connection(engine)  # raises the one-line message when unreachable
        raise


class Database:
    """One engine and its session factory: the unit of work is `with db.session() as s:`."""

    def __init__(self, engine: Engine, *, timeouts: Timeouts | None = None) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._timeouts = timeouts or Timeouts()
        self._probe_engine: Engine | None = None

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, check: bool = True,
             timeouts: Timeouts | None = None) -> Database:
        """Connect, check the server answers, and migrate a fresh or old schema;
        `check=False` opens it without a round trip (it may be down just now)."""
        engine = make_engine(url, timeouts=timeouts)
        if check or migrate:
            check_connection(engine)
        if migrate:
            ensure_schema(engine)
        return cls(engine, timeouts=timeouts)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        session = self._factory()
        try:
            with session.begin():
                if readonly:
                    session.connection(execution_options={"readonly": True})
                yield session
        except (OperationalError, InterfaceError) as exc:
            unavailable = as_unavailable(exc)
            if unavailable is None:
                log.exception("database transaction rolled back")
                raise
            log.warning("database transaction rolled back: %s", _first_line(exc))
            raise unavailable from exc
        except SQLAlchemyError:
            log.exception("database transaction rolled back")
            raise
        finally:
            session.close()

    def readiness(self, timeout_s: float = 2.0) -> str | None:
        """None when the database answers `SELECT 1` within `timeout_s`, else a short
        reason. A fresh connection each time, so a stuck pooled one can't fake an answer,
        and one that does not answer in time is cut so its thread ends."""
        if self._probe_engine is None:
            quick = replace(self._timeouts, connect_s=max(2, int(timeout_s)),
                            statement_s=timeout_s)
            self._probe_engine = make_engine(self.engine.url.render_as_string(
                hide_password=False), timeouts=quick, pooled=False)
        outcome: list[str | None] = []
        opened: list[Any] = []

        def probe() -> None:
            try:
                with self._probe_engine.connect() as conn:  # type: ignore[union-attr]
                    opened.append(conn.connection.dbapi_connection)
                    # Read-only: on SQLite a writer's lock must not make it look down.
                    conn.execution_options(readonly=True).execute(text("SELECT 1"))
                outcome.append(None)
            except SQLAlchemyError as exc:
                # The details (host, port) are for the log; whoever asks gets the gist.
                log.warning("readiness check failed: %s", _first_line(exc))
                outcome.append("unreachable" if isinstance(exc, (OperationalError,
                                                                 InterfaceError))
                               else f"error ({type(exc).__name__})")

        thread = threading.Thread(target=probe, name="readiness", daemon=True)
        thread.start()
        thread.join(timeout_s)
        if not thread.is_alive():
            return outcome[0] if outcome else "no answer"
        if opened:
            sever(opened[0])
        return f"no answer within {timeout_s:g} s"

    def dispose(self) -> None:
        self.engine.dispose()
        if self._probe_engine is not None:
            self._probe_engine.dispose()


def as_unavailable(exc: DBAPIError) -> DatabaseUnavailable | None:
    """The friendly error for a database that is unreachable, cut off, too slow or
    locked; None for anything else (a bug, a bad schema), which stays as it is."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    message = str(exc.orig).lower()
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return DatabaseUnavailable(UNREACHABLE)
    if sqlstate is not None:
        if sqlstate.startswith(_GONE):
            return DatabaseUnavailable(UNREACHABLE)
        return DatabaseUnavailable(BUSY) if sqlstate.startswith(_BUSY) else None
    if "locked" in message or "busy" in message:  # SQLite: the busy timeout ran out
        return DatabaseUnavailable(BUSY)
    if exc.orig is not None and type(exc.orig).__module__.startswith("psycopg"):
        return DatabaseUnavailable(UNREACHABLE)  # no SQLSTATE: the client lost the server
    return None


def sever(dbapi_connection: Any) -> None:
    """Shut down a connection's socket from another thread, so a call blocked on a peer
    that never answers fails at once instead of waiting forever."""
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return  # SQLite: no socket, nothing to wait on forever
    try:
        with socket.socket(fileno=os.dup(fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception as exc:  # noqa: BLE001 - closed meanwhile: nothing left to cut
        log.debug("could not cut a stuck connection: %s", exc)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]
