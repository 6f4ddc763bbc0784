"""Databases for the needs tests: SQLite in tmp_path, and PostgreSQL when
KLIK_TEST_POSTGRES_URL is set (a fresh database per test, dropped afterwards)."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.db import dispose_all, migrate

NEEDS_REVISION = "0003"  # our branch of the migrations (the catalogue is 0002)


@contextmanager
def postgres_database() -> Iterator[str]:
    base = os.environ.get("KLIK_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("KLIK_TEST_POSTGRES_URL is not set")
    name = f"klik_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'klik.db'}"
    migrate.upgrade(url, NEEDS_REVISION)
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
        migrate.upgrade(url, NEEDS_REVISION)
        yield url
        dispose_all()
    else:
        with postgres_database() as url:
            migrate.upgrade(url, NEEDS_REVISION)
            yield url


@pytest.fixture
def tracker_url(backend, db_url, tmp_path) -> str:
    """Where Rasa's SQLTrackerStore keeps events: a second SQLite file, or (PostgreSQL)
    the same database as the needs, as a small shared deployment would."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return db_url
