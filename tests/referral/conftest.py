"""Referral test fixtures: the sample catalogue loaded once into a SQLite file, copied for each
test (loading takes seconds, copying a file does not); PostgreSQL when KLIK_TEST_POSTGRES_URL
is set."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

import bot.models  # noqa: F401  (every table on Base.metadata)
import bot.referral.model  # noqa: F401  (until bot/models.py imports it)
from bot.db import dispose_all, migrate, session_factory, session_scope
from bot.referral import ClientProfile
from tests.databases import postgres_database

# A fixed clock: every test that makes or reads a note passes now=.
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=timezone.utc)
GENT, AALST, SCHAARBEEK = "44021", "41002", "21015"


def _load_sample(url: str) -> None:
    from bot.catalogue.importers import load_sample

    migrate.upgrade(url)
    with session_scope(url) as s:
        report = load_sample(s)
        assert report.counts["rejected"] == 0, report.lines()


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "klik.db"
    _load_sample(f"sqlite:///{path}")
    dispose_all()  # closes the connections, so the WAL is folded into the file
    return path


@pytest.fixture
def db_url(sample_file, tmp_path, monkeypatch) -> str:
    """A SQLite database of this test's own with the sample catalogue."""
    monkeypatch.delenv("KLIK_REFERRAL_DAYS", raising=False)
    monkeypatch.delenv("KLIK_PUBLIC_URL", raising=False)
    path = tmp_path / "klik.db"
    shutil.copyfile(sample_file, path)
    yield f"sqlite:///{path}"
    dispose_all()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request, sample_file, tmp_path, monkeypatch) -> str:
    """The sample catalogue on SQLite and on PostgreSQL."""
    monkeypatch.delenv("KLIK_REFERRAL_DAYS", raising=False)
    monkeypatch.delenv("KLIK_PUBLIC_URL", raising=False)
    if request.param == "sqlite":
        path = tmp_path / "klik.db"
        shutil.copyfile(sample_file, path)
        yield f"sqlite:///{path}"
        dispose_all()
    else:
        with postgres_database() as url:
            _load_sample(url)
            yield url


@pytest.fixture
def session(db_url):
    s = session_factory(db_url)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


@pytest.fixture
def family_gent() -> ClientProfile:
    return ClientProfile(municipality=GENT, group="gezin", ages=(4, 9),
                         interests=("zwemmen", "sport"), barriers=("geld", "kinderopvang"),
                         statuses=("leefloon",), language="nl", organisation="ocmw")
