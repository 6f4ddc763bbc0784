"""Feedback on bot answers: stored per conversation and message, changed, detached on forget."""
from __future__ import annotations


import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from bot import feedback
from bot.db import Base, get_engine, session_scope
from bot.feedback import Feedback

SENDER = "0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10"
OTHER = "7d0e1c2b-3a4f-4b5c-9d6e-0f1a2b3c4d5e"


def rows(url):
    with session_scope(url) as s:
        return [(f.sender_id, f.message_index, f.value, f.message_text)
                for f in s.execute(select(Feedback).order_by(Feedback.id)).scalars()]


def test_the_migration_builds_the_model_exactly(db_url):
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if "answer_feedback" in repr(d)]
    assert ours == []


def test_a_click_is_stored_with_the_message(db_url):
    with session_scope(db_url) as s:
        feedback.record(s, SENDER, 2, "up", "Hallo! Ik ben Klik.")
    assert rows(db_url) == [(SENDER, 2, "up", "Hallo! Ik ben Klik.")]


def test_changing_your_mind_keeps_one_row(db_url):
    assert feedback.save(SENDER, 0, "up", "Tekst", url=db_url) == "up"
    assert feedback.save(SENDER, 0, "down", None, url=db_url) == "down"
    assert rows(db_url) == [(SENDER, 0, "down", "Tekst")]


def test_conversations_are_kept_apart_and_in_message_order(db_url):
    feedback.save(SENDER, 3, "down", url=db_url)
    feedback.save(SENDER, 1, "up", url=db_url)
    feedback.save(OTHER, 1, "down", url=db_url)
    with session_scope(db_url) as s:
        mine = [(f.message_index, f.value) for f in feedback.for_conversation(s, SENDER)]
    assert mine == [(1, "up"), (3, "down")]


def test_forgetting_detaches_but_keeps_the_judgement(db_url):
    feedback.save(SENDER, 0, "down", "Sorry, dat begrijp ik niet.", url=db_url)
    feedback.save(SENDER, 1, "up", url=db_url)
    feedback.save(OTHER, 0, "up", url=db_url)
    with session_scope(db_url) as s:
        assert feedback.detach(s, SENDER) == 2
    with session_scope(db_url) as s:
        assert feedback.for_conversation(s, SENDER) == []
    assert sorted(rows(db_url), key=repr) == sorted([
        (None, 0, "down", "Sorry, dat begrijp ik niet."), (None, 1, "up", None), (OTHER, 0, "up", None),
    ], key=repr)
    with session_scope(db_url) as s:
        assert feedback.detach(s, SENDER) == 0


def test_long_text_is_cut(db_url):
    feedback.save(SENDER, 0, "up", "x" * 5000, url=db_url)
    assert len(rows(db_url)[0][3]) == feedback.MAX_TEXT_CHARS


@pytest.mark.parametrize("sender, index, value", [
    (SENDER, 0, "meh"), ("", 0, "up"), (SENDER, -1, "up"),
])
def test_bad_input_is_refused(db_url, sender, index, value):
    with pytest.raises(ValueError):
        with session_scope(db_url) as s:
            feedback.record(s, sender, index, value)
    assert rows(db_url) == []


def test_the_database_refuses_other_values(db_url):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with session_scope(db_url) as s:
            s.add(Feedback(sender_id=SENDER, message_index=0, value="meh"))
            s.flush()
