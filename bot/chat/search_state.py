"""The search form's state: which slots a message fills, and the query the slots make."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot import places
from bot.catalogue import (
    ANY,
    SearchQuery,
    extract_facets,
    normalize_audience,
    normalize_category,
)
from bot.catalogue import display, taxonomy

# Slots the search owns; a new search clears all of them except the municipality.
FACET_SLOTS = ("category", "audience", "age", "features", "free", "max_price_cents",
               "part_of_day", "search_words")
REQUIRED = ("municipality", "category", "audience")
# The search a knowledge answer just offered (bot.knowledge.SearchOffer.entities), for a "ja".
SEARCH_OFFER_SLOT = "search_offer"


@dataclass
class Update:
    """What one message changes in the search state."""

    slots: dict = field(default_factory=dict)
    candidates: list[str] = field(default_factory=list)  # NIS codes for "Bedoel je …?"

    @property
    def understood(self) -> bool:
        # Loose words alone ("blrp", "yoga") only help ranking; they do not answer a question.
        return bool(set(self.slots) - {"search_words"} or self.candidates)


def facet_slots(text: str) -> dict:
    """Every facet the text names, as slot values (only what is there)."""
    if (text or "").startswith("/"):
        return {}  # a button's payload ("/search_activity"): its words are no search words
    f = extract_facets(text or "")
    slots: dict = {}
    if f.municipality:
        slots["municipality"] = f.municipality
    if f.category:
        slots["category"] = f.category
    if f.audience:
        slots["audience"] = f.audience
    if f.age is not None:
        slots["age"] = float(f.age)
        slots.setdefault("audience", taxonomy.audience_for_age(f.age))
    if f.features:
        slots["features"] = list(f.features)
    if f.free:
        slots["free"] = True
    if f.max_price_cents is not None:
        slots["max_price_cents"] = float(f.max_price_cents)
    if f.part_of_day:
        slots["part_of_day"] = f.part_of_day
    if f.words:
        slots["search_words"] = list(f.words)
    return slots


# Rasa's own name for the entities of a "/intent{...}" button payload.
PAYLOAD_EXTRACTOR = "RegexMessageHandler"


def chosen_entities(entities: list[dict]) -> list[dict]:
    """Entities from a button, plus the place. The facet entities NLU finds in typed text
    (bot/nlp/facet_extractor.py) are left out: the text itself is read by facet_slots, with
    the rule that a filled slot only changes when it was asked."""
    return [e for e in entities or [] if e.get("entity") == "municipality"
            or e.get("extractor") in (None, PAYLOAD_EXTRACTOR)]


def _from_entities(entities: list[dict]) -> dict:
    """Values chosen with a button (payload entities), already codes."""
    slots = {}
    for ent in chosen_entities(entities):
        name, value = ent.get("entity"), ent.get("value")
        if name == "municipality" and (value == ANY or places.by_nis(str(value))):
            slots["municipality"] = str(value)
        elif name in ("category", "audience") and value == ANY:  # the "Maakt niet uit" button
            slots[name] = ANY
        elif name == "category" and normalize_category(value, strict=True):
            slots["category"] = normalize_category(value, strict=True)
        elif name == "audience" and normalize_audience(value, strict=True):
            slots["audience"] = normalize_audience(value, strict=True)
        elif name == "barrier" and value == "gratis":  # a knowledge answer's search button
            slots["free"] = True
        elif name == "barrier" and value in taxonomy.FEATURES:
            slots["features"] = [*slots.get("features", []), value]
    return slots


def payload_slots(found: dict) -> dict:
    """Slots of payload entities written as one mapping: {"barrier": ["gratis"]}."""
    return _from_entities([
        {"entity": name, "value": v}
        for name, values in found.items()
        for v in (values if isinstance(values, list) else [values])
    ])


def start_slots(text: str, entities: list[dict]) -> dict:
    """What a new search starts with: the facets of the typed text, or of a button's payload
    ("/search_activity{"barrier": ["begeleiding"]}" from a knowledge answer)."""
    return {**facet_slots(text), **_from_entities(entities)}


def update_from_message(text: str, entities: list[dict], requested_slot: str | None,
                        current: dict) -> Update:
    """Fill what the message says; for the slot Klik asked about, also accept a loose answer."""
    update = Update(slots=_from_entities(entities))
    if (text or "").startswith("/"):
        return update  # a button: its payload ("/inform{...}") holds no words to read
    for key, value in facet_slots(text).items():
        # A new value for a slot already filled counts only when it was asked or is the place.
        if key not in update.slots and (current.get(key) in (None, [], False)
                                         or key in ("municipality", requested_slot)):
            update.slots[key] = value
    if requested_slot and requested_slot not in update.slots:
        if extract_facets(text or "").indifferent:
            update.slots[requested_slot] = ANY
        elif requested_slot == "municipality":
            resolution = places.resolve(text or "")
            if resolution.municipality:
                update.slots["municipality"] = resolution.municipality.nis_code
            elif resolution.kind == places.ASK:
                update.candidates = [m.nis_code for m in resolution.candidates]
    return update


def heard_besides(update: Update, requested_slot: str | None) -> list[str]:
    """What a message added without answering the form's question, in a few Dutch words:
    "ik heb geen opvang" while Klik asks "Wat doe je graag?" → ["kinderopvang"]. The form then
    asks its question again; saying what it heard shows the message was not ignored."""
    if not requested_slot or requested_slot in update.slots or update.candidates:
        return []
    slots = update.slots
    heard = []
    if slots.get("municipality") not in (None, ANY) and places.by_nis(str(slots["municipality"])):
        heard.append(f"in {places.display_name(slots['municipality'])}")
    if slots.get("category") not in (None, ANY):
        heard.append(taxonomy.label(taxonomy.CATEGORIES, slots["category"]))
    if slots.get("audience") not in (None, ANY):
        heard.append(f"voor {taxonomy.label(taxonomy.AUDIENCES, slots['audience'])}")
    heard += [taxonomy.label(taxonomy.FEATURES, code) for code in slots.get("features") or []]
    if slots.get("free"):
        heard.append("gratis")
    elif slots.get("max_price_cents"):
        heard.append(f"tot {display.euro(int(slots['max_price_cents']))}")
    if slots.get("part_of_day"):
        heard.append(taxonomy.label(taxonomy.PARTS_OF_DAY, slots["part_of_day"]))
    return heard


def correction_from_message(text: str, entities: list[dict]) -> dict:
    """"Nee, ik bedoel Genk": every facet the message names replaces the one Klik had. Loose
    words are left out: "nee ik bedoel" are no search words."""
    slots = {**facet_slots(text), **_from_entities(entities)}
    slots.pop("search_words", None)
    return slots


# What "opnieuw" forgets: the search and the referral in progress. The place stays (the person
# still lives there, and the widget's site names it anyway).
START_OVER_SLOTS = (*FACET_SLOTS, "municipality_candidates", "form_misses", "search_offset",
                    "search_text", SEARCH_OFFER_SLOT, "requested_slot", "referral_mode", "client_group",
                    "client_ages", "referral_barriers", "referral_barriers_done",
                    "discount_status", "client_language", "referral_matches", "referral_chosen")


def query_from_slots(slots: dict) -> SearchQuery:
    def value(name):
        v = slots.get(name)
        return None if v in (None, ANY) else v

    age = value("age")
    return SearchQuery(
        municipality=value("municipality"),
        scope="all" if slots.get("municipality") == ANY else "auto",
        category=value("category"),
        audience=value("audience"),
        age=int(age) if age is not None else None,
        features=tuple(slots.get("features") or ()),
        free=bool(slots.get("free")),
        max_price_cents=int(slots["max_price_cents"]) if slots.get("max_price_cents") else None,
        part_of_day=value("part_of_day"),
        words=tuple(slots.get("search_words") or ()),
    )
