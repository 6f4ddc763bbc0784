"""Throw-away databases for tests of the PostgreSQL path (KLIK_TEST_POSTGRES_URL)."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.db import dispose_all


@contextmanager
def fresh_database(server_url: str, prefix: str = "klik_test") -> Iterator[str]:
    """A new empty database on that PostgreSQL server, dropped afterwards (also by benchmarks)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty database on the server in KLIK_TEST_POSTGRES_URL, dropped afterwards."""
    base = os.environ.get("KLIK_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("KLIK_TEST_POSTGRES_URL is not set")
    with fresh_database(base) as url:
        yield url
