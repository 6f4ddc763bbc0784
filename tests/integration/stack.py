"""Starts the real Klik stack (python -m bot run) on free ports, for integration tests."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot.config import PROJECT_ROOT
from tests.conftest import free_port

MODEL = PROJECT_ROOT / "models" / "klik.tar.gz"


class Stack:
    """One stack; SQLite stores in var_dir unless extra_env names other KLIK_*_URL stores."""

    def __init__(self, var_dir: Path, extra_env: dict | None = None, backend: str = "sqlite"):
        self.backend = backend
        self.gateway_port = free_port()
        self.rasa_port = free_port()
        self.action_port = free_port()
        self.url = f"http://127.0.0.1:{self.gateway_port}"
        self.var_dir = var_dir
        self.lines: list[str] = []
        self.env = dict(os.environ)
        self.env.pop("KLIK_KEEP_TENSORFLOW", None)  # the stack runs as in production
        for name in ("KLIK_REDIS_URL", "KLIK_REDIS_KEY_PREFIX"):  # only when the test asks
            self.env.pop(name, None)
        self.env.update(
            KLIK_PORT=str(self.gateway_port),
            KLIK_RASA_PORT=str(self.rasa_port),
            KLIK_ACTION_PORT=str(self.action_port),
            KLIK_VAR_DIR=str(var_dir),
            KLIK_DATABASE_URL=f"sqlite:///{var_dir / 'klik.db'}",
            KLIK_TRACKER_STORE_URL=f"sqlite:///{var_dir / 'tracker.db'}",
            # Every test talks from 127.0.0.1: one client address for hundreds of messages a
            # minute (the limiter itself is tested in tests/web/test_rate_limit.py).
            KLIK_RATE_PER_CLIENT="100000/60",
        )
        self.env.update(extra_env or {})
        self.database_url = self.env["KLIK_DATABASE_URL"]
        self.tracker_store_url = self.env["KLIK_TRACKER_STORE_URL"]
        self.proc: subprocess.Popen | None = None
        self._engines: dict[str, Engine] = {}

    def rows(self, store: str, sql: str, **params) -> list[dict]:
        """Rows from the stack's own stores ("app" or "tracker"), whatever their backend."""
        url = {"app": self.database_url, "tracker": self.tracker_store_url}[store]
        if url not in self._engines:
            self._engines[url] = create_engine(url, future=True)
        with self._engines[url].connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]

    def start(self, timeout: float = 300) -> "Stack":
        if not MODEL.exists():
            raise RuntimeError("no trained model: run `make test`, which trains first")
        # What `make` does before starting: migrate, then load the sample catalogue.
        for command in (["migrate"], ["load-sample"]):
            subprocess.run([sys.executable, "-m", "bot", *command], env=self.env, check=True,
                           cwd=PROJECT_ROOT, capture_output=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any("Klik is ready" in line for line in self.lines):
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("stack exited while starting:\n" + self.log())
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("stack not ready in time:\n" + self.log())

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def log(self) -> str:
        return "\n".join(self.lines[-200:])

    def pid_of(self, name: str) -> int:
        """The pid of NAME's latest process (the runner restarts a process that dies)."""
        for line in reversed(self.lines):
            m = re.search(rf"(?:started|restarted) {name} \(pid (\d+)\)", line)
            if m:
                return int(m.group(1))
        raise LookupError(name)

    def chat(self, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
        body = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        resp = requests.post(f"{self.url}/api/chat", json=body, timeout=60)
        resp.raise_for_status()
        return resp.json()

    def stop(self, timeout: float = 30) -> int | None:
        for engine in self._engines.values():
            engine.dispose()  # a PostgreSQL database with open connections cannot be dropped
        self._engines.clear()
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None
