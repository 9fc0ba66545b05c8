"""Insert-or-read-the-winner for rows with a unique key, race-free on both backends.

Two transactions that both find no row and both insert one meet at the unique index:
PostgreSQL makes the second wait for the first and then fail, SQLite lets only one
writer in at a time. The insert runs in a SAVEPOINT so that failure undoes only the
insert, and the row the other transaction committed is read instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_store.models import Base

Row = TypeVar("Row", bound=Base)


def insert_or_get(session: Session, row: Row, *, existing: Callable[[], Row | None],
                  look_first: bool = True) -> tuple[Row, bool]:
    """`row` inserted (True), or what `existing()` finds, before or after a conflict (False).

    `look_first=False` skips the first read, for callers that expect the row to be new
    (an import: one query per row would be the cost).
    """
    found = existing() if look_first else None
    if found is not None:
        return found, False
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # The savepoint rolled back and expunged `row`; the winner is committed by now
        # (PostgreSQL waited for it), so a fresh read sees it. Nothing there means
        # another constraint failed: that is a real error.
        found = existing()
        if found is None:
            raise
        return found, False
    return row, True
