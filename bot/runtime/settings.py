"""All configuration, read once from the environment (and an optional .env file)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
# Telegram takes 1-256 characters of A-Za-z0-9_- as a webhook secret; fewer than 32 is guessable.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")


class Settings(BaseSettings):
    """Environment contract from DESIGN.md; names match the variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///data/sokh.db"
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1:8443"
    # One counsellors' forum supergroup, or several comma-separated (docs/counsellor.md).
    counsellor_chat_id: Annotated[int | tuple[int, ...] | None, NoDecode] = None
    # Counsellor path (docs/counsellor.md): hours in SOKH_TIMEZONE, waiting rule, retention.
    counsellor_language: str = "km"
    counsellor_open_hour: int = Field(default=8, ge=0, le=24)
    counsellor_close_hour: int = Field(default=17, ge=0, le=24)
    counsellor_wait_minutes: int = Field(default=15, ge=1)
    case_retention_days: int = Field(default=30, ge=0)
    sokh_secret_key: SecretStr | None = None
    # Not secret, but unique per install and as stable as the key (docs/keys.md).
    sokh_key_salt: str | None = None
    # Earlier secrets, oldest first, comma-separated: read old data and chain pseudonyms.
    sokh_old_secret_keys: SecretStr | None = None
    sokh_timezone: str = "Asia/Phnom_Penh"
    # Proactive messages (docs/nudges.md): quiet hours in SOKH_TIMEZONE, paid broadcast.
    quiet_start_hour: int = Field(default=21, ge=0, le=23)
    quiet_end_hour: int = Field(default=7, ge=0, le=23)
    allow_paid_broadcast: bool = False
    outbox_sender: bool = True
    # The simulator starts even with production settings present (it never uses them).
    simulator_despite_production: bool = False
    # What this process does (docs/deploy.md): take updates, run the periodic jobs (one
    # process at a time holds the scheduler lock), send from the outbox, or all three.
    role: Literal["web", "scheduler", "sender", "all"] = "all"
    # LOG_JSON: one JSON object per log line (production, for a log shipper); else plain text.
    log_json: bool = False
    # host:port for /healthz, /readyz and /metrics (docs/deploy.md); unset: not served.
    health_listen: str | None = None
    content_dir: Path = REPO_ROOT / "content"
    locales_dir: Path = REPO_ROOT / "locales"
    show_draft_content: bool = True
    count_unanswered: bool = False  # COUNT_UNANSWERED: count typed questions search missed
    flood_limit: int = Field(default=6, ge=1)
    flood_window_s: float = Field(default=2.0, gt=0)
    # Quick exit (docs/quick-exit.md): minutes of silence before 'Clean up after me' runs.
    auto_clean_minutes: int = Field(default=15, ge=1)

    @field_validator("counsellor_chat_id", mode="before")
    @classmethod
    def _chat_ids(cls, value: Any) -> Any:
        """'-100…1, -100…2' names several groups; one stays a plain id."""
        if not isinstance(value, str):
            return value
        ids = tuple(int(part) for part in value.split(",") if part.strip())
        return None if not ids else ids[0] if len(ids) == 1 else ids

    @property
    def counsellor_chats(self) -> tuple[int, ...]:
        """Every counsellors' group, in the order given (empty when unset)."""
        value = self.counsellor_chat_id
        return () if value is None else (value,) if isinstance(value, int) else value

    @field_validator("sokh_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_strong_secret(self) -> Settings:
        # An empty secret would switch aiogram's check off: anyone could post updates.
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if self.webhook_url and not WEBHOOK_SECRET.fullmatch(secret):
            raise ValueError("WEBHOOK_SECRET must be 32 to 256 characters of A-Z a-z 0-9 _ -")
        return self

    @property
    def health_host_port(self) -> tuple[str, int] | None:
        """Split HEALTH_LISTEN into host and port; None when unset."""
        return _host_port(self.health_listen) if self.health_listen else None

    def runs(self, part: str) -> bool:
        """Whether this process runs `part` ('web', 'scheduler' or 'sender')."""
        if part == "sender" and not self.outbox_sender:
            return False
        return self.role in (part, "all")

    @property
    def timezone(self) -> ZoneInfo:
        """The zone in which schedules are shown to people."""
        return ZoneInfo(self.sokh_timezone)

    @property
    def webhook_host_port(self) -> tuple[str, int]:
        """Split WEBHOOK_LISTEN into host and port."""
        return _host_port(self.webhook_listen)

    def secret_key_bytes(self) -> bytes:
        """The master secret; required before any person can be stored."""
        if self.sokh_secret_key is None:
            raise RuntimeError("SOKH_SECRET_KEY is required (see README: Configuration)")
        return self.sokh_secret_key.get_secret_value().encode()

    def key_salt_bytes(self) -> bytes:
        """The install's salt for stretching the secrets; required with the secret."""
        if not self.sokh_key_salt:
            raise RuntimeError("SOKH_KEY_SALT is required (see README: Configuration)")
        return self.sokh_key_salt.encode()

    def old_secret_keys_bytes(self) -> list[bytes]:
        """Secrets used before SOKH_SECRET_KEY, oldest first."""
        old = self.sokh_old_secret_keys.get_secret_value() if self.sokh_old_secret_keys else ""
        return [part.strip().encode() for part in old.split(",") if part.strip()]


def _host_port(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host or "127.0.0.1", int(port)
