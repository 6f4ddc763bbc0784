"""The curated knowledge base and retrieval over it (issue 4).

Rasa actions and the gateway call these functions; the index is built once per process::

    hit = knowledge.answer("hoe krijg ik een uitpas?", region="vlaanderen")
    if hit and hit.confident:
        message = knowledge.chat_message(hit.entry)
"""
from __future__ import annotations

from functools import lru_cache

from bot.knowledge.chat import chat_message, source_line
from bot.knowledge.model import (
    CATALOGUE_FEATURES,
    COST_FILTERS,
    REGIONS,
    Button,
    Entry,
    KnowledgeBase,
    KnowledgeError,
    Source,
    default,
    load,
)
from bot.knowledge.retrieval import KnowledgeHit, Retriever

__all__ = [
    "CATALOGUE_FEATURES", "COST_FILTERS", "REGIONS", "Button", "Entry", "KnowledgeBase", "KnowledgeError",
    "KnowledgeHit", "Retriever", "Source", "answer", "chat_message", "default", "entries",
    "get", "load", "region_of", "retriever", "search", "source_line",
]


@lru_cache(maxsize=1)
def retriever() -> Retriever:
    """The index over the shipped knowledge base, built on first use."""
    return Retriever(default())


def answer(text: str, *, region: str | None = None) -> KnowledgeHit | None:
    """Best entry for ``text`` or None ("ik weet het niet"). ``region``: vlaanderen/brussel."""
    return retriever().answer(text, region=region)


def search(text: str, *, region: str | None = None, limit: int = 3) -> list[KnowledgeHit]:
    return retriever().search(text, region=region, limit=limit)


def region_of(nis_code: str | None) -> str | None:
    """"brussel" or "vlaanderen" for a municipality's NIS code (the municipality slot)."""
    from bot.places import by_nis

    municipality = by_nis(nis_code) if nis_code else None
    if municipality is None:
        return None
    return "brussel" if municipality.in_brussels else "vlaanderen"


def get(entry_id: str) -> Entry | None:
    return default().get(entry_id)


def entries() -> tuple[Entry, ...]:
    return default().entries
