"""bot.transcripts against tracker stores written by Rasa's own SQLTrackerStore (no model needed).

save_conversation() is also used by the staff review tests, so both see Rasa's real schema.
"""
from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot import config, transcripts
from bot.conversations import ConversationStoreUnavailable
from tests.databases import postgres_database

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def _store(url: str):
    """Rasa's SQLTrackerStore on the database behind a SQLAlchemy URL."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=parsed.database)
    return SQLTrackerStore(
        Domain.empty(), dialect="postgresql", host=parsed.host, port=parsed.port,
        db=parsed.database, username=parsed.username, password=parsed.password,
    )


def user(text: str, intent: str, confidence: float, ranking: list | None = None) -> tuple:
    return ("user", text, intent, confidence, ranking)


def fallback(text: str, guess: str, guess_confidence: float, threshold: float = 0.55) -> tuple:
    """A user message Rasa's FallbackClassifier turned into nlu_fallback (as it stores it)."""
    return user(text, "nlu_fallback", threshold, [
        {"name": "nlu_fallback", "confidence": threshold},
        {"name": guess, "confidence": guess_confidence},
    ])


def bot(text: str, buttons: list | None = None) -> tuple:
    return ("bot", text, buttons)


def action(name: str) -> tuple:
    return ("action", name)


def save_conversation(sender_id: str, turns: list[tuple], *, start: datetime = T0,
                      url: str | None = None) -> None:
    """Store a conversation the way Rasa does: one event a second from ``start``."""
    from rasa.shared.core.events import (
        ActionExecuted, BotUttered, SessionStarted, UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    url = url or config.load().tracker_store_url
    base = start.timestamp()
    events = [
        ActionExecuted("action_session_start", timestamp=base),
        SessionStarted(timestamp=base),
        ActionExecuted("action_listen", timestamp=base),
    ]
    for second, turn in enumerate(turns, start=1):
        at = base + second
        if turn[0] == "user":
            _, said, intent, confidence, ranking = turn
            parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [],
                     "text": said}
            if ranking is not None:
                parse["intent_ranking"] = ranking
            events.append(UserUttered(said, parse["intent"], parse_data=parse, timestamp=at))
        elif turn[0] == "bot":
            _, said, buttons = turn
            events.append(BotUttered(said, {"buttons": buttons} if buttons else {}, timestamp=at))
        else:
            events.append(ActionExecuted(turn[1], timestamp=at))
    store = _store(url)
    tracker = DialogueStateTracker.from_events(sender_id, events)
    result = store.save(tracker)
    if inspect.isawaitable(result):  # async in Rasa 3.6
        # Its own loop in a thread: async tests (aiohttp_client) already run one here.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, result).result()
    store.engine.dispose()


def test_transcript_of_a_conversation(klik_env):
    save_conversation("s-1", [
        user("Hallo, ik ben 0470 12 34 56", "greet", 0.97),
        action("utter_greet"),
        bot("Dag! Waar zoek je iets over?", [{"title": "Sport", "payload": "/sport"}]),
        fallback("iets met knutselen voor mijn kleinzoon", "ask_offering", 0.41),
        action("action_two_stage_fallback"),
        bot("Bedoel je: aanbod zoeken?"),
        user("ja", "affirm", 0.88),
        action("action_default_fallback"),
        bot("Sorry, dat begrijp ik niet."),
    ])
    messages = transcripts.transcript("s-1")
    assert [m.who for m in messages] == ["user", "bot", "user", "bot", "user", "bot"]
    assert [m.index for m in messages] == list(range(6))
    first = messages[0]
    assert first.text == "Hallo, ik ben [telefoonnummer]"  # redacted again on the way out
    assert (first.intent, first.confidence, first.fell_back) == ("greet", 0.97, False)
    assert first.at == T0 + timedelta(seconds=1) and first.at.tzinfo is not None
    # After nlu_fallback the classifier's own best guess is shown, not the threshold.
    assert (messages[2].intent, messages[2].confidence, messages[2].fell_back) == (
        "ask_offering", 0.41, True)
    # A confident intent still falls back when a fallback action follows it.
    assert (messages[4].intent, messages[4].fell_back) == ("affirm", True)
    assert messages[1].text == "Dag! Waar zoek je iets over?"
    assert all(m.intent is None and not m.fell_back for m in messages if m.who == "bot")


def test_unknown_sender_and_missing_table_give_empty_lists(klik_env):
    assert transcripts.transcript("nobody") == []
    assert transcripts.summaries() == []
    assert transcripts.fallback_messages() == []
    save_conversation("s-1", [user("hoi", "greet", 0.9)])
    assert transcripts.transcript("nobody") == []
    assert transcripts.transcript("") == []


def test_summaries_newest_first_with_flags(klik_env):
    save_conversation("old", [
        user("Ik zoek zwemles", "ask_offering", 0.92),
        action("action_store_need"),
        bot("Ik heb je vraag doorgegeven."),
    ], start=T0)
    save_conversation("new", [
        user("waar kan ik dansen", "ask_offering", 0.58),
        bot("Dit vond ik."),
        fallback("blabla", "greet", 0.2),
        action("action_default_ask_rephrase"),
    ], start=T0 + timedelta(days=1))
    found = transcripts.summaries()
    assert [s.sender_id for s in found] == ["new", "old"]
    new, old = found
    assert new.user_messages == 2 and new.had_fallback and not new.logged_need
    assert new.min_confidence == 0.2
    assert new.first_message == "waar kan ik dansen"
    assert new.started_at == T0 + timedelta(days=1, seconds=1)
    assert new.last_at == T0 + timedelta(days=1, seconds=3)
    assert old.logged_need and not old.had_fallback and old.min_confidence == 0.92
    assert old.min_confidence >= transcripts.LOW_CONFIDENCE > new.min_confidence


def test_summaries_and_fallbacks_by_date_range(klik_env):
    for day in range(3):
        save_conversation(f"d{day}", [fallback(f"vraag {day}", "greet", 0.3)],
                          start=T0 + timedelta(days=day))
    day1 = T0 + timedelta(days=1)
    in_range = transcripts.summaries(since=day1, until=day1 + timedelta(days=1))
    assert [s.sender_id for s in in_range] == ["d1"]
    assert [s.sender_id for s in transcripts.summaries(since=day1)] == ["d2", "d1"]
    assert [s.sender_id for s in transcripts.summaries(until=day1)] == ["d0"]
    texts = [m.text for m in transcripts.fallback_messages(since=day1)]
    assert texts == ["vraag 1", "vraag 2"]
    assert [m.text for m in transcripts.fallback_messages(until=day1)] == ["vraag 0"]
    # A naive datetime counts as UTC.
    naive = transcripts.summaries(since=day1.replace(tzinfo=None))
    assert [s.sender_id for s in naive] == ["d2", "d1"]


def test_bot_events_without_anything_to_show_are_skipped(klik_env):
    save_conversation("s", [user("hoi", "greet", 0.9), bot(None), bot("Dag!")])
    assert [(m.who, m.text) for m in transcripts.transcript("s")] == [
        ("user", "hoi"), ("bot", "Dag!")]


def test_database_trouble_raises_conversation_store_unavailable(klik_env, tmp_path):
    broken = tmp_path / "broken.db"
    engine = create_engine(f"sqlite:///{broken}", future=True)
    with engine.begin() as conn:  # an "events" table without Rasa's columns
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT)"))
    engine.dispose()
    with pytest.raises(ConversationStoreUnavailable):
        transcripts.transcript("x", tracker_url=f"sqlite:///{broken}")
    with pytest.raises(ConversationStoreUnavailable):
        transcripts.summaries(tracker_url=f"sqlite:///{broken}")


def test_postgres_tracker_store(klik_env):
    with postgres_database() as url:
        save_conversation("pg", [
            fallback("waar is de bib", "ask_place", 0.5),
            action("action_two_stage_fallback"),
            bot("Bedoel je een plek?"),
        ], url=url)
        messages = transcripts.transcript("pg", tracker_url=url)
        assert [(m.who, m.fell_back) for m in messages] == [("user", True), ("bot", False)]
        (summary,) = transcripts.summaries(since=T0, tracker_url=url)
        assert summary.sender_id == "pg" and summary.had_fallback
        assert [m.text for m in transcripts.fallback_messages(tracker_url=url)] == [
            "waar is de bib"]
