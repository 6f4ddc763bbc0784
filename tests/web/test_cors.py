"""CORS on the API: allowed origins get answers, others are refused, same origin needs nothing."""
import pytest

from bot import config
from bot.db import migrate
from bot.web import cors
from bot.web.app import create_app
from tests.conftest import free_port

ALLOWED = "https://www.gent.be"
SENDER = "0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10"


@pytest.fixture
async def client(aiohttp_client, klik_env, monkeypatch):
    monkeypatch.setenv("KLIK_RASA_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ACTION_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ALLOWED_ORIGINS", f" {ALLOWED}/ , http://localhost:8000")
    migrate.upgrade()
    return await aiohttp_client(create_app(config.load()))


def preflight(origin, method="POST"):
    return {"Origin": origin, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type"}


@pytest.mark.parametrize("path", ["/api/chat", "/api/feedback", "/api/forget"])
async def test_preflight_from_an_allowed_origin(client, path):
    resp = await client.options(path, headers=preflight(ALLOWED))
    assert resp.status == 204
    assert resp.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert resp.headers["Access-Control-Allow-Headers"].lower() == "content-type"
    assert int(resp.headers["Access-Control-Max-Age"]) > 0
    assert "Origin" in resp.headers["Vary"]


@pytest.mark.parametrize("origin", ["https://evil.example", "http://www.gent.be",
                                    "https://www.gent.be.evil.example", "null"])
async def test_preflight_from_another_origin_is_refused(client, origin):
    resp = await client.options("/api/chat", headers=preflight(origin))
    assert resp.status == 403
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_the_answer_itself_carries_the_origin_even_when_it_is_an_error(client):
    resp = await client.post("/api/chat", json={"sender": SENDER, "message": "hallo"},
                             headers={"Origin": ALLOWED})
    assert resp.status == 503  # nothing listens where Rasa should be
    assert resp.headers["Access-Control-Allow-Origin"] == ALLOWED
    resp = await client.post("/api/chat", json={"sender": "x", "message": "hallo"},
                             headers={"Origin": "http://localhost:8000"})
    assert resp.status == 400
    assert resp.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"


async def test_other_origins_get_no_cors_header(client):
    resp = await client.post("/api/chat", json={"sender": SENDER, "message": "hallo"},
                             headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_pages_outside_the_api_are_left_alone(client):
    resp = await client.get("/widget.js", headers={"Origin": ALLOWED})
    assert resp.status == 200
    assert "Access-Control-Allow-Origin" not in resp.headers


def test_by_default_no_other_origin_is_allowed(monkeypatch):
    monkeypatch.delenv("KLIK_ALLOWED_ORIGINS", raising=False)
    assert cors.allowed_origins() == frozenset()


def test_origins_are_normalised():
    assert cors.allowed_origins("HTTPS://Www.Gent.be/,http://127.0.0.1:9000") == {
        "https://www.gent.be", "http://127.0.0.1:9000"}


@pytest.mark.parametrize("bad", ["www.gent.be", "https://www.gent.be/chat", "ftp://x.be", "*"])
def test_a_malformed_origin_stops_the_start(bad):
    with pytest.raises(SystemExit):
        cors.allowed_origins(bad)
