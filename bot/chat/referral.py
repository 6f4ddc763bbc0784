"""The referral intake in the chat (issue 8): what a worker's message fills, the buttons of each
question, the profile the slots make, and the messages for matches and the note.

Codes come from bot/referral/profile.py; only codes and ages ever reach a slot, never free text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bot import places
from bot.catalogue import ANY
from bot.catalogue.terms import tokens
from bot.chat.search_state import chosen_entities, update_from_message
from bot.menu import Choice
from bot.referral import eligibility
from bot.referral.matching import Match
from bot.referral.profile import (
    BARRIERS,
    GROUP_AUDIENCE,
    GROUPS,
    LANGUAGES,
    STATUSES,
    ClientProfile,
    ProfileError,
    normalize_barrier,
    normalize_group,
    normalize_language,
    normalize_status,
    parse_ages,
)

# Slots of the referral; a new referral clears them all (the place stays when already known).
SLOTS = ("client_group", "client_ages", "referral_barriers", "referral_barriers_done",
         "discount_status", "client_language", "referral_matches", "referral_chosen")
SKIP = "onbekend"  # "weet ik niet" for the optional questions
NO_BARRIER = "geen"
GROUPS_WITH_AGES = ("kind", "gezin")
MAX_CHOSEN = 5

_SKIP_WORDS = frozenset("weet niet onbekend geen overslaan sla over skip maakt uit".split())
_FAMILY_WORDS = frozenset("gezin gezinnen familie".split())
_NO_BARRIER_WORDS = ("geen drempel", "geen drempels", "niets", "geen", "nee")
_ORDINALS = {"eerste": 1, "1ste": 1, "een": 1, "tweede": 2, "2de": 2, "twee": 2, "derde": 3,
             "3de": 3, "drie": 3, "vierde": 4, "4de": 4, "vier": 4, "vijfde": 5, "5de": 5,
             "vijf": 5, "laatste": -1}


@dataclass
class IntakeUpdate:
    slots: dict = field(default_factory=dict)
    candidates: list[str] = field(default_factory=list)

    @property
    def understood(self) -> bool:
        return bool(self.slots or self.candidates)


def _payload_values(entities: list[dict]) -> dict[str, str]:
    return {e.get("entity"): str(e.get("value")) for e in chosen_entities(entities)
            if e.get("value") is not None}


def _is_skip(text: str) -> bool:
    toks = set(tokens(text or ""))
    return bool(toks) and toks <= _SKIP_WORDS | {"ik", "het", "dat", "niet", "de"} and bool(toks & _SKIP_WORDS)


def group_in(text: str) -> str | None:
    """The client group a message names; a family wins over the children in it."""
    toks = set(tokens(text or ""))
    if toks & _FAMILY_WORDS:
        return "gezin"
    return normalize_group(text) if toks else None


def barriers_in(text: str) -> list[str]:
    """Every barrier named in a message ("geen geld en geen auto" → geld, vervoer)."""
    found: list[str] = []
    for part in re.split(r"\s*(?:,|;|/|\ben\b|\bof\b|\+)\s*", text or ""):
        code = normalize_barrier(part) if part.strip() else None
        if code and code not in found:
            found.append(code)
    return found


def _ages_in(text: str, facets_age: float | None) -> list[int]:
    ages = list(parse_ages(text))
    if not ages and facets_age is not None:
        ages = [int(facets_age)]
    return ages


def opening_slots(text: str, entities: list[dict]) -> dict:
    """What a worker's first message already says: place, who, ages, interest."""
    update = update_from_message(text, entities, None, {})
    slots: dict = {}
    if update.slots.get("municipality") not in (None, ANY):
        slots["municipality"] = update.slots["municipality"]
    if update.slots.get("category") not in (None, ANY):
        slots["category"] = update.slots["category"]
    group = group_in(text)
    if group:
        slots["client_group"] = group
        age = update.slots.get("age")
        if group in GROUPS_WITH_AGES and age is not None:
            slots["client_ages"] = [int(age)]
    return slots


def intake_correction(text: str, entities: list[dict]) -> IntakeUpdate:
    """"Nee, ik bedoel Genk" during the intake: the place it names replaces the one Klik had;
    the question that was open stays open."""
    found = update_from_message(text, entities, "municipality", {})
    update = IntakeUpdate()
    value = found.slots.get("municipality")
    if value not in (None, ANY):
        update.slots["municipality"] = value
    return update


def read_message(text: str, entities: list[dict], intent: str | None, requested: str | None,
                 current: dict) -> IntakeUpdate:
    """One message during the intake: a correction ("nee" with a place) or an answer."""
    if intent == "deny" and any(e.get("entity") == "municipality" for e in entities):
        return intake_correction(text, entities)
    return intake_update(text, entities, requested, current)


def intake_update(text: str, entities: list[dict], requested: str | None, current: dict) -> IntakeUpdate:
    """What one message fills in the intake; for the asked slot, also a loose answer."""
    payload = _payload_values(entities)
    update = IntakeUpdate()
    if requested in ("municipality", "category") or not payload:
        search = update_from_message(text, entities, requested, current)
        for key in ("municipality", "category"):
            value = search.slots.get(key)
            if value is not None and not (key == "municipality" and value == ANY):
                if key == requested or current.get(key) in (None, ANY):
                    update.slots[key] = value
        update.candidates = search.candidates if requested == "municipality" else []

    if requested == "client_group":
        group = payload.get("client_group") if payload.get("client_group") in GROUPS else group_in(text)
        if group:
            update.slots["client_group"] = group
            ages = _ages_in(text, None) if group in GROUPS_WITH_AGES else []
            if ages:
                update.slots["client_ages"] = ages
    elif requested == "client_ages":
        ages = parse_ages(text)
        if ages:
            update.slots["client_ages"] = list(ages)
        elif _is_skip(text):
            update.slots["client_ages"] = []
    elif requested == "referral_barriers_done":
        chosen = list(current.get("referral_barriers") or [])
        button = payload.get("barrier")
        if button == NO_BARRIER:
            update.slots.update(referral_barriers=[], referral_barriers_done=True)
        elif button in BARRIERS:
            # A button toggles one barrier; the question comes back until "Klaar".
            chosen = [b for b in chosen if b != button] if button in chosen else chosen + [button]
            update.slots["referral_barriers"] = chosen
        elif text.strip().startswith("/affirm") or (not payload and tokens(text) in (["klaar"], ["ok"])):
            update.slots["referral_barriers_done"] = True
        else:
            typed = barriers_in(text)
            if typed:
                update.slots.update(referral_barriers=list(dict.fromkeys(chosen + typed)),
                                    referral_barriers_done=True)
            elif (text or "").strip().lower().rstrip(".!") in _NO_BARRIER_WORDS:
                update.slots.update(referral_barriers=[], referral_barriers_done=True)
    elif requested == "discount_status":
        status = payload.get("discount_status")
        status = status if status in STATUSES or status == SKIP else normalize_status(text)
        if status is None and _is_skip(text):
            status = SKIP
        if status:
            update.slots["discount_status"] = status
    elif requested == "client_language":
        language = payload.get("client_language")
        language = language if language in LANGUAGES or language == SKIP else normalize_language(text)
        if language is None and _is_skip(text):
            language = SKIP
        if language:
            update.slots["client_language"] = language
    return update


def needs_ages(slots: dict) -> bool:
    return slots.get("client_group") in GROUPS_WITH_AGES and slots.get("client_ages") is None


# --- buttons ---------------------------------------------------------------------------------

def _inform(entity: str, value: str) -> str:
    return "/inform" + json.dumps({entity: value})


def group_choices() -> list[Choice]:
    return [Choice(g.button, _inform("client_group", code)) for code, g in GROUPS.items()]


def barrier_choices(chosen: list[str]) -> list[Choice]:
    marked = [Choice(("✓ " if code in chosen else "") + b.button, _inform("barrier", code))
              for code, b in BARRIERS.items()]
    last = Choice("Klaar", "/affirm") if chosen else Choice("Geen drempels", _inform("barrier", NO_BARRIER))
    return marked + [last]


def status_choices(municipality: str | None) -> list[Choice]:
    m = places.by_nis(municipality) if municipality else None
    codes = ["verhoogde_tegemoetkoming", "leefloon", "schuldbemiddeling", "laag_inkomen"]
    codes += ["heeft_artikel27", "heeft_paspartoe"] if m and m.in_brussels else ["heeft_kansentarief"]
    return [Choice(STATUSES[c].button, _inform("discount_status", c)) for c in codes] + [
        Choice("Weet ik niet", _inform("discount_status", SKIP))]


def language_choices() -> list[Choice]:
    codes = ("nl", "fr", "en", "ar", "tr", "pl", "ro", "andere")
    return [Choice(LANGUAGES[c].button, _inform("client_language", c)) for c in codes] + [
        Choice("Weet ik niet", _inform("client_language", SKIP))]


def choose_choices(matches: list[dict], chosen: list[int]) -> list[Choice]:
    picks = [Choice(f"Kies {i}", "/choose_offering" + json.dumps({"offering_id": str(m["id"])}))
             for i, m in enumerate(matches, 1) if m["id"] not in chosen]
    return picks + ([MAKE_NOTE] if chosen or len(matches) == 1 else [])


MAKE_NOTE = Choice("Maak de brief", "/make_referral_note")


# --- profile, matches, choosing ----------------------------------------------------------------

def profile_from_slots(slots: dict) -> ClientProfile:
    """The anonymous profile the intake made. Raises ProfileError when a required part is missing."""
    status = slots.get("discount_status")
    language = slots.get("client_language")
    category = slots.get("category")
    return ClientProfile.build(
        municipality=slots.get("municipality"),
        group=slots.get("client_group"),
        ages=[int(a) for a in slots.get("client_ages") or []],
        interests=[category] if category not in (None, ANY) else [],
        barriers=slots.get("referral_barriers") or [],
        statuses=[status] if status not in (None, SKIP) else [],
        language=language if language not in (None, SKIP) else None,
        strict=True,
    )


def profile_summary(profile: ClientProfile) -> str:
    """One line for a need when nothing fits: codes turned into words, nothing personal."""
    from bot.catalogue import taxonomy

    what = ", ".join(taxonomy.CATEGORIES[c].label for c in profile.interests) or "vrije tijd"
    who = GROUPS[profile.group].label
    # Age bands, not exact ages: enough for policy, too coarse to point to one family.
    ages = f" ({', '.join(profile.age_bands)} jaar)" if profile.ages else ""
    text = f"{what.capitalize()} voor {who}{ages} in {places.display_name(profile.municipality)}."
    if profile.barriers:
        text += " Drempels: " + ", ".join(BARRIERS[b].label for b in profile.barriers) + "."
    return text


def need_fields(slots: dict) -> dict:
    """Barriers and audience for a need logged from a referral (source hulpverlener)."""
    return {"barriers": list(slots.get("referral_barriers") or []),
            "audience": GROUP_AUDIENCE.get(slots.get("client_group"))}


def match_line(number: int, m: Match) -> str:
    lines = [f"{number}. **{m.name}** – {m.where}. {m.when}. {m.price}."]
    if m.because:
        lines.append(m.because)
    lines += m.discounts[:1]
    if m.is_sample:
        lines.append("(Voorbeeld, geen echt aanbod.)")
    return "\n".join(lines)


def advice_lines(profile: ClientProfile) -> list[str]:
    """For the worker: which discounts may apply (with the source) and the local door."""
    lines = []
    for hint in eligibility.hints(profile)[:3]:
        lines.append(f"**{hint.title}** ({hint.likelihood}): {hint.why}\n"
                     f"Bron: [{hint.source_title}]({hint.source_url})")
    door = eligibility.local_door(profile.municipality)
    if door:
        lines.append(f"Vragen over korting? Je cliënt kan terecht bij {door.name}.")
    return lines


def remembered(matches: list[Match]) -> list[dict]:
    return [{"id": m.offering_id, "name": m.name} for m in matches]


def on_screen(remembered_matches: list[dict]) -> list[dict]:
    """The matches as the shown_offerings slot keeps offerings (bot.chat.offerings.shown), so
    "meer info over de tweede" means the second match."""
    return [{"id": str(m["id"]), "name": m["name"]} for m in remembered_matches]


def picked(text: str, entities: list[dict], matches: list[dict]) -> list[int]:
    """The offerings a message chooses: a button's id, or "de eerste", "2", "de eerste en de derde"."""
    ids = [int(e["value"]) for e in entities or []
           if e.get("entity") == "offering_id" and str(e.get("value")).isdigit()]
    known = [m["id"] for m in matches]
    if ids:
        return [i for i in ids if i in known]
    numbers = []
    for tok in tokens(text or ""):
        n = _ORDINALS.get(tok) or (int(tok) if tok.isdigit() and len(tok) == 1 else None)
        if n == -1 and known:
            n = len(known)
        if n and 1 <= n <= len(known):
            numbers.append(known[n - 1])
    if not numbers:
        # A name: "kies het zwembad" picks the match whose name holds the words.
        words = set(tokens(text or "")) - {"kies", "de", "het", "die", "van", "neem", "ik"}
        numbers = [m["id"] for m in matches if words and words & set(tokens(m["name"]))][:1]
    return list(dict.fromkeys(numbers))


__all__ = ["ProfileError", "SKIP", "SLOTS", "IntakeUpdate", "intake_update", "opening_slots",
           "needs_ages", "advice_lines", "profile_from_slots", "profile_summary", "need_fields", "match_line",
           "remembered", "picked", "group_choices", "barrier_choices", "status_choices",
           "language_choices", "choose_choices", "MAKE_NOTE", "MAX_CHOSEN"]
