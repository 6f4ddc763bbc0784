"""The migrations and the models describe the same schema, with one head, on both backends."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import bot.models  # noqa: F401  (every table)
from bot.db import Base, dispose_all, get_engine, migrate
from tests.databases import postgres_database


def test_one_head():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == ["0010"]


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'klik.db'}"
        migrate.upgrade(url)
        yield url
        dispose_all()
    else:
        with postgres_database() as url:
            migrate.upgrade(url)
            yield url


def test_models_match_the_migrated_database(migrated_url):
    with get_engine(migrated_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
