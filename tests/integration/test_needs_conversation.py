"""Unmet needs, privacy and forget-me through the real stack and its real stores."""
import re
import uuid

import pytest

pytestmark = pytest.mark.stack

CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def all_text(messages):
    return " ".join(m.get("text") or "" for m in messages)


def tracker_rows(stack, sender):
    return [r["data"] for r in stack.rows(
        "tracker", "SELECT data FROM events WHERE sender_id = :sender", sender=sender)]


def needs_rows(stack):
    return stack.rows("app", "SELECT * FROM need")


def test_an_idea_is_stored_only_after_yes_and_gets_a_code(stack):
    sender = str(uuid.uuid4())
    before = len(needs_rows(stack))
    ask = stack.chat(sender, "ik heb een idee: een repair café in onze wijk")
    assert "zonder je naam" in all_text(ask)
    assert len(needs_rows(stack)) == before  # nothing stored before the yes
    saved = stack.chat(sender, "/affirm")
    code = CODE.search(all_text(saved)).group(0)
    row = [r for r in needs_rows(stack) if r["code"] == code.replace("-", "")
           or r["code"] == code][0]
    assert row["kind"] == "idee" and row["source"] == "inwoner" and row["status"] == "nieuw"
    assert "repair café" in row["text"] and row["sender_id"] == sender
    assert row["consent_given"]
    status = stack.chat(str(uuid.uuid4()), f"wat is er met mijn melding {code.lower()}?")
    assert code in all_text(status)


def test_no_stores_nothing(stack):
    sender = str(uuid.uuid4())
    before = len(needs_rows(stack))
    stack.chat(sender, "er is niks te doen voor jongeren in mijn dorp")
    answer = stack.chat(sender, "/deny")
    assert "bewaar niets" in all_text(answer)
    assert len(needs_rows(stack)) == before


def test_unknown_code_gives_no_hint(stack):
    answer = stack.chat(str(uuid.uuid4()), "wat is er met mijn melding HX3P-9QWD?")
    assert "geen melding" in all_text(answer)


def test_personal_data_never_reaches_the_stores_or_the_logs(stack):
    sender = str(uuid.uuid4())
    raw = ["0470 12 34 56", "jan.peeters@example.be", "BE68 5390 0754 7034", "85.07.30-033.28"]
    first = stack.chat(sender, f"ik heb een idee voor 9000 Gent, bel me op {raw[0]} of mail {raw[1]}")
    assert "persoonlijke gegevens" in all_text(first)
    stack.chat(sender, "/affirm")
    stack.chat(sender, f"mijn rekening is {raw[2]} en mijn rijksregisternummer {raw[3]}")
    stored = " ".join(tracker_rows(stack, sender)) + " ".join(str(r) for r in needs_rows(stack))
    for value in raw:
        assert value not in stored
        assert value not in stack.log()
    assert "Gent" in stored and "9000" in stored


def test_forget_me_erases_the_conversation_from_the_tracker_store(stack):
    sender = str(uuid.uuid4())
    stack.chat(sender, "hallo")
    stack.chat(sender, "ik heb een idee: een moestuin in de buurt")
    saved = stack.chat(sender, "/affirm")
    code = CODE.search(all_text(saved)).group(0)
    assert tracker_rows(stack, sender)
    ask = stack.chat(sender, "verwijder mijn gesprek")
    assert "wis" in all_text(ask)
    done = stack.chat(sender, "/affirm")
    assert "gewist" in all_text(done)
    assert tracker_rows(stack, sender) == []
    need = [r for r in needs_rows(stack) if code.replace("-", "") in (r["code"], r["code"].replace("-", ""))]
    assert need and need[0]["sender_id"] is None  # the need stays, anonymous
