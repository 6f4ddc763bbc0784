"""Shared fixtures: every test gets its own var/ directory and SQLite databases."""
from __future__ import annotations

import os
import socket

# The test process loads Rasa's own components too, so it keeps TensorFlow importable even after
# importing `actions` (see bot/lean.py). Processes the tests start do not inherit this.
os.environ["KLIK_KEEP_TENSORFLOW"] = "1"

import pytest


@pytest.fixture
def klik_env(tmp_path, monkeypatch):
    """Point Klik's settings at a fresh var/ directory for this test."""
    var = tmp_path / "var"
    monkeypatch.setenv("KLIK_VAR_DIR", str(var))
    monkeypatch.setenv("KLIK_DATABASE_URL", f"sqlite:///{var / 'klik.db'}")
    monkeypatch.setenv("KLIK_TRACKER_STORE_URL", f"sqlite:///{var / 'tracker.db'}")
    return var


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fully migrated Klik database on SQLite, and on PostgreSQL when KLIK_TEST_POSTGRES_URL
    is set (a fresh database per test, dropped afterwards)."""
    from bot.db import dispose_all, migrate
    from tests.databases import postgres_database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'klik.db'}"
        migrate.upgrade(url)
        yield url
        dispose_all()
        return
    with postgres_database() as url:
        migrate.upgrade(url)
        yield url
