"""Tracker fixtures for testing actions the way the action server runs them."""
from __future__ import annotations

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import PROJECT_ROOT


def make_tracker(text: str = "hallo", intent: str = "greet", slots: dict | None = None,
                 metadata: dict | None = None, ranking: list[dict] | None = None,
                 entities: list[dict] | None = None) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": entities or [],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id="0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10",
        slots=slots or {},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
