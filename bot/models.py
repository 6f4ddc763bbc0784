"""Imports every module that defines tables, so Alembic and tests see the whole schema."""
from bot import accounts  # noqa: F401
