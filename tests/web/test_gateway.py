"""The real gateway app, with nothing listening where Rasa and the action server should be."""
import pytest

from bot import config
from bot.web.app import create_app

SENDER = "0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10"


async def test_demo_page_embeds_the_widget(client):
    resp = await client.get("/")
    assert resp.status == 200
    html = await resp.text()
    assert 'lang="nl"' in html and '<script src="/widget.js" defer></script>' in html


async def test_widget_is_javascript(client):
    resp = await client.get("/widget.js")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("application/javascript")
    assert "/api/chat" in await resp.text()


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"sender": "not-a-uuid", "message": "hallo"}, "invalid_sender"),
        ({"sender": SENDER, "message": ""}, "invalid_message"),
        ({"sender": SENDER, "message": "x" * 1001}, "message_too_long"),
        ([1, 2], "invalid_body"),
    ],
)
async def test_chat_validation_answers_400_in_dutch_and_english(client, payload, code):
    resp = await client.post("/api/chat", json=payload)
    assert resp.status == 400
    error = (await resp.json())["error"]
    assert error["code"] == code and error["nl"] and error["en"]


async def test_invalid_json_is_a_400(client):
    resp = await client.post("/api/chat", data=b"{not json", headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "invalid_json"


async def test_huge_body_is_refused_with_json(client):
    resp = await client.post("/api/chat", data=b"x" * 100_000, headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert (await resp.json())["error"]["code"] == "too_large"


async def test_unknown_api_route_is_a_json_404(client):
    resp = await client.get("/api/nothing")
    assert resp.status == 404
    assert (await resp.json())["error"]["code"] == "not_found"


async def test_chat_when_rasa_is_down_is_a_clear_503(client):
    resp = await client.post("/api/chat", json={"sender": SENDER, "message": "hallo"})
    assert resp.status == 503
    assert "niet bereikbaar" in (await resp.json())["error"]["nl"]


async def test_health_names_what_is_down(client):
    resp = await client.get("/healthz")
    assert resp.status == 503
    body = await resp.json()
    assert body["components"] == {
        "gateway": "ok", "rasa": "down", "actions": "down", "database": "ok"}


async def test_health_reports_a_broken_database(aiohttp_client, klik_env, monkeypatch, tmp_path):
    monkeypatch.setenv("KLIK_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    client = await aiohttp_client(create_app(config.load()))
    body = await (await client.get("/healthz")).json()
    assert body["components"]["database"] == "down"


def test_links_to_klik_pages_become_absolute():
    from bot.web.turn import absolute_links

    replies = [{"text": "[Open de verwijsbrief](/verwijzing/ABC)"}, {"text": "[x](https://a.be/)"},
               {"image": "y"}]
    assert absolute_links(replies, "https://klik.gent.be/") == [
        {"text": "[Open de verwijsbrief](https://klik.gent.be/verwijzing/ABC)"},
        {"text": "[x](https://a.be/)"}, {"image": "y"}]
