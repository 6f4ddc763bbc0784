"""Catalogue test fixtures: a migrated database per test (SQLite, and PostgreSQL when
KLIK_TEST_POSTGRES_URL is set), and one sample-loaded SQLite database per module."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.db import dispose_all, migrate, session_factory, session_scope

FILES = Path(__file__).parent / "files"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _postgres_database():
    """Create a throw-away database on the server in KLIK_TEST_POSTGRES_URL; yield its URL."""
    admin_url = os.environ.get("KLIK_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("KLIK_TEST_POSTGRES_URL is not set")
    name = f"klik_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A freshly migrated, empty database."""
    if request.param == "postgres":
        gen = _postgres_database()
        url = next(gen)
        migrate.upgrade(url)
        yield url
        gen.close()
    else:
        url = f"sqlite:///{tmp_path / 'klik.db'}"
        migrate.upgrade(url)
        yield url
        dispose_all()


@pytest.fixture
def session(db_url):
    """A session on the fresh database; whatever a test leaves is rolled back."""
    s = session_factory(db_url)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    """A SQLite database with the shipped sample catalogue loaded (shared by a module)."""
    from bot.catalogue.importers import load_sample

    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'klik.db'}"
    migrate.upgrade(url)
    with session_scope(url) as s:
        report = load_sample(s)
        assert report.counts["rejected"] == 0, report.lines()
    yield url
    dispose_all()


@pytest.fixture
def sample_session(sample_url):
    s = session_factory(sample_url)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()
