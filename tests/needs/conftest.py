"""Databases for the needs tests: SQLite in tmp_path, and PostgreSQL when
KLIK_TEST_POSTGRES_URL is set (a fresh database per test, dropped afterwards)."""
from __future__ import annotations

from typing import Iterator

import pytest

from bot.db import dispose_all, migrate
from tests.databases import postgres_database



@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'klik.db'}"
    migrate.upgrade(url)  # the whole schema: purge touches referrals and feedback too
    yield url
    dispose_all()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, tmp_path) -> Iterator[str]:
    """A migrated needs database on each backend."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'klik.db'}"
        migrate.upgrade(url)  # the whole schema: purge touches referrals and feedback too
        yield url
        dispose_all()
    else:
        with postgres_database() as url:
            migrate.upgrade(url)  # the whole schema: purge touches referrals and feedback too
            yield url


@pytest.fixture
def tracker_url(backend, db_url, tmp_path) -> str:
    """Where Rasa's SQLTrackerStore keeps events: a second SQLite file, or (PostgreSQL)
    the same database as the needs, as a small shared deployment would."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return db_url
