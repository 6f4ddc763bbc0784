"""Short conversations through the real gateway, Rasa model and action server."""
import uuid

import requests

pytestmark = __import__("pytest").mark.stack


def new_sender() -> str:
    return str(uuid.uuid4())


def texts(messages):
    return [m.get("text", "") for m in messages]


def test_health_is_ok_when_everything_runs(stack):
    resp = requests.get(f"{stack.url}/healthz", timeout=10)
    assert resp.status_code == 200, resp.text
    assert resp.json()["components"] == {
        "gateway": "ok", "rasa": "ok", "actions": "ok", "database": "ok"}


def test_hallo_gets_a_dutch_greeting_with_buttons(stack):
    messages = stack.chat(new_sender(), "hallo")
    assert messages, "Klik said nothing"
    assert "Ik ben Klik" in messages[0]["text"]
    assert any(m.get("buttons") for m in messages)
    assert all("recipient_id" not in m for m in messages)


def test_greeting_names_the_municipality_of_the_embedding_site(stack):
    messages = stack.chat(new_sender(), "goeiedag", metadata={"municipality": "44021"})
    assert "Gent" in messages[0]["text"]


def test_a_short_conversation(stack):
    sender = new_sender()
    stack.chat(sender, "hallo")
    capabilities = " ".join(texts(stack.chat(sender, "wat kunde gij allemaal")))
    assert "sport, cultuur en vrije tijd" in capabilities
    assert "Graag gedaan" in " ".join(texts(stack.chat(sender, "merci")))
    assert "Dag!" in " ".join(texts(stack.chat(sender, "tot ziens")))


def test_a_button_payload_works_like_typing(stack):
    messages = stack.chat(new_sender(), "/ask_capabilities")
    assert "sport, cultuur en vrije tijd" in " ".join(texts(messages))


def test_nonsense_gets_buttons_not_silence(stack):
    messages = stack.chat(new_sender(), "blrp grmbl xqz")
    assert messages and any(m.get("buttons") for m in messages)


def test_out_of_scope_is_honest(stack):
    messages = stack.chat(new_sender(), "wat is het weer morgen")
    assert "niet mee helpen" in " ".join(texts(messages))
