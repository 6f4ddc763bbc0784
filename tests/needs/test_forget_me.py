"""Forget me: deletes one conversation from Rasa's real SQL tracker store and detaches its
needs, which stay (anonymous); other conversations are untouched."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.conversations import ForgetReport, count_events, forget_conversation
from bot.needs import find_by_code, record_need
from tests.needs.rasa_tracker import save_conversation, tracker_store

WHEN = datetime(2026, 2, 1, 12, 0, tzinfo=timezone.utc)


async def test_forget_one_conversation_keeps_the_other(db_url, tracker_url):
    store = tracker_store(tracker_url)
    kept_events = await save_conversation(store, "sender-keep", WHEN, texts=("dag", "tot later"))
    gone_events = await save_conversation(store, "sender-gone", WHEN)
    need = record_need(db_url, kind="nood", source="inwoner", text="Geen zwemles",
                       sender_id="sender-gone")
    other = record_need(db_url, kind="idee", source="inwoner", text="Repair café",
                        sender_id="sender-keep")

    report = forget_conversation("sender-gone", tracker_url=tracker_url, db=db_url)

    assert report == ForgetReport(events_deleted=gone_events, messages_deleted=4, needs_detached=1)
    assert await store.retrieve("sender-gone") is None
    kept = await store.retrieve("sender-keep")
    assert kept is not None and len(kept.events) == kept_events
    assert [e.text for e in kept.events if e.type_name == "user"] == ["dag", "tot later"]
    assert count_events("sender-gone", tracker_url=tracker_url) == 0

    detached = find_by_code(need.code, db_url)
    assert detached is not None and detached.sender_id is None
    assert detached.text == "Geen zwemles"  # the need itself stays
    assert find_by_code(other.code, db_url).sender_id == "sender-keep"


async def test_forgetting_twice_is_harmless(sqlite_url, tmp_path):
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = tracker_store(tracker_url)
    await save_conversation(store, "s1", WHEN)
    first = forget_conversation("s1", tracker_url=tracker_url, db=sqlite_url)
    second = forget_conversation("s1", tracker_url=tracker_url, db=sqlite_url)
    assert first.events_deleted > 0
    assert second == ForgetReport(events_deleted=0, messages_deleted=0, needs_detached=0)


def test_forget_before_rasa_stored_anything(sqlite_url, tmp_path):
    # No events table yet: nothing to delete, and no table is created by us.
    report = forget_conversation(
        "nobody", tracker_url=f"sqlite:///{tmp_path / 'none.db'}", db=sqlite_url
    )
    assert report == ForgetReport(events_deleted=0, messages_deleted=0, needs_detached=0)


def test_forget_report_says_what_happened_in_plain_dutch():
    assert ForgetReport(14, 4, 0).message() == "Ik heb je gesprek gewist: 4 berichten."
    assert ForgetReport(3, 1, 1).message() == (
        "Ik heb je gesprek gewist: 1 bericht. Je melding blijft bewaard, zonder link naar jou."
    )
    assert ForgetReport(9, 2, 2).message().endswith(
        "Je meldingen blijven bewaard, zonder link naar jou."
    )
    assert ForgetReport(0, 0, 0).message() == "Er was geen gesprek meer om te wissen."


def test_empty_sender_is_refused(sqlite_url, tmp_path):
    with pytest.raises(ValueError):
        forget_conversation("", tracker_url=f"sqlite:///{tmp_path / 't.db'}", db=sqlite_url)
