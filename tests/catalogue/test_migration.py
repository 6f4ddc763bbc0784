"""The Alembic migration builds exactly the tables the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import bot.models  # noqa: F401
from bot.db import Base, get_engine, migrate

CATALOGUE_TABLES = {"organisation", "location", "offering", "offering_audience",
                    "offering_feature", "offering_time", "catalogue_import"}


def test_upgrade_creates_catalogue_tables(db_url):
    names = set(inspect(get_engine(db_url)).get_table_names())
    assert CATALOGUE_TABLES <= names


def _table_of(change) -> str | None:
    """The table a schema difference is about (alembic gives tuples, or lists of them)."""
    if isinstance(change, list):
        change = change[0]
    for part in change[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else part
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        if name in CATALOGUE_TABLES:
            return name
    return None


def test_migration_matches_models(db_url):
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # Only the catalogue's tables: other areas check their own migrations.
    assert [d for d in diff if _table_of(d) in CATALOGUE_TABLES] == []


def test_downgrade_to_0001_drops_catalogue(db_url):
    from alembic import command

    command.downgrade(migrate.alembic_config(db_url), "0001")
    get_engine(db_url).dispose()
    names = set(inspect(get_engine(db_url)).get_table_names())
    assert not CATALOGUE_TABLES & names
    assert "staff_user" in names
