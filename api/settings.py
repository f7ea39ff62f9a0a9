"""The one Settings object; built only by entry points (CLI, app factory callers)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob, read from ``REPORTQA_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="REPORTQA_", env_file=None, extra="ignore")

    index_dir: Path = Path("var/index")
    reports_dir: Path = Path("data/reports")
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str = ""
    max_upload_mb: int = 50
    upload_dir: Path = Path("var/uploads")
    feedback_db: Path = Path("var/feedback.sqlite3")
    cors_origins: list[str] = []
    abstain_threshold: float = 0.2
    progress: bool = True
