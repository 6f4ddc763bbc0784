"""Tables for unmet needs and ideas, their append-only status history and staff notes."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy.orm import relationship
from sqlalchemy.types import TypeDecorator

from bot.db import Base
from bot.needs import workflow

# Stable codes with Dutch labels; the codes are stored, the labels are shown.
KINDS = {
    "nood": "Nood",
    "idee": "Idee",
    "vraag_zonder_antwoord": "Vraag zonder antwoord",
}
SOURCES = {
    "inwoner": "Inwoner",
    "hulpverlener": "Hulpverlener",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on every backend (SQLite hands back naive values otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: pass a timezone-aware UTC value")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Need(Base):
    __tablename__ = "need"

    id = Column(Integer, primary_key=True)
    code = Column(String(8), nullable=False, unique=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    kind = Column(String(30), nullable=False)
    source = Column(String(20), nullable=False)
    category = Column(String(50))
    barriers = Column(JSON, nullable=False, default=list)
    municipality_nis = Column(String(5))
    audience = Column(String(50))
    age_band = Column(String(20))
    text = Column(Text, nullable=False)  # the person's words, always redacted
    # Rasa's conversation id; NULL once the conversation is forgotten or purged.
    sender_id = Column(String(255), index=True)
    consent_given = Column(Boolean, nullable=False)
    consent_at = Column(UTCDateTime(), nullable=False)
    status = Column(String(20), nullable=False, default=workflow.INITIAL, index=True)
    public_reply = Column(Text)  # written by staff, shown to the resident with the code
    closed_at = Column(UTCDateTime())
    anonymised_at = Column(UTCDateTime())
    # A staff username. Not a foreign key: accounts are switched off, never deleted, and a
    # need's history must not depend on them.
    assigned_to = Column(String(50), index=True)
    # "Dubbel van": a link to the need this one repeats (Signalen's parent/child), not a merge.
    # No ON DELETE rule (see migration 0007): deleting a need through the ORM clears the links.
    duplicate_of_id = Column(Integer, ForeignKey("need.id"), index=True)

    history = relationship(
        "NeedStatusChange",
        back_populates="need",
        order_by="(NeedStatusChange.changed_at, NeedStatusChange.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    notes = relationship(
        "NeedNote",
        back_populates="need",
        order_by="(NeedNote.created_at, NeedNote.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    duplicate_of = relationship("Need", remote_side=[id], back_populates="duplicates")
    duplicates = relationship("Need", back_populates="duplicate_of", order_by="Need.id")

    @property
    def display_code(self) -> str:
        from bot.needs.codes import format_code

        return format_code(self.code)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return workflow.LABELS.get(self.status, self.status)


class NeedStatusChange(Base):
    """One row per status change, never updated: the need's history for staff and audits."""

    __tablename__ = "need_status_change"

    id = Column(Integer, primary_key=True)
    need_id = Column(
        Integer, ForeignKey("need.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status = Column(String(20))  # NULL for the row that records the creation
    to_status = Column(String(20), nullable=False)
    changed_by = Column(String(50), nullable=False)
    changed_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    note = Column(Text)

    need = relationship("Need", back_populates="history")


class NeedNote(Base):
    """An internal note by staff on a need, never shown to the resident; redacted, append-only."""

    __tablename__ = "need_note"

    id = Column(Integer, primary_key=True)
    need_id = Column(
        Integer, ForeignKey("need.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author = Column(String(50), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    text = Column(Text, nullable=False)

    need = relationship("Need", back_populates="notes")


@event.listens_for(NeedStatusChange, "before_update")
def _history_is_append_only(mapper, connection, target) -> None:
    raise ValueError("need_status_change is append-only")


@event.listens_for(NeedNote, "before_update")
def _notes_are_append_only(mapper, connection, target) -> None:
    raise ValueError("need_note is append-only")
