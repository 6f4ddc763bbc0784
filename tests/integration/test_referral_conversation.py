"""Referral mode through the real stack: a social worker's intake, the matches, the note page."""
import re
import uuid

import pytest
import requests

pytestmark = pytest.mark.stack

NOTE_LINK = re.compile(r"\[Open de verwijsbrief\]\((http://[^)]+/verwijzing/[A-Z0-9-]+)\)")


def all_text(messages):
    return " ".join(m.get("text") or "" for m in messages)


def buttons(messages):
    return [b for m in messages for b in m.get("buttons") or []]


def payload(messages, title):
    return next(b["payload"] for b in buttons(messages) if b["title"] == title)


def test_a_worker_makes_a_referral_note_without_identifying_data(stack):
    sender = str(uuid.uuid4())
    first = stack.chat(sender, "als hulpverlener wil ik een gezin doorverwijzen naar een sportclub in Gent")
    assert "cliënt" in all_text(first)
    assert "Hoe oud" in all_text(first)  # place, group and interest came with the first message
    # A name typed by the worker is redacted and the worker is reminded kindly.
    ages = stack.chat(sender, "de mama heet Fatima El Amrani, de kinderen zijn 4 en 9")
    assert "persoonlijke gegevens" in all_text(ages)
    assert "drempels" in all_text(ages).lower() or "tegen" in all_text(ages)
    step = stack.chat(sender, payload(ages, "Geld"))
    assert any(b["title"] == "✓ Geld" for b in buttons(step))
    step = stack.chat(sender, payload(step, "Klaar"))
    step = stack.chat(sender, payload(step, "Leefloon"))
    matches = stack.chat(sender, payload(step, "Arabisch"))
    text = all_text(matches)
    assert "Past omdat" in text or "past omdat" in text
    assert "Bron:" in text and "sociaal huis (OCMW) van Gent" in text
    chosen = stack.chat(sender, payload(matches, "Kies 1"))
    note = stack.chat(sender, payload(chosen, "Maak de brief"))
    link = NOTE_LINK.search(all_text(note)).group(1)
    assert link.startswith(stack.url)  # made absolute by the gateway

    page = requests.get(link, timeout=30)
    assert page.status_code == 200
    assert "Fatima" not in page.text and "Amrani" not in page.text
    qr = requests.get(link + "/qr.png", timeout=30)
    assert qr.status_code == 200 and qr.headers["Content-Type"] == "image/png"

    stored = " ".join(str(row) for row in stack.rows("app", "SELECT * FROM referral"))
    tracker = " ".join(r["data"] for r in stack.rows(
        "tracker", "SELECT data FROM events WHERE sender_id = :sender", sender=sender))
    for secret in ("Fatima", "Amrani", "leefloon"):
        assert secret not in stored
    assert "Fatima" not in tracker and "Amrani" not in tracker
    assert "Fatima" not in stack.log()


def test_a_worker_corrects_the_place_and_the_intake_goes_on(stack):
    import json

    sender = str(uuid.uuid4())
    first = stack.chat(sender, "ik ben maatschappelijk werker in Gent")
    assert "Voor wie zoek je?" in all_text(first)
    corrected = stack.chat(sender, "nee sorry, ik bedoel Genk")
    assert "Voor wie zoek je?" in all_text(corrected)  # the same question: the intake goes on
    assert "ik stop" not in all_text(corrected).lower()
    places = [e["value"] for e in (json.loads(r["data"]) for r in stack.rows(
        "tracker", "SELECT data FROM events WHERE sender_id = :sender", sender=sender))
        if e.get("event") == "slot" and e.get("name") == "municipality"]
    assert places[-1] == "71016"
