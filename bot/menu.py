"""What Klik offers as buttons, defined once: greeting, "what can you do" and every fallback."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str

    def as_button(self) -> dict:
        return {"title": self.title, "payload": self.payload}


# Payloads starting with "/" name an intent directly; the others go through NLU like typed text.
MAIN_MENU: tuple[Choice, ...] = (
    Choice("Iets zoeken om te doen", "/search_activity"),
    Choice("Ik heb weinig geld", "Ik heb weinig geld"),
    Choice("Ik durf niet alleen", "Ik durf niet alleen te gaan"),
    Choice("Wat kan Klik?", "/ask_capabilities"),
    Choice("Ik ben hulpverlener", "/i_am_professional"),
)

# How Klik names an intent when it asks "Bedoel je dit: …?" after an unsure guess.
INTENT_LABELS: dict[str, str] = {
    "greet": "hallo zeggen",
    "goodbye": "dag zeggen",
    "thank": "bedankt zeggen",
    "ask_capabilities": "weten wat Klik kan",
    "out_of_scope": "iets anders dan vrije tijd",
    "insult": "zeggen dat je boos bent",
    "affirm": "ja",
    "deny": "nee",
    "nonsense": "iets wat ik niet ken",
    "search_activity": "iets zoeken om te doen",
    "inform": "iets zoeken om te doen",
    "show_more": "meer resultaten zien",
    "search_other": "iets anders zoeken",
    "more_info": "meer info over een activiteit",
    "ask_knowledge": "een vraag over korting, hulp of Klik",
    "distress": "hulp in nood",
    "report_need": "iets melden of een idee geven",
    "note_need": "je vraag laten doorgeven",
    "ask_need_status": "de stand van je melding weten",
    "forget_me": "je gesprek wissen",
    "i_am_professional": "iets zoeken als hulpverlener",
    "choose_offering": "een activiteit kiezen voor de verwijsbrief",
    "make_referral_note": "de verwijsbrief maken",
    "start_over": "opnieuw beginnen",
    "other_language": "een andere taal",
}

YES_NO: tuple[Choice, ...] = (Choice("Ja", "/affirm"), Choice("Nee", "/deny"))


def main_menu_buttons() -> list[dict]:
    return [c.as_button() for c in MAIN_MENU]


def yes_no_buttons() -> list[dict]:
    return [c.as_button() for c in YES_NO]


def intent_label(intent: str | None) -> str | None:
    """The Dutch label of an intent, or None when Klik should not guess aloud."""
    return INTENT_LABELS.get(intent or "")
