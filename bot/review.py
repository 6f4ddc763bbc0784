"""Conversation review: which conversations staff looked at, filters over them, NLU export.

The conversations live in Rasa's tracker store (read through bot.transcripts); the marks
"reviewed" and the 👍/👎 feedback live in Klik's own database, linked by the Rasa sender id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Integer, String, func, select
from sqlalchemy.orm import Session

from bot import audit, privacy, transcripts
from bot.db import Base
from bot.feedback import Feedback
from bot.needs.model import Need, UTCDateTime, utcnow
from bot.transcripts import LOW_CONFIDENCE, Message, Summary

BRUSSELS = ZoneInfo("Europe/Brussels")  # staff pick dates in local days
MAX_SENDER_CHARS = 255  # Rasa's events.sender_id
SHORT_SENDER_CHARS = 8
_CHUNK = 500  # stay under SQLite's bound-parameter limit
TODO_INTENT = "TODO_label"


class ConversationReview(Base):
    __tablename__ = "conversation_review"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(MAX_SENDER_CHARS), nullable=False, unique=True)
    reviewed_by = Column(String(50), nullable=False)  # a staff username
    reviewed_at = Column(UTCDateTime(), nullable=False, default=utcnow)


def short_sender(sender_id: str) -> str:
    """The first characters of a (long, random) sender id, enough to tell them apart."""
    if len(sender_id) <= SHORT_SENDER_CHARS + 1:
        return sender_id
    return sender_id[:SHORT_SENDER_CHARS] + "…"


def mark_reviewed(session: Session, sender_id: str, by: str, *,
                  now: datetime | None = None) -> bool:
    """Mark a conversation as reviewed by ``by``; False when it already was (nothing changes)."""
    if not sender_id or len(sender_id) > MAX_SENDER_CHARS:
        raise ValueError("sender_id is empty or too long")
    existing = session.execute(
        select(ConversationReview).where(ConversationReview.sender_id == sender_id)
    ).scalar_one_or_none()
    if existing is not None:
        return False
    now = now or utcnow()
    session.add(ConversationReview(sender_id=sender_id, reviewed_by=by, reviewed_at=now))
    audit.record(
        session, by, "conversation.reviewed", target_type="conversation",
        target_id=sender_id, before={"reviewed": False},
        after={"reviewed": True, "reviewed_by": by}, now=now,
    )
    session.flush()
    return True


def review_of(session: Session, sender_id: str) -> ConversationReview | None:
    return session.execute(
        select(ConversationReview).where(ConversationReview.sender_id == sender_id)
    ).scalar_one_or_none()


def forget(session: Session, sender_id: str) -> int:
    """Drop the review mark of a conversation that was forgotten or purged."""
    row = review_of(session, sender_id)
    if row is None:
        return 0
    session.delete(row)
    return 1


def _chunks(items: list[str]):
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _reviews(session: Session, senders: list[str]) -> dict[str, ConversationReview]:
    found: dict[str, ConversationReview] = {}
    for chunk in _chunks(senders):
        for row in session.execute(
            select(ConversationReview).where(ConversationReview.sender_id.in_(chunk))
        ).scalars():
            found[row.sender_id] = row
    return found


def _downs(session: Session, senders: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(senders):
        found.update(session.execute(
            select(Feedback.sender_id, func.count())
            .where(Feedback.sender_id.in_(chunk), Feedback.value == "down")
            .group_by(Feedback.sender_id)
        ).all())
    return found


@dataclass(frozen=True)
class Filters:
    """What the list shows; every field maps to a GET parameter of the same name."""

    fallback: bool = False  # had a fallback
    need: bool = False  # logged a need
    low: bool = False  # a user message below LOW_CONFIDENCE
    down: bool = False  # got a 👎
    unreviewed: bool = False
    since: date | None = None  # local days, both ends included
    until: date | None = None

    def span(self) -> tuple[datetime | None, datetime | None]:
        """The dates as UTC moments: [since 00:00, the day after until 00:00) in Brussels."""
        start = end = None
        if self.since is not None:
            start = datetime.combine(self.since, time(), BRUSSELS)
        if self.until is not None:
            end = datetime.combine(self.until + timedelta(days=1), time(), BRUSSELS)
        return start, end


@dataclass(frozen=True)
class Row:
    summary: Summary
    down_votes: int
    review: ConversationReview | None

    @property
    def short_id(self) -> str:
        return short_sender(self.summary.sender_id)

    @property
    def low_confidence(self) -> bool:
        confidence = self.summary.min_confidence
        return confidence is not None and confidence < LOW_CONFIDENCE


def _keep(row: Row, filters: Filters) -> bool:
    s = row.summary
    return not (
        (filters.fallback and not s.had_fallback)
        or (filters.need and not s.logged_need)
        or (filters.low and not row.low_confidence)
        or (filters.down and not row.down_votes)
        or (filters.unreviewed and row.review is not None)
    )


def conversations(session: Session, filters: Filters, *,
                  tracker_url: str | None = None) -> list[Row]:
    """The conversations that pass the filters, newest first.

    Raises bot.conversations.ConversationStoreUnavailable when the tracker store fails.
    """
    since, until = filters.span()
    found = transcripts.summaries(since=since, until=until, tracker_url=tracker_url)
    senders = [s.sender_id for s in found]
    reviews, downs = _reviews(session, senders), _downs(session, senders)
    rows = [Row(s, downs.get(s.sender_id, 0), reviews.get(s.sender_id)) for s in found]
    return [row for row in rows if _keep(row, filters)]


def fallbacks(session: Session, filters: Filters, *,
              tracker_url: str | None = None) -> list[Message]:
    """The user messages that fell back, in the conversations that pass the filters."""
    messages: list[Message] = []
    for row in conversations(session, filters, tracker_url=tracker_url):
        if row.summary.had_fallback:
            messages.extend(
                m for m in transcripts.transcript(row.summary.sender_id, tracker_url=tracker_url)
                if m.who == "user" and m.fell_back
            )
    return messages


def needs_of(session: Session, sender_id: str) -> list[Need]:
    """The needs logged in this conversation (for links from the transcript)."""
    return list(session.execute(
        select(Need).where(Need.sender_id == sender_id).order_by(Need.created_at)
    ).scalars())


# --- Rasa NLU export -----------------------------------------------------------------------

# Rasa reads "[text](entity)", "[text]{...}" and "[text][...]" as entity annotations; a space
# after the bracket keeps a user's (or a redaction tag's) brackets plain text.
_ANNOTATION = re.compile(r"\](?=[(\[{])")
_SPACES = re.compile(r"\s+")


def _example(text: str) -> str:
    """One line that Rasa reads back as exactly this text: redacted, printable, no markup."""
    text = privacy.redact(text).text
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _SPACES.sub(" ", text).strip()
    return _ANNOTATION.sub("] ", text)


def nlu_yaml(messages: list[Message]) -> str:
    """A Rasa 3.x NLU training-data snippet with these messages under intent TODO_label.

    Staff relabel the examples, then add them to data/nlu/. Button payloads ("/intent") and
    repeated texts are left out.
    """
    examples: list[str] = []
    seen: set[str] = set()
    for message in messages:
        example = _example(message.text)
        key = example.casefold()
        if not example or example.startswith("/") or key in seen:
            continue
        seen.add(key)
        examples.append(example)
    lines = [
        "# Berichten waar Klik geen antwoord op had.",
        f"# Vervang {TODO_INTENT} door de juiste intent voor je ze toevoegt aan data/nlu/.",
        'version: "3.1"',
    ]
    if not examples:
        return "\n".join([*lines, "nlu: []", ""])
    lines += ["nlu:", f"- intent: {TODO_INTENT}", "  examples: |"]
    lines += [f"    - {example}" for example in examples]
    return "\n".join(lines) + "\n"
