"""What Klik proposes to pass on as an unmet need, from where the conversation stands."""
from __future__ import annotations

from dataclasses import dataclass

from bot import places
from bot.catalogue import taxonomy

IDEA_WORDS = ("idee", "voorstel", "suggestie", "zou fijn zijn", "moet komen", "zou moeten")
# Words of "I want to report something" that say nothing about the need itself.
ANNOUNCING = frozenset("""ik kheb wil wou zou graag iets een heb melden melding idee voorstel
suggestie doen doorgeven geven probleem mag kan ik aan de het gemeente stad wens feedback hebben
even dit dat er is over""".split())


@dataclass(frozen=True)
class NeedDraft:
    kind: str  # nood / idee / vraag_zonder_antwoord
    text: str  # the person's own words where Klik has them (redacted when stored)


def _search_words(slots: dict) -> str | None:
    """A short description of the search that found nothing, from its slots."""
    if slots.get("search_text"):
        return slots["search_text"]
    parts = []
    if slots.get("category") in taxonomy.CATEGORIES:
        parts.append(taxonomy.CATEGORIES[slots["category"]].label)
    if slots.get("audience") in taxonomy.AUDIENCES:
        parts.append("voor " + taxonomy.AUDIENCES[slots["audience"]].label)
    if slots.get("municipality") and places.display_name(slots["municipality"]):
        parts.append("in " + places.display_name(slots["municipality"]))
    return " ".join(parts) or None


def draft_need(intent: str | None, text: str, slots: dict) -> NeedDraft | None:
    """The need to ask consent for, or None when Klik does not know what it would pass on."""
    if intent == "affirm" and slots.get("need_text"):
        # Saving failed a moment ago (ActionStoreNeed asks again): the same need, once more.
        return NeedDraft(slots.get("need_kind") or "nood", slots["need_text"])
    words = [w.strip(".,!?:;").lower() for w in text.split()]
    if intent == "report_need" and any(w and w not in ANNOUNCING for w in words):
        lowered = text.lower()
        kind = "idee" if any(w in lowered for w in IDEA_WORDS) else "nood"
        return NeedDraft(kind, text)
    if slots.get("unanswered_question"):
        return NeedDraft("vraag_zonder_antwoord", slots["unanswered_question"])
    searched = _search_words(slots)
    if searched:
        return NeedDraft("nood", searched)
    return None


def need_origin(slots: dict) -> dict:
    """Who passes the need on, with its barriers and audience: a social worker in referral mode
    (from the intake), else a resident (from the search)."""
    if slots.get("referral_mode"):
        from bot.chat.referral import need_fields

        return {"source": "hulpverlener", **need_fields(slots)}
    audience = slots.get("audience")
    return {"source": "inwoner", "barriers": barriers_of_search(slots),
            "audience": None if audience in (None, "any") else audience}


def barriers_of_search(slots: dict) -> list[str]:
    """A resident's search in the intake's barrier codes, so every need counts in one table:
    the access features asked for (weinig Nederlands → taal) and money (gratis, a price cap)."""
    from bot.referral.matching import BARRIER_FEATURES

    by_feature: dict[str, str] = {}
    for barrier, features in BARRIER_FEATURES.items():
        for feature in features:
            by_feature.setdefault(feature, barrier)
    found = ["geld"] if slots.get("free") or slots.get("max_price_cents") else []
    for feature in slots.get("features") or ():
        barrier = by_feature.get(feature)
        if barrier and barrier not in found:
            found.append(barrier)
    return found
