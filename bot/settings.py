"""One settings object, read once from the environment (and a .env file when present)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from crm_store.paths import default_sqlite_url


class Settings(BaseSettings):
    """Everything configurable; secrets are SecretStr so they never print by accident."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    database_url: str = Field(default_factory=default_sqlite_url)
    salesbot_tz: str | None = None  # default zone of the terminal user

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_s: float = 20.0
    # What the model may spend (crm_store.services.ai): tokens per workspace per UTC day,
    # and model-written answers per person per hour. An admin turns it off with /crm ai off.
    ai_daily_tokens: int = Field(200_000, ge=0)
    ai_user_calls_per_hour: int = Field(30, ge=0)

    # Speech to text: "local" (Whisper tiny.en on this machine) or "openai" (the endpoint
    # above, when it has a key or URL; local whenever it fails), and that endpoint's model.
    salesbot_stt: Literal["local", "openai"] = "local"
    salesbot_stt_model: str = "whisper-1"

    @field_validator("salesbot_stt", mode="before")
    @classmethod
    def _stt_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    # Roles by Slack user id, comma-separated: SALESBOT_ADMINS=U1,U2
    salesbot_admins: str = ""
    salesbot_managers: str = ""
    hot_lead_threshold: int = 70
    hot_lead_channel: str | None = None
    hot_lead_cooldown_days: int = 3
    stale_deal_days: int = 14
    # A write read with less confidence than this is said back as a question first
    # (bot.assistant.clarify); 0 never asks. 0.5 asks on ~6% of right readings in the
    # blind sets and catches the low-confidence wrong ones (see the clarify report).
    clarify_below: float = Field(0.5, ge=0, le=1)

    # Time limits (seconds) so a database that stops answering costs one message an
    # apology, never the bot: see crm_store.db.Timeouts and bot.workers.
    db_connect_timeout_s: int = 5
    db_statement_timeout_s: float = 15.0
    db_lock_timeout_s: float = 10.0  # PostgreSQL lock_timeout; SQLite busy timeout
    db_idle_in_transaction_timeout_s: float = 60.0
    db_keepalive_idle_s: int = 30
    db_pool_recycle_s: int = 1800
    work_deadline_s: float = 30.0  # one message or button in a worker, all included
    voice_deadline_s: float = 300.0  # the same with voice clips to fetch and hear

    # Logs (bot.logging_setup): "text" lines, or one JSON object per line.
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"

    @field_validator("log_format", "log_level", mode="before")
    @classmethod
    def _any_case(cls, value: object, info) -> object:  # noqa: ANN001
        if not isinstance(value, str):
            return value
        return value.lower() if info.field_name == "log_format" else value.upper()

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    def ids(self, csv: str) -> set[str]:
        return {part.strip() for part in csv.split(",") if part.strip()}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once per process."""
    return Settings()
