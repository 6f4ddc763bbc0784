"""bot.review: reviewed marks with audit, filters over real tracker data, the NLU export."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import yaml
from alembic import command
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.exc import IntegrityError

from bot import feedback, review
from bot.audit import AuditEntry
from bot.db import migrate, session_scope
from bot.transcripts import Message
from tests.databases import postgres_database
from tests.test_transcripts import T0, action, bot, fallback, save_conversation, user

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def db_env(klik_env):
    migrate.upgrade()
    return klik_env


def _message(text: str) -> Message:
    return Message(index=0, at=T0, who="user", text=text, intent="greet", confidence=0.1,
                   fell_back=True)


def test_mark_reviewed_writes_one_audit_entry(db_env):
    with session_scope() as db:
        assert review.mark_reviewed(db, "s-1", "mila", now=NOW) is True
    with session_scope() as db:
        assert review.mark_reviewed(db, "s-1", "admin", now=NOW) is False  # already reviewed
    with session_scope() as db:
        mark = review.review_of(db, "s-1")
        assert (mark.reviewed_by, mark.reviewed_at) == ("mila", NOW)
        entries = db.execute(select(AuditEntry)).scalars().all()
        assert [(e.actor, e.action, e.target_type, e.target_id) for e in entries] == [
            ("mila", "conversation.reviewed", "conversation", "s-1")]
        assert entries[0].before == {"reviewed": False}
        assert entries[0].after == {"reviewed": True, "reviewed_by": "mila"}
    with session_scope() as db, pytest.raises(ValueError):
        review.mark_reviewed(db, "", "mila")
    with session_scope() as db, pytest.raises(ValueError):
        review.mark_reviewed(db, "x" * 256, "mila")


def test_audit_entry_rolls_back_with_the_mark(db_env):
    with pytest.raises(RuntimeError):
        with session_scope() as db:
            review.mark_reviewed(db, "s-1", "mila")
            raise RuntimeError("later step failed")
    with session_scope() as db:
        assert review.review_of(db, "s-1") is None
        assert db.execute(select(AuditEntry)).scalars().all() == []


def test_forget_drops_the_mark(db_env):
    with session_scope() as db:
        review.mark_reviewed(db, "s-1", "mila")
    with session_scope() as db:
        assert review.forget(db, "s-1") == 1
        assert review.forget(db, "s-1") == 0
    with session_scope() as db:
        assert review.review_of(db, "s-1") is None


def _three_conversations():
    save_conversation("calm", [user("Ik zoek zwemles", "ask_offering", 0.95),
                               action("action_store_need"), bot("Doorgegeven.")], start=T0)
    save_conversation("lost", [fallback("huh wat", "greet", 0.2),
                               action("action_two_stage_fallback"), bot("Bedoel je dit?")],
                      start=T0 + timedelta(hours=1))
    save_conversation("unsure", [user("dansen misschien", "ask_offering", 0.58),
                                 bot("Dit vond ik.")], start=T0 + timedelta(hours=2))
    feedback.save("unsure", 0, "down", "Dit vond ik.")
    feedback.save("calm", 0, "up", "Doorgegeven.")


@pytest.mark.parametrize("flags, expected", [
    ({}, ["unsure", "lost", "calm"]),
    ({"fallback": True}, ["lost"]),
    ({"need": True}, ["calm"]),
    ({"low": True}, ["unsure", "lost"]),
    ({"down": True}, ["unsure"]),
    ({"unreviewed": True}, ["unsure", "lost"]),
    ({"low": True, "unreviewed": True}, ["unsure", "lost"]),
    ({"low": True, "down": True}, ["unsure"]),
])
def test_filters_combine_tracker_feedback_and_marks(db_env, flags, expected):
    _three_conversations()
    with session_scope() as db:
        review.mark_reviewed(db, "calm", "mila")
    with session_scope() as db:
        rows = review.conversations(db, review.Filters(**flags))
        assert [r.summary.sender_id for r in rows] == expected
        by_id = {r.summary.sender_id: r for r in rows}
        if "unsure" in by_id:
            assert by_id["unsure"].down_votes == 1 and by_id["unsure"].low_confidence


def test_date_filter_uses_brussels_days(db_env):
    late = datetime(2026, 11, 2, 23, 30, tzinfo=timezone.utc)  # 3 November, 00:30 in Brussels
    save_conversation("late", [user("hoi", "greet", 0.9)], start=late)
    save_conversation("early", [user("hoi", "greet", 0.9)], start=late - timedelta(hours=2))
    span = review.Filters(since=date(2026, 11, 3), until=date(2026, 11, 3)).span()
    assert span == (datetime(2026, 11, 2, 23, 0, tzinfo=timezone.utc),
                    datetime(2026, 11, 3, 23, 0, tzinfo=timezone.utc))
    with session_scope() as db:
        nov3 = review.conversations(db, review.Filters(since=date(2026, 11, 3),
                                                       until=date(2026, 11, 3)))
        nov2 = review.conversations(db, review.Filters(until=date(2026, 11, 2)))
    assert [r.summary.sender_id for r in nov3] == ["late"]
    assert [r.summary.sender_id for r in nov2] == ["early"]


def test_fallbacks_follow_the_filter(db_env):
    _three_conversations()
    save_conversation("lost2", [fallback("nog iets raars", "greet", 0.1)],
                      start=T0 + timedelta(hours=3))
    with session_scope() as db:
        review.mark_reviewed(db, "lost2", "mila")
        everything = review.fallbacks(db, review.Filters())
        unreviewed = review.fallbacks(db, review.Filters(unreviewed=True))
    assert sorted(m.text for m in everything) == ["huh wat", "nog iets raars"]
    assert [m.text for m in unreviewed] == ["huh wat"]


def test_short_sender():
    assert review.short_sender("0f8fad5b-d9cb-469f-a165-70867728950e") == "0f8fad5b…"
    assert review.short_sender("abc") == "abc"


# --- NLU export ---------------------------------------------------------------------------

TRICKY = [
    "waar kan ik zwemmen?",
    "Bel me: 0470 12 34 56 of jan@voorbeeld.be",
    "key: value # geen commentaar",
    "- begint met een streepje",
    "  spaties ervoor en erna  ",
    "tab\there\nen een nieuwe regel",
    "\"aanhalingstekens\" en 'enkele'",
    "[link](entiteit) en [x]{\"entity\": \"y\"} en [a][b]",
    "| > { } & * ! % @ `",
    "Émile zoekt een café 😀",
    "/greet",  # a button payload, not something a person typed
    "WAAR KAN IK ZWEMMEN?",  # the same example again
    "",
]
EXPECTED = [
    "waar kan ik zwemmen?",
    "Bel me: [telefoonnummer] of [e-mail]",
    "key: value # geen commentaar",
    "- begint met een streepje",
    "spaties ervoor en erna",
    "tab here en een nieuwe regel",
    "\"aanhalingstekens\" en 'enkele'",
    "[link] (entiteit) en [x] {\"entity\": \"y\"} en [a] [b]",
    "| > { } & * ! % @ `",
    "Émile zoekt een café 😀",
]


def test_nlu_yaml_is_valid_yaml_with_every_example():
    snippet = review.nlu_yaml([_message(t) for t in TRICKY])
    assert "0470" not in snippet and "jan@" not in snippet
    data = yaml.safe_load(snippet)
    assert data["version"] == "3.1"
    (item,) = data["nlu"]
    assert item["intent"] == "TODO_label"
    lines = item["examples"].splitlines()
    assert [line[2:] for line in lines] == EXPECTED
    assert all(line.startswith("- ") for line in lines)


def test_rasa_reads_the_snippet_back():
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    data = RasaYAMLReader().reads(review.nlu_yaml([_message(t) for t in TRICKY]))
    assert [m.get("text") for m in data.training_examples] == EXPECTED
    assert {m.get("intent") for m in data.training_examples} == {"TODO_label"}
    assert data.entity_examples == []  # brackets stayed plain text


def test_rasa_loader_reads_the_file(tmp_path):
    from rasa.shared.nlu.training_data import loading

    path = tmp_path / "fallbacks.yml"
    path.write_text(review.nlu_yaml([_message("ik zoek iets voor mijn kind")]), "utf-8")
    data = loading.load_data(str(path))
    assert [m.get("text") for m in data.training_examples] == ["ik zoek iets voor mijn kind"]


def test_empty_export_is_still_valid():
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    snippet = review.nlu_yaml([_message("/greet")])
    assert yaml.safe_load(snippet) == {"version": "3.1", "nlu": []}
    assert RasaYAMLReader().reads(snippet).training_examples == []


# --- Migration ---------------------------------------------------------------------------

def _migration_round_trip(url: str) -> None:
    cfg = migrate.alembic_config(url)
    command.upgrade(cfg, "0008")  # only this revision's ancestors: others' branches stay out
    engine = create_engine(url, future=True)
    try:
        assert "conversation_review" in inspect(engine).get_table_names()
        with session_scope(url) as db:
            review.mark_reviewed(db, "s-1", "mila")
        with pytest.raises(IntegrityError), session_scope(url) as db:
            db.add(review.ConversationReview(sender_id="s-1", reviewed_by="admin",
                                             reviewed_at=NOW))
        command.downgrade(cfg, "0006")
        assert "conversation_review" not in inspect(engine).get_table_names()
        migrate.upgrade(url)  # and up again, to all heads
        assert "conversation_review" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_migration_sqlite(klik_env):
    _migration_round_trip(f"sqlite:///{klik_env / 'migration.db'}")


def test_migration_postgres():
    with postgres_database() as url:
        _migration_round_trip(url)
