"""An entry as a chat message in the shape of Rasa's REST channel (text, buttons, custom)."""
from __future__ import annotations

import json

from bot.knowledge.model import Entry, SearchOffer


def source_line(entry: Entry) -> str:
    return f"Bron: {entry.source.title}"


def chat_message(entry: Entry) -> dict:
    """One message: the answer, a "Bron: …" line, follow-up buttons, and the source as data.

    Rasa actions send it with ``dispatcher.utter_message(text=m["text"],
    buttons=m["buttons"], json_message=m["custom"])``; the gateway can return it as is.
    """
    return {
        "text": f"{entry.answer}\n\n{source_line(entry)}",
        "buttons": [{"title": b.title, "payload": b.payload} for b in entry.buttons]
        + ([search_button(entry.search)] if entry.search else []),
        "custom": {
            "knowledge": {
                "id": entry.id,
                "topic": entry.topic,
                "source": {"title": entry.source.title, "url": entry.source.url},
                "last_checked": entry.last_checked.isoformat(),
                "applies_to": entry.applies_to,
                "catalogue_features": list(entry.catalogue_features),
            }
        },
    }


SEARCH_INTENT = "search_activity"


def search_button(offer: SearchOffer) -> dict:
    """The button that starts the offered search: ``/search_activity{"barrier": ["gratis"]}``."""
    return {"title": offer.title,
            "payload": f"/{SEARCH_INTENT}{json.dumps(offer.entities(), ensure_ascii=False)}"}
