"""The migrations and the models describe the same schema, with one head, on both backends."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import bot.models  # noqa: F401  (every table)
from bot.db import Base, get_engine, migrate


def test_one_head():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == ["0010"]


def test_models_match_the_migrated_database(db_url):
    with get_engine(db_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
