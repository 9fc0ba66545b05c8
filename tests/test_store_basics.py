"""The store starts by itself, keeps workspaces apart, and reports clear failures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from crm_store.db import Database, current_revision, head_revision, mask_url
from crm_store.errors import StoreUnavailable
from crm_store.models import Account
from crm_store.services import accounts
from tests.conftest import make_user


def test_first_start_creates_and_migrates(db_url):
    db = Database.open(db_url)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.session() as s:
            user = make_user(s, "Ana")
            accounts.create_account(s, actor=user, team_id=user.team_id, name="Northwind")
        # a second start finds the schema current and the data still there
        db.dispose()
        db = Database.open(db_url)
        with db.session(readonly=True) as s:
            assert [a.name for a in s.scalars(select(Account))] == ["Northwind"]
    finally:
        db.dispose()


def test_timestamps_come_back_timezone_aware(session, rep):
    account = accounts.create_account(session, actor=rep, team_id=rep.team_id, name="Initech")
    session.expire_all()
    assert session.get(Account, account.id).created_at.tzinfo is not None


@pytest.mark.parametrize("url, shown", [
    ("mysql://bob:hunter2@db.example/crm", "mysql://bob:***@db.example/crm"),
    ("oracle://x:pw@h/d", "oracle://x:***@h/d"),
    ("not a url", "not a url"),
])
def test_unsupported_url_names_it_with_password_masked(url, shown):
    with pytest.raises(StoreUnavailable) as err:
        Database.open(url)
    assert shown in str(err.value)
    assert "hunter2" not in str(err.value) and ":pw@" not in str(err.value)


def test_unreachable_server_is_one_clear_line():
    with pytest.raises(StoreUnavailable) as err:
        Database.open("postgresql://app:s3cret@127.0.0.1:1/crm")
    message = str(err.value)
    assert message.startswith("cannot reach the database at postgresql")
    assert "s3cret" not in message and "\n" not in message


def test_mask_url_hides_password():
    assert mask_url("postgresql://u:pw@h:5432/db") == "postgresql://u:***@h:5432/db"


def test_workspaces_do_not_see_each_other(session):
    a = make_user(session, "Ana", team_id="T_ONE")
    b = make_user(session, "Bo", team_id="T_TWO")
    accounts.create_account(session, actor=a, team_id="T_ONE", name="Acme")
    assert accounts.find_accounts(session, team_id="T_TWO", name="acme") == []
    assert len(accounts.find_accounts(session, team_id="T_ONE", name="ACME")) == 1
    assert b.team_id == "T_TWO"


def test_naive_datetimes_are_refused(session, rep):
    from crm_store.services import tasks
    with pytest.raises(Exception, match="naive"):
        tasks.create_task(session, actor=rep, team_id=rep.team_id, title="x",
                          due_at=dt.datetime(2026, 1, 1, 9))
        session.flush()


def test_migrations_match_the_models(db_url):
    """The migrated schema is what the models describe: nothing missing, nothing extra."""
    import warnings

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crm_store.models import Base

    db = Database.open(db_url)
    try:
        with db.engine.connect() as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # expression indexes cannot be reflected
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.dispose()
