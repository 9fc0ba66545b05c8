"""Executors, one module per area; importing this package registers them all."""

from bot.assistant.executors import help, records, tasks  # noqa: F401
