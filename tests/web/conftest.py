import pytest

from bot import config
from bot.db import migrate
from bot.web.app import create_app
from tests.conftest import free_port


@pytest.fixture
async def client(aiohttp_client, klik_env, monkeypatch):
    """The real gateway app; nothing listens where Rasa and the action server should be."""
    monkeypatch.setenv("KLIK_RASA_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ACTION_PORT", str(free_port()))
    migrate.upgrade()
    return await aiohttp_client(create_app(config.load()))
