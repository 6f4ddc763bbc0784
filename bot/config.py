"""Settings from environment variables, with safe defaults (DESIGN.md, "Environment")."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _var_dir() -> Path:
    return Path(os.environ.get("KLIK_VAR_DIR", PROJECT_ROOT / "var"))


def _sqlite_default(name: str) -> str:
    return f"sqlite:///{_var_dir() / name}"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = ""
    tracker_store_url: str = ""
    redis_url: str = ""
    rasa_workers: int = 1
    rasa_port: int = 5005
    action_port: int = 5055
    var_dir: Path = field(default_factory=_var_dir)

    @property
    def rasa_urls(self) -> list[str]:
        """One URL per Rasa worker, on consecutive ports from ``rasa_port``."""
        return [f"http://127.0.0.1:{self.rasa_port + i}" for i in range(self.rasa_workers)]

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from exc


def load() -> Settings:
    """Read the settings from the environment (read anew each call, so tests can set them)."""
    var_dir = _var_dir()
    return Settings(
        host=os.environ.get("KLIK_HOST", "127.0.0.1"),
        port=_int("KLIK_PORT", 8080),
        database_url=os.environ.get("KLIK_DATABASE_URL") or _sqlite_default("klik.db"),
        tracker_store_url=os.environ.get("KLIK_TRACKER_STORE_URL") or _sqlite_default("tracker.db"),
        redis_url=os.environ.get("KLIK_REDIS_URL", ""),
        rasa_workers=max(1, _int("KLIK_RASA_WORKERS", 1)),
        rasa_port=_int("KLIK_RASA_PORT", 5005),
        action_port=_int("KLIK_ACTION_PORT", 5055),
        var_dir=var_dir,
    )


def secret_key(settings: Settings | None = None) -> bytes:
    """KLIK_SECRET_KEY, or a key generated once into var/ (32 bytes, hex in the file)."""
    raw = os.environ.get("KLIK_SECRET_KEY")
    if raw:
        return raw.encode()
    settings = settings or load()
    path = settings.var_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
