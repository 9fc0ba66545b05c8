"""The clock tests run on: never the real date.

`at(moment)` moves this process's clock there (ticking on from it), and `Travel`
carries the same clock into the assistant's worker processes, so a test that talks
to the real app over HTTP sees one consistent "now" everywhere. `MOMENTS` are the
days date logic gets wrong: each weekday, both DST changes and a year end.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

NY = ZoneInfo("America/New_York")


def _ny(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NY)


# 10:00 in New York unless the point is the hour; the demo users live in New York.
MOMENTS: dict[str, dt.datetime] = {
    "mon": _ny(2026, 11, 16, 10, 0),
    "tue": _ny(2026, 11, 17, 10, 0),
    "wed": _ny(2026, 11, 18, 10, 0),
    "thu": _ny(2026, 11, 19, 10, 0),
    "fri": _ny(2026, 11, 20, 16, 30),
    "sat": _ny(2026, 11, 21, 10, 0),
    "sun": _ny(2026, 11, 22, 21, 30),
    "dst_start": _ny(2027, 3, 13, 22, 0),  # the night before clocks go forward
    "dst_end": _ny(2026, 10, 31, 22, 0),   # the night before clocks go back
    "year_end": _ny(2026, 12, 31, 15, 0),
}
DEFAULT = "wed"

_offset: float | None = None  # seconds the test clock is ahead of the real one


def offset() -> float | None:
    """How far the current test's clock is from the real one (None: not travelling)."""
    return _offset


@contextmanager
def at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """This process's clock at `moment`, ticking on from there."""
    global _offset
    real = time.time()
    with time_machine.travel(moment, tick=True):
        _offset = moment.timestamp() - real
        try:
            yield moment
        finally:
            _offset = None


@dataclass(frozen=True)
class Travel:
    """A worker set-up (picklable) that puts the worker's clock where the test's is."""

    offset: float
    then: Any = None  # the test's own set-up, if any

    def __call__(self, core: Any) -> Any:
        global _traveller
        _traveller = time_machine.travel(time.time() + self.offset, tick=True)
        _traveller.start()  # for the worker's whole life
        return self.then(core) if self.then is not None else core


_traveller: Any = None
