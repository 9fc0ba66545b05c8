"""The assistant's work in a bounded pool of worker processes.

The Slack process only verifies, acks and talks to Slack. Understanding a message and
the SQL behind it are CPU-bound Python; run in threads of the same process they hold
the GIL that the HTTP threads need to ack, so they run here, in processes of their own.

Workers are forked from a forkserver that has imported the assistant once: safe in a
process full of threads (unlike plain fork), and a worker starts in milliseconds
(unlike spawn), which also makes replacing a crashed pool cheap. Each worker opens
the database and builds the assistant once, in the pool's initializer.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.assistant.core import Assistant
from bot.logging_setup import configure_logging
from bot.runtime import build_assistant
from bot.settings import Settings
from crm_store.db import Database

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

# Workers yield the CPU to the Slack process: an ack is a few hundred microseconds
# of work that should never queue behind a message being understood.
WORKER_NICE = 5


class WorkerCrashed(Exception):
    """The worker process doing this piece of work died before it answered."""


@dataclass(frozen=True)
class Core:
    """What every worker process holds: its own database engine and assistant."""

    db: Database
    assistant: Assistant
    settings: Settings


Setup = Callable[[Core], Core]
_core: Core | None = None


def default_size(settings: Settings) -> int:
    """One worker per core for the rules engine; more when a model is called over the
    network, since a worker waiting for it holds no CPU."""
    cores = os.cpu_count() or 1
    return min(4 * cores, 16) if settings.llm_configured else cores


def _start_worker(settings: Settings, url: str, nice: int, setup: Setup | None) -> None:
    global _core
    configure_logging(settings)  # a worker starts with no logging of its own
    if nice:
        os.nice(nice)
    db = Database.open(url, migrate=False)  # the parent migrated before starting the pool
    core = Core(db=db, assistant=build_assistant(db, settings), settings=settings)
    _core = setup(core) if setup is not None else core


def _call(fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    assert _core is not None, "not in a worker process"
    return fn(_core, *args, **kwargs)


def _ready() -> int:
    return os.getpid()


class WorkerPool:
    """`run(fn, *args)` calls `fn(core, *args)` in a worker process and returns its result.

    Arguments and results cross the process boundary by pickle: pass the assistant's
    dataclasses (Incoming, Press, Person, actions) and get back Reply or plain dicts.
    A crashed worker breaks the whole pool; the next call gets a fresh one, and the
    calls that were in flight raise WorkerCrashed for the caller to explain.
    """

    def __init__(self, settings: Settings, url: str | None = None, *, size: int | None = None,
                 nice: int = WORKER_NICE, setup: Setup | None = None,
                 preload: tuple[str, ...] = ()) -> None:
        self.size = size or default_size(settings)
        self._initargs = (settings, url or settings.database_url, nice, setup)
        self._context = multiprocessing.get_context("forkserver")
        # Imported once in the forkserver, so a forked worker has them already.
        self._context.set_forkserver_preload(["bot.workers", *preload])
        self._lock = threading.Lock()
        self._closed = False
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.size, mp_context=self._context,
                                   initializer=_start_worker, initargs=self._initargs)

    def run(self, fn: Callable[Concatenate[Core, P], T], *args: P.args,
            **kwargs: P.kwargs) -> T:
        """`fn(core, *args, **kwargs)` in a worker; WorkerCrashed if the worker died."""
        pool = self._pool
        try:
            future = pool.submit(_call, fn, args, kwargs)
        except BrokenProcessPool:
            # Broken by someone else's crash before this work got in: nothing of it ran.
            pool = self._replace(pool)
            future = pool.submit(_call, fn, args, kwargs)
        try:
            return future.result()
        except BrokenProcessPool as exc:
            self._replace(pool)
            raise WorkerCrashed(f"a worker process died running {fn.__name__}") from exc

    def warm(self) -> None:
        """Start every worker now, so the first messages don't wait for one to start."""
        for future in [self._pool.submit(_ready) for _ in range(self.size)]:
            future.result()

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise WorkerCrashed("the worker pool is shut down")
            if self._pool is broken:
                log.error("a worker process died; starting a new pool of %d", self.size)
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
            return self._pool

    def close(self) -> None:
        """Let the work in hand finish, then stop the workers."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
