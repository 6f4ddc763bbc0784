"""Thumbs up or down on a bot answer, kept with the conversation for the staff review.

One row per (conversation, bot message): a person may change their mind, the last click counts.
When a person asks Klik to forget their conversation, the feedback stays but loses its link
to them (sender_id becomes NULL), the same way needs are detached.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import Base, session_scope

VALUES = ("up", "down")
MAX_TEXT_CHARS = 2000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Feedback(Base):
    __tablename__ = "answer_feedback"
    __table_args__ = (
        UniqueConstraint("sender_id", "message_index"),
        CheckConstraint("value IN ('up', 'down')", name="value"),
    )

    id = Column(Integer, primary_key=True)
    # The conversation (Rasa sender id); NULL once the person asked to forget it.
    sender_id = Column(String(64), nullable=True, index=True)
    # Which bot message of the conversation, counted from 0 in the order the widget showed them.
    message_index = Column(Integer, nullable=False)
    value = Column(String(4), nullable=False)
    # The bot's text as the widget showed it, so staff see what was judged.
    message_text = Column(Text, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


def record(
    session: Session, sender_id: str, message_index: int, value: str, text: str | None = None
) -> Feedback:
    """Store or change the feedback on one bot message of a conversation."""
    if value not in VALUES:
        raise ValueError(f"value must be one of {VALUES}, got {value!r}")
    if not sender_id:
        raise ValueError("sender_id is empty")
    if message_index < 0:
        raise ValueError("message_index must be 0 or more")
    text = text[:MAX_TEXT_CHARS] if text else None
    row = session.execute(
        select(Feedback).where(
            Feedback.sender_id == sender_id, Feedback.message_index == message_index
        )
    ).scalar_one_or_none()
    if row is None:
        row = Feedback(sender_id=sender_id, message_index=message_index, value=value,
                       message_text=text)
        session.add(row)
    else:
        row.value = value
        row.updated_at = utcnow()
        if text:
            row.message_text = text
    session.flush()
    return row


def save(
    sender_id: str, message_index: int, value: str, text: str | None = None, *,
    url: str | None = None,
) -> str:
    """record() in its own transaction; returns the stored value.

    Two quick clicks can race to insert the same row: the loser retries once as an update.
    """
    try:
        with session_scope(url) as session:
            return record(session, sender_id, message_index, value, text).value
    except IntegrityError:
        with session_scope(url) as session:
            return record(session, sender_id, message_index, value, text).value


def for_conversation(session: Session, sender_id: str) -> list[Feedback]:
    """The feedback of one conversation, in message order (for the staff review)."""
    return list(
        session.execute(
            select(Feedback)
            .where(Feedback.sender_id == sender_id)
            .order_by(Feedback.message_index)
        ).scalars()
    )


def detach(session: Session, sender_id: str) -> int:
    """Unlink a conversation's feedback from its sender; returns how many rows."""
    result = session.execute(
        update(Feedback)
        .where(Feedback.sender_id == sender_id)
        .values(sender_id=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
