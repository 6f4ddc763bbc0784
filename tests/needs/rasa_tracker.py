"""Conversations written by Rasa's own SQLTrackerStore, for the forget-me and purge tests."""
from __future__ import annotations

from datetime import datetime

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

DOMAIN = Domain.from_dict({"intents": ["greet", "report_need"], "responses": {}})


def tracker_store(url: str) -> SQLTrackerStore:
    # The way endpoints.yml configures it: the whole SQLAlchemy URL as host.
    return SQLTrackerStore(DOMAIN, host=url)


async def save_conversation(
    store: SQLTrackerStore, sender_id: str, when: datetime, texts=("hallo", "zwemles?")
) -> int:
    """Store a short conversation, every event stamped ``when``; returns the event count."""
    ts = when.timestamp()
    events = [
        ActionExecuted("action_session_start", timestamp=ts),
        SessionStarted(timestamp=ts),
        ActionExecuted("action_listen", timestamp=ts),
    ]
    for text in texts:
        events += [
            UserUttered(text, intent={"name": "greet", "confidence": 1.0}, timestamp=ts),
            BotUttered(f"Antwoord op {text}", timestamp=ts),
            ActionExecuted("action_listen", timestamp=ts),
        ]
    tracker = DialogueStateTracker.from_events(sender_id, events, slots=DOMAIN.slots)
    await store.save(tracker)
    return len(events)
