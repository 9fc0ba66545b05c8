"""The one model client: any OpenAI-compatible endpoint, configured in one place.

Every model use (understanding now; briefs and drafts next) asks `model_client` for
its client, so timeouts, retries, the base URL and the key are set once, and a process
keeps one connection pool per endpoint instead of a client per call.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from openai import OpenAI

# One retry rides out a dropped connection or a 429/5xx blip; more would keep a rep
# waiting on a model that is down while the rules engine could already have answered.
MAX_RETRIES = 1


def model_client(settings: Settings) -> OpenAI:
    """This process's client for the endpoint `settings` name, built on first use."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    # A local endpoint (OPENAI_BASE_URL alone) takes any key; the client insists on one.
    return _client(os.getpid(), key or "not-needed", settings.openai_base_url,
                   settings.openai_timeout_s)


@lru_cache(maxsize=8)
def _client(pid: int, api_key: str, base_url: str | None, timeout: float) -> OpenAI:
    # Keyed by pid too: a forked worker builds its own instead of sharing its parent's
    # connection pool.
    from openai import OpenAI  # imported on first use: a rules-only process never pays for it

    return OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=MAX_RETRIES)


def retry_after_s(exc: Exception) -> float | None:
    """The wait a 429 (or 503) asked for, in seconds (Retry-After, or the OpenAI
    'retry-after-ms'); None when it named none."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except ValueError:
        return None  # an HTTP date: too long to wait for anyway
    return None


def failure_kind(exc: BaseException) -> tuple[str, int | None]:
    """What went wrong with a call, in the client's own terms: ('timeout' | 'rate_limited'
    | 'status' | 'connection' | 'other', the HTTP status when there was one). Errors of
    the HTTP layer under the client (a stream cut midway) count as well."""
    import openai

    transport = isinstance(exc, OSError) or type(exc).__module__.split(".")[0].startswith("http")
    if isinstance(exc, openai.APITimeoutError | TimeoutError) or (
            transport and "timeout" in type(exc).__name__.lower()):
        return "timeout", None
    if isinstance(exc, openai.RateLimitError):
        return "rate_limited", 429
    if isinstance(exc, openai.APIStatusError):
        return "status", exc.status_code
    if isinstance(exc, openai.APIConnectionError) or transport:
        return "connection", None
    return "other", None
