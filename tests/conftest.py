"""Shared fixtures: every store test runs on SQLite and on the PostgreSQL server.

`session` is a session inside a transaction that is rolled back after the test;
`database` is a whole fresh database (its own SQLite file or PostgreSQL schema)
for tests that commit, such as the CLI. With CI=true a missing PostgreSQL fails
the run instead of skipping.

Every test runs isolated from the machine it runs on: none of salesbot's environment
variables, no `.env`, a fresh settings cache (see `_isolated_settings`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.settings import Settings, get_settings
from crm_store.db import Database, make_engine, upgrade
from crm_store.errors import StoreUnavailable
from crm_store.models import LOCAL_TEAM, Role, User
from crm_store.services.users import get_or_create_user
from tests import clock

pytest_plugins = ["tests.slack_harness", "pytester"]


def pytest_addoption(parser) -> None:
    parser.addoption("--clock", default=None, choices=sorted(clock.MOMENTS),
                     help="run every test with the clock at this moment of tests/clock.py")


@pytest.fixture(scope="session", autouse=True)
def _whole_run_clock(request) -> Iterator[None]:
    """`--clock NAME`: the whole run at one moment, to find tests that read the real date."""
    name = request.config.getoption("--clock")
    if name is None:
        yield
        return
    with clock.at(clock.MOMENTS[name]):
        yield

def settings_env_names() -> tuple[set[str], tuple[str, ...]]:
    """The environment variables Settings reads: each field's name, and the prefixes that
    several fields share (SLACK_, OPENAI_, …: the libraries behind them read more of those,
    e.g. the openai client reads OPENAI_BASE_URL and OPENAI_ORG_ID on its own)."""
    prefix = (Settings.model_config.get("env_prefix") or "").upper()
    names = {prefix + name.upper() for name in Settings.model_fields}
    heads = [name.split("_")[0] for name in names]
    families = tuple(sorted({f"{head}_" for head in heads if heads.count(head) > 1}))
    return names, families


_SETTINGS_NAMES, _SETTINGS_FAMILIES = settings_env_names()


@pytest.fixture(scope="session")
def _clean_cwd(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cwd")  # no .env here, whatever the checkout holds


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, _clean_cwd) -> Iterator[None]:
    """A test sees none of the machine's salesbot settings: the variables are unset, the
    working directory (where Settings and the CLI's subprocesses look for `.env`) is an
    empty one, Settings reads no `.env` anyway, and the settings cache starts empty."""
    for key in list(os.environ):
        upper = key.upper()  # pydantic-settings matches names case-insensitively
        if upper in _SETTINGS_NAMES or upper.startswith(_SETTINGS_FAMILIES):
            monkeypatch.delenv(key)
    # The default SQLite file lives under XDG_DATA_HOME: never the developer's own CRM.
    monkeypatch.setenv("XDG_DATA_HOME", str(_clean_cwd / "data"))
    monkeypatch.chdir(_clean_cwd)
    monkeypatch.setitem(Settings.model_config, "env_file", None)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def make_settings(**values) -> Settings:
    """Settings for a test: these values, the defaults for the rest, never a `.env`."""
    return Settings(_env_file=None, **values)


PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


def _pg_available() -> bool:
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except (StoreUnavailable, Exception):  # noqa: BLE001 - any failure means "not there"
        return False


@pytest.fixture(params=list(clock.MOMENTS))
def any_day(request) -> Iterator[dt.datetime]:
    """The test runs once at each moment of tests/clock.py (each weekday, DST changes,
    a year end), with the clock there in this process and in the app's workers."""
    with clock.at(clock.MOMENTS[request.param]) as now:
        yield now


@pytest.fixture(scope="session")
def pg_ok() -> bool:
    ok = _pg_available()
    if not ok and os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} and CI=true: refusing to skip")
    return ok


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def _fresh_url(backend: str, tmp_path, pg_ok: bool) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'crm.db'}"
        return
    if not pg_ok:
        pytest.skip("PostgreSQL not reachable")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, pg_ok) -> Iterator[str]:
    """A URL to an empty database (no schema yet) on each backend."""
    with _fresh_url(request.param, tmp_path, pg_ok) as url:
        yield url


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once; each test gets a copy (migrations are tested apart)."""
    path = tmp_path_factory.mktemp("template") / "crm.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path, pg_ok, _sqlite_template) -> Iterator[Database]:
    """A fresh, migrated database on each backend, for tests that commit."""
    with _fresh_url(request.param, tmp_path, pg_ok) as url:
        if request.param == "sqlite":
            shutil.copy(_sqlite_template, tmp_path / "crm.db")
        else:
            _create_schema_fast(url)
        db = Database.open(url)
        yield db
        db.dispose()


def _create_schema_fast(url: str) -> None:
    # The models' DDL plus the head stamp: what the migrations build (see
    # test_migrations_match_the_models), in a fraction of the time.
    from alembic.migration import MigrationContext

    from crm_store.db import head_revision
    from crm_store.models import Base

    engine = make_engine(url)
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        MigrationContext.configure(conn).stamp(_script(), head_revision())
    engine.dispose()


def _script():
    from alembic.script import ScriptDirectory

    from crm_store.db import _alembic_config

    return ScriptDirectory.from_config(_alembic_config())


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory, pg_ok) -> Iterator[dict]:
    """One migrated database per backend for the whole run."""
    engines = {"sqlite": make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'crm.db'}")}
    schema = f"s_{uuid.uuid4().hex[:12]}"
    admin = None
    if pg_ok:
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engines["postgresql"] = make_engine(_pg_schema_url(schema))
    for engine in engines.values():
        upgrade(engine)
    yield engines
    for engine in engines.values():
        engine.dispose()
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def session(request, _migrated) -> Iterator[Session]:
    """A session whose every write is rolled back after the test."""
    engine = _migrated.get(request.param)
    if engine is None:
        pytest.skip("PostgreSQL not reachable")
    with engine.connect() as conn:
        outer = conn.begin()
        s = Session(bind=conn, join_transaction_mode="create_savepoint",
                    expire_on_commit=False)
        try:
            yield s
        finally:
            s.close()
            outer.rollback()


def make_user(session: Session, name: str, *, role: Role = Role.REP, team_id: str = LOCAL_TEAM,
              manager: User | None = None, tz: str = "America/New_York") -> User:
    """A user of the workspace, created for a test."""
    user = get_or_create_user(session, team_id=team_id, slack_user_id=f"U{uuid.uuid4().hex[:8]}",
                              name=name, tz=tz, role=role)
    if manager is not None:
        user.manager_id = manager.id
        session.flush()
    return user


@pytest.fixture
def rep(session) -> User:
    return make_user(session, "Sam Rivera")
