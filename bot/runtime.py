"""Wiring shared by every front door (terminal, Slack, scheduler): database and assistant."""

from __future__ import annotations

from bot.assistant.core import Assistant
from bot.nlu.engines import pick_engine
from bot.settings import Settings
from crm_store.db import Database


def open_database(settings: Settings, url: str | None = None) -> Database:
    """The CRM database, created and migrated on first start (StoreUnavailable if not)."""
    return Database.open(url or settings.database_url)


def build_assistant(db: Database, settings: Settings) -> Assistant:
    """The assistant with the best engine available: the rules engine with no keys."""
    return Assistant(db, settings, engine=pick_engine(settings, "auto"))
