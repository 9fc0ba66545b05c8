"""Typed domain errors: each becomes a friendly reply in one place, never a stack trace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class CRMError(Exception):
    """Base of every error the CRM raises on purpose; `str()` is safe to show a user."""


class StoreUnavailable(CRMError):
    """The database URL is unusable or the server cannot be reached."""


class NotFound(CRMError):
    """A record the user named does not exist (in their workspace)."""


class Ambiguous(CRMError):
    """A name matches several records; `choices` are (id, label) pairs to offer."""

    def __init__(self, message: str, choices: Sequence[tuple[Any, str]] = (),
                 field: str | None = None) -> None:
        super().__init__(message)
        self.choices = list(choices)
        self.field = field  # which kind of record the choices are


class Forbidden(CRMError):
    """The user's role or ownership does not allow this; the message says why."""


class BadInput(CRMError):
    """A value the user gave cannot be used; the message says which and why."""


class DatabaseUnavailable(StoreUnavailable):
    """The database did not answer a unit of work (unreachable, cut off, too slow or
    locked); its transaction rolled back, so the message says nothing was saved."""
