"""Read conversations from Rasa's SQL tracker store, for the staff review.

Rasa's SQLTrackerStore writes one row per event in "events"; the columns we need beyond
bot.conversations.EVENTS are action_name and data (the event as JSON). We only read here.
Texts were redacted by the gateway before Rasa saw them; we redact again before anyone sees
them, in case an older or other channel wrote to the store (defence in depth).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import String, Text, column, func, select
from sqlalchemy.exc import SQLAlchemyError

from bot import privacy
from bot.conversations import (
    EVENTS,
    ConversationStoreUnavailable,
    _has_events,
    _tracker_engine,
)

FALLBACK_ACTIONS = frozenset(
    {
        "action_two_stage_fallback",
        "action_default_fallback",
        "action_default_ask_affirmation",
        "action_default_ask_rephrase",
    }
)
NLU_FALLBACK = "nlu_fallback"
STORE_NEED_ACTION = "action_store_need"
LOW_CONFIDENCE: float = 0.6

_USER, _BOT, _ACTION = "user", "bot", "action"
# Columns of Rasa's SQLEvent that bot.conversations.EVENTS does not declare.
_ACTION_NAME = column("action_name", String(255))
_DATA = column("data", Text)


@dataclass(frozen=True)
class Message:
    index: int  # position in the transcript, from 0
    at: datetime  # tz-aware UTC
    who: str  # "user" | "bot"
    text: str  # redacted
    # User messages: the predicted intent and its confidence; after an NLU fallback, the
    # classifier's best guess (see _intent).
    intent: str | None
    confidence: float | None
    # User messages: NLU said nlu_fallback, or a fallback action ran before the next message.
    fell_back: bool


@dataclass(frozen=True)
class Summary:
    sender_id: str
    started_at: datetime
    last_at: datetime
    user_messages: int
    had_fallback: bool
    logged_need: bool  # action_store_need ran
    min_confidence: float | None  # lowest intent confidence of the user messages
    first_message: str  # redacted


def _utc(timestamp: float | None) -> datetime:
    return datetime.fromtimestamp(timestamp or 0.0, tz=timezone.utc)


def _ts(moment: datetime) -> float:
    if moment.tzinfo is None:  # naive means UTC throughout Klik
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _load(raw: str | None) -> dict:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _clean(text) -> str:
    return privacy.redact(text).text if isinstance(text, str) and text else ""


def _named(intent) -> tuple[str | None, float | None]:
    if not isinstance(intent, dict):
        return None, None
    name = intent.get("name") if isinstance(intent.get("name"), str) else None
    confidence = intent.get("confidence")
    if isinstance(confidence, (int, float)) and not isinstance(confidence, bool):
        return name, float(confidence)
    return name, None


def _intent(data: dict) -> tuple[str | None, float | None, bool]:
    """(intent, confidence, nlu fell back) of a user event.

    Rasa's FallbackClassifier replaces the prediction by nlu_fallback with its threshold as
    confidence, which tells a reviewer nothing; the classifier's own best guess is still in
    the ranking, so we show that one and mark the message as fallen back.
    """
    parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
    name, confidence = _named(parse.get("intent"))
    if name != NLU_FALLBACK:
        return name, confidence, False
    ranking = parse.get("intent_ranking") if isinstance(parse.get("intent_ranking"), list) else []
    for entry in ranking:
        guess, guess_confidence = _named(entry)
        if guess and guess != NLU_FALLBACK:
            return guess, guess_confidence, True
    return name, confidence, True


def _bot_text(data: dict) -> str | None:
    """The bot's text; None for an event the widget would not show (no text, buttons or card)."""
    text = data.get("text") if isinstance(data.get("text"), str) else ""
    extra = data.get("data") if isinstance(data.get("data"), dict) else {}
    if text or extra.get("buttons") or extra.get("custom"):
        return text
    return None


def _messages(rows: Iterable) -> list[Message]:
    """Turn one conversation's rows (type_name, timestamp, action_name, data) into messages."""
    messages: list[Message] = []
    pending: dict | None = None  # the last user message, until the next message or fallback

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            messages.append(Message(index=len(messages), **pending))
            pending = None

    for type_name, timestamp, action_name, raw in rows:
        if type_name == _ACTION:
            if pending is not None and action_name in FALLBACK_ACTIONS:
                pending["fell_back"] = True
            continue
        data = _load(raw)
        if type_name == _USER:
            flush()
            intent, confidence, fell_back = _intent(data)
            pending = dict(
                at=_utc(timestamp), who=_USER, text=_clean(data.get("text")),
                intent=intent, confidence=confidence, fell_back=fell_back,
            )
        elif type_name == _BOT:
            text = _bot_text(data)
            if text is None:
                continue
            flush()
            messages.append(Message(
                index=len(messages), at=_utc(timestamp), who=_BOT, text=_clean(text),
                intent=None, confidence=None, fell_back=False,
            ))
    flush()
    return messages


def _rows(statement, tracker_url: str | None) -> list:
    """Rows of a select on the events table; none when Rasa never created it."""
    try:
        with _tracker_engine(tracker_url).connect() as conn:
            if not _has_events(conn):
                return []
            return conn.execute(statement).all()
    except SQLAlchemyError as exc:
        raise ConversationStoreUnavailable(f"tracker store not readable: {exc}") from exc


_COLUMNS = (EVENTS.c.type_name, EVENTS.c.timestamp, _ACTION_NAME, _DATA)
_KINDS = EVENTS.c.type_name.in_((_USER, _BOT, _ACTION))


def transcript(sender_id: str, *, tracker_url: str | None = None) -> list[Message]:
    """The messages of one conversation in order; an empty list for an unknown sender."""
    if not sender_id:
        return []
    rows = _rows(
        select(*_COLUMNS)
        .select_from(EVENTS)
        .where(EVENTS.c.sender_id == sender_id, _KINDS)
        .order_by(EVENTS.c.timestamp, EVENTS.c.id),
        tracker_url,
    )
    return _messages(rows)


def _conversations(since, until, tracker_url) -> dict[str, list[tuple]]:
    """Every conversation whose last message falls in [since, until), with its rows."""
    last = func.max(EVENTS.c.timestamp)
    recent = (
        select(EVENTS.c.sender_id.label("sender_id"))
        .where(EVENTS.c.type_name.in_((_USER, _BOT)))
        .group_by(EVENTS.c.sender_id)
    )
    if since is not None:
        recent = recent.having(last >= _ts(since))
    if until is not None:
        recent = recent.having(last < _ts(until))
    recent = recent.subquery()
    rows = _rows(
        select(EVENTS.c.sender_id, *_COLUMNS, EVENTS.c.id)
        .select_from(EVENTS)
        .join(recent, recent.c.sender_id == EVENTS.c.sender_id)
        .where(_KINDS)
        .order_by(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.id),
        tracker_url,
    )
    grouped: dict[str, list] = {}
    for sender_id, type_name, timestamp, action_name, data, _id in rows:
        grouped.setdefault(sender_id, []).append((type_name, timestamp, action_name, data))
    return grouped


def _summary(sender_id: str, rows: list) -> Summary | None:
    messages = _messages(rows)
    if not messages:
        return None
    users = [m for m in messages if m.who == _USER]
    confidences = [m.confidence for m in users if m.confidence is not None]
    return Summary(
        sender_id=sender_id,
        started_at=messages[0].at,
        last_at=messages[-1].at,
        user_messages=len(users),
        had_fallback=any(m.fell_back for m in users),
        logged_need=any(r[0] == _ACTION and r[2] == STORE_NEED_ACTION for r in rows),
        min_confidence=min(confidences) if confidences else None,
        first_message=users[0].text if users else "",
    )


def summaries(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    tracker_url: str | None = None,
) -> list[Summary]:
    """One summary per conversation whose last message is in [since, until), newest first."""
    found = [
        summary
        for sender_id, rows in _conversations(since, until, tracker_url).items()
        if (summary := _summary(sender_id, rows)) is not None
    ]
    found.sort(key=lambda s: (s.last_at, s.sender_id), reverse=True)
    return found


def fallback_messages(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    tracker_url: str | None = None,
) -> list[Message]:
    """The user messages in [since, until) that fell back, oldest first."""
    low = _ts(since) if since is not None else None
    high = _ts(until) if until is not None else None
    found: list[Message] = []
    for rows in _conversations(since, None, tracker_url).values():
        for message in _messages(rows):
            if message.who != _USER or not message.fell_back:
                continue
            moment = message.at.timestamp()
            if (low is None or moment >= low) and (high is None or moment < high):
                found.append(message)
    found.sort(key=lambda m: m.at)
    return found
