"""Alembic environment: runs migrations against the URL set by bot.db.migrate."""
from alembic import context

from bot.db import Base, make_engine
import bot.models  # noqa: F401  (registers every table on Base.metadata)

cfg = context.config


def run() -> None:
    engine = make_engine(cfg.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=is_sqlite,  # SQLite cannot ALTER most things; batch mode copies tables
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
