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
def postgres_database() -> Iterator[str]:
    """A fresh, empty database on the server in KLIK_TEST_POSTGRES_URL, dropped afterwards."""
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
