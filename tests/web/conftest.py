import pytest

from bot import config
from bot.db import migrate
from bot.web import ratelimit
from bot.web.app import create_app
from tests.conftest import free_port


@pytest.fixture
async def client(aiohttp_client, klik_env, monkeypatch):
    """The real gateway app; nothing listens where Rasa and the action server should be."""
    monkeypatch.setenv("KLIK_RASA_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ACTION_PORT", str(free_port()))
    migrate.upgrade()
    return await aiohttp_client(create_app(config.load()))


SENDER = "0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10"


def gateway_app(**ratelimit_options):
    """The real gateway app; with options (a fixed clock, rates) its rate limiter takes them."""
    app = create_app(config.load())
    if ratelimit_options:
        index = next(i for i, m in enumerate(app.middlewares)
                     if getattr(m, "__name__", "") == "ratelimit")
        app.middlewares[index] = ratelimit.middleware(**ratelimit_options)
    return app


@pytest.fixture
async def web_client(client):
    return client
