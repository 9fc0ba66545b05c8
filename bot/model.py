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
