"""Which threads hold a write transaction: for tests that check a slow call (Slack, a
model) never runs while this thread holds a database write lock."""

from __future__ import annotations

import threading

from sqlalchemy import event


class WriteTracker:
    """Which threads hold a write transaction on an engine right now: from a write
    statement (or SQLite's BEGIN IMMEDIATE, which takes the write lock) to its commit
    or rollback."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")

    def __init__(self, engine) -> None:
        self.engine = engine
        self.writing: set[int] = set()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _statement(self, conn, cursor, statement, *_: object) -> None:
        if statement.lstrip().upper().startswith(self.WRITES):
            self.writing.add(threading.get_ident())

    def _end(self, conn) -> None:
        self.writing.discard(threading.get_ident())

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._end)
        event.remove(self.engine, "rollback", self._end)

    def holds_write(self) -> bool:
        """Whether the calling thread holds a write transaction right now."""
        return threading.get_ident() in self.writing
