"""Audit log: who changed what, when, with the values before and after.

Rows are written in the caller's transaction, so a change and its audit row commit together or
not at all. The log is append-only.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, String, event, select
from sqlalchemy.orm import Session

from bot.db import Base
from bot.needs.model import UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    actor = Column(String(50), nullable=False)  # a staff username, or "system"
    action = Column(String(50), nullable=False)  # e.g. "need.status", "user.create"
    target_type = Column(String(30))
    target_id = Column(String(50))
    before = Column(JSON)
    after = Column(JSON)


@event.listens_for(AuditEntry, "before_update")
def _append_only(mapper, connection, target) -> None:
    raise ValueError("audit_log is append-only")


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    target_type: str | None = None,
    target_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now or utcnow(),
        actor=(actor or "onbekend")[:50],
        action=action[:50],
        target_type=target_type,
        target_id=None if target_id is None else str(target_id)[:50],
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def recent(session: Session, *, target_type: str | None = None, target_id: Any = None,
           limit: int = 200) -> list[AuditEntry]:
    """Newest first; optionally only the entries about one record."""
    query = select(AuditEntry)
    if target_type is not None:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEntry.target_id == str(target_id))
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(session.execute(query).scalars())
