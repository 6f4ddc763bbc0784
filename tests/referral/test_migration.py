"""Migration 0009 builds exactly the referral tables the models describe, and drops them."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import bot.models  # noqa: F401
import bot.referral.model  # noqa: F401
from bot.db import Base, dispose_all, get_engine, migrate
from tests.databases import postgres_database

TABLES = {"referral", "referral_tally"}


def _table_of(change) -> str | None:
    if isinstance(change, list):
        change = change[0]
    for part in change[1:]:
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        name = part if isinstance(part, str) else getattr(part, "name", None)
        if name in TABLES:
            return name
    return None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    """A database migrated up to 0009 only (other branches of 0005 stay out)."""
    if request.param == "postgres":
        with postgres_database() as url:
            migrate.upgrade(url, "0009")
            yield url
    else:
        url = f"sqlite:///{tmp_path / 'klik.db'}"
        migrate.upgrade(url, "0009")
        yield url
        dispose_all()


def test_migration_matches_models(url):
    with get_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if _table_of(d) in TABLES] == []


def test_downgrade_drops_the_referral_tables(url):
    assert TABLES <= set(inspect(get_engine(url)).get_table_names())
    command.downgrade(migrate.alembic_config(url), "0005")
    get_engine(url).dispose()
    names = set(inspect(get_engine(url)).get_table_names())
    assert not TABLES & names and "need" in names
