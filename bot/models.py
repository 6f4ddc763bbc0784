"""Imports every module that defines tables, so Alembic and tests see the whole schema."""
from bot import accounts  # noqa: F401
from bot.catalogue import models as catalogue_models  # noqa: F401
from bot.needs import model as needs_model  # noqa: F401
from bot import feedback  # noqa: F401
from bot import audit  # noqa: F401
from bot import review  # noqa: F401
from bot.referral import model as referral_model  # noqa: F401
