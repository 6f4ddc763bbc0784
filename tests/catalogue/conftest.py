"""Catalogue test fixtures: a migrated database per test (SQLite, and PostgreSQL when
KLIK_TEST_POSTGRES_URL is set), and one sample-loaded SQLite database per module."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.db import dispose_all, migrate, session_factory, session_scope
from tests.databases import postgres_database

FILES = Path(__file__).parent / "files"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A freshly migrated, empty database."""
    if request.param == "postgres":
        with postgres_database() as url:
            migrate.upgrade(url)
            yield url
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
