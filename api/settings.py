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
    # Input limits (api.limits), checked before any work is done.
    max_json_kb: int = 64              # body of /api/ask and /api/ask/stream
    max_feedback_kb: int = 128         # body of /api/feedback (it carries the answer and its quotes)
    max_question_chars: int = 2000
    max_history_items: int = 20
    max_history_item_chars: int = 2000
    # Requests per minute per client address, with bursts of up to ``rate_burst`` (api.ratelimit);
    # 0 turns a limit off. A person asks a few questions a minute; the page sends one ask each.
    rate_ask_per_minute: int = 120
    rate_feedback_per_minute: int = 30
    rate_burst: int = 30
    # CPU threads an upload's embedding may use: the rest stay with the questions being answered
    # (with all of them, asks' p95 during an upload rose 2.5x under 20 clients on 2 cores).
    write_threads: int = 1
