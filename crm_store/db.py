"""Engine, sessions and schema migrations for the CRM database.

SQLite file by default, PostgreSQL when the URL says so. The first start creates
and migrates the database by itself; `salesbot db upgrade` does the same explicitly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crm_store.errors import StoreUnavailable
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


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for a supported URL; a clear `StoreUnavailable` for anything else."""
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
        return _sqlite_engine(parsed, echo=echo)
    return create_engine(parsed, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_engine(url, *, echo: bool) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        # Let SQLAlchemy issue BEGIN so transactions behave as on PostgreSQL.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
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
        if conn.dialect.name == "postgresql":
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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Database:
        """Connect, check the server answers, and migrate a fresh or old schema."""
        engine = make_engine(url)
        check_connection(engine)
        if migrate:
            ensure_schema(engine)
        return cls(engine)

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
        except SQLAlchemyError:
            log.exception("database transaction rolled back")
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
