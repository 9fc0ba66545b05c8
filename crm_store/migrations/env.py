"""Alembic environment: runs on the connection handed in by crm_store.db.upgrade()."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy.exc import SAWarning

from crm_store.models import Base

# SQLite's batch mode reflects tables to copy them; expression indexes (lower(name)) on
# *other* tables cannot be reflected and are not touched, so the warning is noise here.
warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index",
                        SAWarning)

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise SystemExit("run migrations through `salesbot db upgrade`")
    _run(connection)


def _ours(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    # slack_sdk's OAuth stores keep their own tables in this database: not ours to diff.
    return not (type_ == "table" and reflected and compare_to is None
                and str(name).startswith("slack_"))


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_ours,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `salesbot db upgrade`")
run_migrations_online()
