"""Conversations in Rasa's SQL tracker store: forget one on request, purge old ones.

Rasa's SQLTrackerStore keeps one row per event in the table "events" (sender_id, type_name,
timestamp as Unix seconds, data as JSON); Rasa creates it, we only read and delete rows.
Needs linked to a conversation are detached first (sender_id -> NULL), so a failure half-way
never leaves a need pointing to a conversation that a later run can no longer find.

Call forget_conversation() outside a Rasa turn (e.g. from the gateway after Rasa answered):
inside an action, Rasa saves the turn's tracker afterwards and would write the events back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    exists,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from bot import config
from bot.db import get_engine
from bot.needs.model import utcnow
from bot.needs.service import (
    NeedStoreUnavailable,
    anonymise_closed,
    detach_conversations,
    session_for,
)

# The columns we use of rasa.core.tracker_store.SQLTrackerStore.SQLEvent (not created here).
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
)
MESSAGE_EVENTS = ("user", "bot")  # type_name of UserUttered and BotUttered
_CHUNK = 500  # stay under SQLite's bound-parameter limit


class ConversationStoreUnavailable(RuntimeError):
    """The tracker store could not be reached or refused the work."""


@dataclass(frozen=True)
class ForgetReport:
    events_deleted: int  # every row of the conversation in the tracker store
    messages_deleted: int  # of which messages from the person or the bot
    needs_detached: int

    def message(self) -> str:
        """What the person reads afterwards, in Dutch (B1, "je")."""
        if not self.events_deleted:
            text = "Er was geen gesprek meer om te wissen."
        elif self.messages_deleted == 1:
            text = "Ik heb je gesprek gewist: 1 bericht."
        else:
            text = f"Ik heb je gesprek gewist: {self.messages_deleted} berichten."
        if self.needs_detached == 1:
            text += " Je melding blijft bewaard, zonder link naar jou."
        elif self.needs_detached > 1:
            text += " Je meldingen blijven bewaard, zonder link naar jou."
        return text


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    conversations: int
    events: int
    needs_detached: int
    needs_anonymised: int
    dry_run: bool
    referrals_deleted: int = 0  # expired referral notes (issue 8)


def parse_period(text: str) -> timedelta:
    """ "365d", "52w", "48h" or a bare number of days."""
    match = re.fullmatch(r"\s*(\d+)\s*([dwh]?)\s*", text or "", re.IGNORECASE)
    if not match:
        raise ValueError(f"period must look like 365d, 52w or 48h, got {text!r}")
    amount, unit = int(match.group(1)), (match.group(2) or "d").lower()
    return {"d": timedelta(days=1), "w": timedelta(weeks=1), "h": timedelta(hours=1)}[unit] * amount


def _tracker_engine(tracker_url: str | None):
    try:
        return get_engine(tracker_url or config.load().tracker_store_url)
    except (SQLAlchemyError, OSError) as exc:
        raise ConversationStoreUnavailable(f"tracker store not available: {exc}") from exc


def _has_events(conn: Connection) -> bool:
    # No table yet means Rasa never stored a conversation: nothing to delete.
    return inspect(conn).has_table(EVENTS.name)


def count_events(sender_id: str, *, tracker_url: str | None = None) -> int:
    """How many events the tracker store holds for this conversation."""
    try:
        with _tracker_engine(tracker_url).connect() as conn:
            if not _has_events(conn):
                return 0
            return conn.execute(
                select(func.count())
                .select_from(EVENTS)
                .where(EVENTS.c.sender_id == sender_id)
            ).scalar_one()
    except SQLAlchemyError as exc:
        raise ConversationStoreUnavailable(str(exc)) from exc


def forget_conversation(
    sender_id: str, *, tracker_url: str | None = None, db=None
) -> ForgetReport:
    """Delete every event of this conversation and detach its needs (which stay, anonymous).

    Idempotent: forgetting twice reports zero the second time. Raises NeedStoreUnavailable or
    ConversationStoreUnavailable; a retry finishes what a failure left.
    """
    if not sender_id:
        raise ValueError("sender_id is empty")
    with session_for(db) as session:
        try:
            detached = detach_conversations(session, [sender_id])
            _drop_marks(session, [sender_id])
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise NeedStoreUnavailable(f"needs not detached: {exc}") from exc
    try:
        with _tracker_engine(tracker_url).begin() as conn:
            deleted = messages = 0
            if _has_events(conn):
                mine = EVENTS.c.sender_id == sender_id
                messages = conn.execute(
                    select(func.count())
                    .select_from(EVENTS)
                    .where(mine, EVENTS.c.type_name.in_(MESSAGE_EVENTS))
                ).scalar_one()
                deleted = conn.execute(delete(EVENTS).where(mine)).rowcount
    except SQLAlchemyError as exc:
        raise ConversationStoreUnavailable(f"conversation not deleted: {exc}") from exc
    return ForgetReport(
        events_deleted=deleted, messages_deleted=messages, needs_detached=detached
    )


def _drop_marks(session, sender_ids: list[str]) -> None:
    """A forgotten conversation leaves no feedback link and no review mark behind."""
    from bot import feedback, review  # these read conversations through this module

    for sender_id in sender_ids:
        feedback.detach(session, sender_id)
        review.forget(session, sender_id)


def _stale_senders(conn: Connection, cutoff_ts: float) -> list[str]:
    return list(
        conn.execute(
            select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(func.max(EVENTS.c.timestamp) < cutoff_ts)
        ).scalars()
    )


def purge(
    older_than: timedelta,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    tracker_url: str | None = None,
    db=None,
) -> PurgeReport:
    """Apply the retention period.

    Deletes conversations whose last event is older than ``older_than`` (their needs are
    detached first), and anonymises needs closed longer ago than ``older_than``. Idempotent;
    ``now`` fixes the clock for tests; ``dry_run`` counts without changing anything.
    """
    if older_than <= timedelta(0):
        raise ValueError("the retention period must be positive")
    now = now or utcnow()
    cutoff = now - older_than
    cutoff_ts = cutoff.timestamp()
    engine = _tracker_engine(tracker_url)

    try:
        with engine.connect() as conn:
            stale = _stale_senders(conn, cutoff_ts) if _has_events(conn) else []
    except SQLAlchemyError as exc:
        raise ConversationStoreUnavailable(str(exc)) from exc

    with session_for(db) as session:
        try:
            detached = detach_conversations(session, stale, dry_run=dry_run)
            anonymised = anonymise_closed(session, cutoff, now=now, dry_run=dry_run)
            if not dry_run:
                _drop_marks(session, stale)
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise NeedStoreUnavailable(f"needs not purged: {exc}") from exc

    conversations = events = 0
    newer = EVENTS.alias("newer")
    # A conversation that got a new event since we looked is kept.
    still_stale = ~exists().where(
        newer.c.sender_id == EVENTS.c.sender_id, newer.c.timestamp >= cutoff_ts
    )
    try:
        with engine.begin() as conn:
            for start in range(0, len(stale), _CHUNK):
                chunk = stale[start : start + _CHUNK]
                where = (EVENTS.c.sender_id.in_(chunk), still_stale)
                if dry_run:
                    rows = conn.execute(
                        select(EVENTS.c.sender_id, func.count())
                        .where(*where)
                        .group_by(EVENTS.c.sender_id)
                    ).all()
                    conversations += len(rows)
                    events += sum(n for _, n in rows)
                else:
                    events += conn.execute(delete(EVENTS).where(*where)).rowcount
                    left = set(
                        conn.execute(
                            select(EVENTS.c.sender_id)
                            .where(EVENTS.c.sender_id.in_(chunk))
                            .distinct()
                        ).scalars()
                    )
                    conversations += len(set(chunk) - left)
    except SQLAlchemyError as exc:
        raise ConversationStoreUnavailable(f"conversations not purged: {exc}") from exc

    from bot.referral import purge_expired  # referral notes have their own expiry date

    return PurgeReport(
        cutoff=cutoff,
        conversations=conversations,
        events=events,
        needs_detached=detached,
        needs_anonymised=anonymised,
        dry_run=dry_run,
        referrals_deleted=purge_expired(db, now=now, dry_run=dry_run),
    )
