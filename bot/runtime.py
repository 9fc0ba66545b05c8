"""Wiring shared by every front door (terminal, Slack, scheduler): database and assistant."""

from __future__ import annotations

from bot.assistant.core import Assistant
from bot.nlu.engines import pick_engine
from bot.settings import Settings
from crm_store.db import Database, Timeouts


def open_database(settings: Settings, url: str | None = None) -> Database:
    """The CRM database, created and migrated on first start (StoreUnavailable if not)."""
    return Database.open(url or settings.database_url, timeouts=db_timeouts(settings))


def build_assistant(db: Database, settings: Settings) -> Assistant:
    """The assistant with the best engine available: the rules engine with no keys."""
    return Assistant(db, settings, engine=pick_engine(settings, "auto"))


def db_timeouts(settings: Settings) -> Timeouts:
    """The database time limits the settings ask for."""
    return Timeouts(connect_s=settings.db_connect_timeout_s,
                    statement_s=settings.db_statement_timeout_s,
                    lock_s=settings.db_lock_timeout_s,
                    idle_in_transaction_s=settings.db_idle_in_transaction_timeout_s,
                    keepalive_idle_s=settings.db_keepalive_idle_s,
                    pool_recycle_s=settings.db_pool_recycle_s)
