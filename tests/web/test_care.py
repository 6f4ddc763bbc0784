"""Forget-my-conversation and feedback through the real gateway and real databases."""
import time

import pytest
from sqlalchemy import insert, select

from bot import config, feedback
from bot.conversations import EVENTS, count_events
from bot.db import get_engine, session_scope
from bot.feedback import Feedback
from bot.web.app import create_app

SENDER = "0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10"
OTHER = "7d0e1c2b-3a4f-4b5c-9d6e-0f1a2b3c4d5e"


def stored():
    with session_scope() as s:
        return [(f.sender_id, f.message_index, f.value, f.message_text)
                for f in s.execute(select(Feedback).order_by(Feedback.id)).scalars()]


def add_events(sender, n):
    # The shape Rasa's SQLTrackerStore writes (only the columns we touch).
    engine = get_engine(config.load().tracker_store_url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(EVENTS), [
            {"sender_id": sender, "type_name": "user", "timestamp": time.time()} for _ in range(n)])


async def test_feedback_is_stored_and_can_change(client):
    body = {"sender": SENDER.upper(), "message_index": 1, "value": "up", "text": " Hallo! "}
    resp = await client.post("/api/feedback", json=body)
    assert resp.status == 200 and await resp.json() == {"stored": "up"}
    resp = await client.post("/api/feedback", json={**body, "value": "down", "text": None})
    assert await resp.json() == {"stored": "down"}
    assert stored() == [(SENDER, 1, "down", "Hallo!")]


@pytest.mark.parametrize("body, code", [
    ({"sender": "nope", "message_index": 0, "value": "up"}, "invalid_sender"),
    ({"sender": SENDER, "message_index": True, "value": "up"}, "invalid_message_index"),
    ({"sender": SENDER, "message_index": -1, "value": "up"}, "invalid_message_index"),
    ({"sender": SENDER, "message_index": "0", "value": "up"}, "invalid_message_index"),
    ({"sender": SENDER, "message_index": 0, "value": "meh"}, "invalid_feedback_value"),
    ({"sender": SENDER, "message_index": 0, "value": "up", "text": 5}, "invalid_text"),
    (["not", "an", "object"], "invalid_body"),
])
async def test_bad_feedback_is_a_400_in_dutch_and_english(client, body, code):
    resp = await client.post("/api/feedback", json=body)
    assert resp.status == 400
    error = (await resp.json())["error"]
    assert error["code"] == code and error["nl"] and error["en"]
    assert stored() == []


async def test_bad_json_is_a_400(client):
    for path in ("/api/feedback", "/api/forget"):
        resp = await client.post(path, data=b"{", headers={"Content-Type": "application/json"})
        assert resp.status == 400
        assert (await resp.json())["error"]["code"] == "invalid_json"


async def test_forget_deletes_the_conversation_and_detaches_feedback(client):
    add_events(SENDER, 4)
    add_events(OTHER, 2)
    feedback.save(SENDER, 0, "down", "Sorry.")
    resp = await client.post("/api/forget", json={"sender": SENDER})
    assert resp.status == 200
    body = await resp.json()
    assert body["events_deleted"] == 4 and body["feedback_detached"] == 1
    assert body["needs_detached"] == 0 and "gewist" in body["message"]
    assert count_events(SENDER) == 0 and count_events(OTHER) == 2
    assert stored() == [(None, 0, "down", "Sorry.")]
    again = await (await client.post("/api/forget", json={"sender": SENDER})).json()
    assert again["events_deleted"] == 0 and again["feedback_detached"] == 0


async def test_forget_needs_a_uuid(client):
    resp = await client.post("/api/forget", json={"sender": "alles"})
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "invalid_sender"


async def test_forget_with_the_database_down_is_a_clear_503(aiohttp_client, klik_env, monkeypatch):
    monkeypatch.setenv("KLIK_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    client = await aiohttp_client(create_app(config.load()))
    resp = await client.post("/api/forget", json={"sender": SENDER})
    assert resp.status == 503
    assert "niet bereikbaar" in (await resp.json())["error"]["nl"]
    resp = await client.post("/api/feedback", json={"sender": SENDER, "message_index": 0, "value": "up"})
    assert resp.status == 503
