"""Logging, configured once per process (every CLI command, every worker process).

Each line carries time, level, logger and — while work for one event is under way —
that event's id, so the lines of one Slack event can be followed across the Slack
process and the worker that carried it out. `LOG_FORMAT=json` makes each line one
JSON object for a log pipeline; `LOG_LEVEL` sets the level.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TextIO

from bot.settings import Settings

# The event (or message) being worked on in this thread: Slack's event id in the Slack
# process, the idempotency key (which contains it) in a worker.
current_event: ContextVar[str | None] = ContextVar("current_event", default=None)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(event_part)s: %(message)s"


@contextmanager
def event_context(event_id: str | None) -> Iterator[None]:
    """Tag every log line of the enclosed work with `event_id` (nothing when None)."""
    token = current_event.set(event_id) if event_id else None
    try:
        yield
    finally:
        if token is not None:
            current_event.reset(token)


class _EventId(logging.Filter):
    """Adds `event_id` (and the text format's `event_part`) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "event_id", None) is None:
            record.event_id = current_event.get()
        record.event_part = f" [{record.event_id}]" if record.event_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, event_id,
    and the traceback as one string when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "event_id": getattr(record, "event_id", None),
            "process": record.process,
        }
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged (as logging's own last
    resort does), so a replaced stderr never receives lines after it was closed."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__()
        self._fixed = stream

    @property
    def stream(self) -> TextIO:  # type: ignore[override]
        return self._fixed or sys.stderr

    @stream.setter
    def stream(self, value: TextIO | None) -> None:
        self._fixed = value


def configure_logging(settings: Settings, *, verbose: bool = False,
                      stream: TextIO | None = None) -> logging.Handler:
    """Route every logger to one handler on stderr (or `stream`) in the configured format;
    calling it again replaces that handler, never another one. Returns the handler."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(old)
    handler = StderrHandler(stream)
    handler.addFilter(_EventId())
    handler.setFormatter(JsonFormatter() if settings.log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else settings.log_level.upper())
    return handler
