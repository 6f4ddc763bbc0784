"""The search conversation: start, fill the form, show results, more results, details."""
from __future__ import annotations

import asyncio

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import menu, places
from bot.catalogue import get_offering, search
from bot.chat import offerings as cards
from bot.chat.search_state import (FACET_SLOTS, SEARCH_OFFER_SLOT, correction_from_message,
                                   heard_besides, query_from_slots, start_slots,
                                   update_from_message)
from bot.db import session_scope

# Intents that are answers to the form's question; any other intent leaves the form to its rule.
FORM_ANSWERS = {"inform", "search_activity", "nonsense", "nlu_fallback", "affirm", "show_more"}


def _latest(tracker: Tracker) -> tuple[str, list[dict], str | None]:
    msg = tracker.latest_message or {}
    return msg.get("text") or "", msg.get("entities") or [], (msg.get("intent") or {}).get("name")


def _search_slots(tracker: Tracker) -> dict:
    return {name: tracker.get_slot(name) for name in ("municipality", *FACET_SLOTS)}


async def _in_thread(fn, *args):
    # Database work stays off the action server's event loop.
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


def _run_search(slots: dict, offset: int):
    with session_scope() as session:
        return search(session, query_from_slots(slots), offset=offset)


def _details(offering_id):
    with session_scope() as session:
        return get_offering(session, offering_id)


class ActionStartSearch(Action):
    """A new search: keep the place, take every facet the message names, forget the rest."""

    def name(self) -> str:
        return "action_start_search"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text, entities, _ = _latest(tracker)
        found = await _in_thread(start_slots, text, entities)
        # The person's own words, in case nothing fits and they agree to pass the need on.
        return new_search_events(found, text if not text.startswith("/") else None)


def new_search_events(found: dict, own_words: str | None) -> list:
    """The slots of a new search that starts with ``found`` (search_state.start_slots)."""
    events = [SlotSet(name, found.get(name)) for name in FACET_SLOTS]
    if "municipality" in found:
        events.append(SlotSet("municipality", found["municipality"]))
    return events + [SlotSet("municipality_candidates", None), SlotSet("form_misses", None),
                     SlotSet("search_offset", None), SlotSet("search_text", own_words),
                     SlotSet(SEARCH_OFFER_SLOT, None)]


class ActionCorrectSearch(Action):
    """"Nee, ik bedoel Genk" after the results: keep the search, change what the message names."""

    def name(self) -> str:
        return "action_correct_search"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text, entities, _ = _latest(tracker)
        changed = await _in_thread(correction_from_message, text, entities)
        return [SlotSet(k, v) for k, v in changed.items()] + [
            SlotSet("municipality_candidates", None), SlotSet("form_misses", None),
            SlotSet("search_offset", None)]


class ValidateSearchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_search_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text, entities, intent = _latest(tracker)
        requested = tracker.get_slot("requested_slot")
        update = await _in_thread(update_from_message, text, entities, requested, _search_slots(tracker))
        if update.understood:
            heard = heard_besides(update, requested)
            if heard:
                dispatcher.utter_message(response="utter_search_heard", what=", ".join(heard))
            return [SlotSet(k, v) for k, v in update.slots.items()] + [
                SlotSet("municipality_candidates", update.candidates or None),
                SlotSet("form_misses", None),
            ]
        if intent in FORM_ANSWERS and requested:  # the opening message answers no question yet
            # Not understood, but meant as an answer: ask again, with a hint.
            return [SlotSet("form_misses", (tracker.get_slot("form_misses") or 0) + 1)]
        return []  # another topic: the form steps aside and that topic's rule answers


class ActionAskMunicipality(Action):
    def name(self) -> str:
        return "action_ask_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        candidates = tracker.get_slot("municipality_candidates") or []
        if candidates:
            names = " of ".join(places.display_name(c) or c for c in candidates)
            buttons = [c.as_button() for c in cards.municipality_choices(candidates)]
            dispatcher.utter_message(response="utter_did_you_mean", names=names, buttons=buttons)
        elif tracker.get_slot("form_misses"):
            dispatcher.utter_message(response="utter_ask_municipality_hint",
                                     buttons=[cards.municipality_choices([])[-1].as_button()])
        else:
            dispatcher.utter_message(response="utter_ask_municipality",
                                     buttons=[cards.municipality_choices([])[-1].as_button()])
        return []


def ask_with_buttons(dispatcher: CollectingDispatcher, tracker: Tracker, response: str,
                     choices: list) -> list:
    """The question for one slot with its buttons; after a miss, the question with a hint."""
    if tracker.get_slot("form_misses"):
        response = f"{response}_hint"
    dispatcher.utter_message(response=response, buttons=[c.as_button() for c in choices])
    return []


class ActionAskCategory(Action):
    def name(self) -> str:
        return "action_ask_category"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return ask_with_buttons(dispatcher, tracker, "utter_ask_category", cards.category_choices())


class ActionAskAudience(Action):
    def name(self) -> str:
        return "action_ask_audience"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return ask_with_buttons(dispatcher, tracker, "utter_ask_audience", cards.audience_choices())


async def show_results(dispatcher: CollectingDispatcher, tracker: Tracker, offset: int):
    result = await _in_thread(_run_search, _search_slots(tracker), offset)
    on_screen = []
    if result.items:
        if offset == 0:
            dispatcher.utter_message(response="utter_search_found", count=result.total)
        buttons = ([cards.SHOW_MORE] if result.has_more else []) + [cards.SEARCH_OTHER]
        dispatcher.utter_message(**cards.offerings_message(result.items, buttons))
        on_screen = result.items
    elif offset > 0:
        dispatcher.utter_message(response="utter_search_no_more",
                                 buttons=[cards.SEARCH_OTHER.as_button()])
    else:
        dispatcher.utter_message(response="utter_search_none")
        on_screen = [item for alt in result.alternatives for item in alt.items]
        for alt in result.alternatives:
            dispatcher.utter_message(response="utter_search_alternative", label=alt.label)
            dispatcher.utter_message(**cards.offerings_message(alt.items))
        dispatcher.utter_message(response="utter_offer_note_need", buttons=[
            {"title": "Ja, geef het door", "payload": "/note_need"},
            {"title": "Nee, dank je", "payload": "/deny"},
            cards.SEARCH_OTHER.as_button(),
        ])
    if result.is_sample:
        dispatcher.utter_message(response="utter_sample_data")
    events = [SlotSet("search_offset", float(result.next_offset) if result.has_more else None)]
    if offset == 0 or result.items:  # "no more results" leaves the last page on screen
        events.append(SlotSet("shown_offerings", cards.shown(on_screen) or None))
    return events


class ActionSearchOfferings(Action):
    def name(self) -> str:
        return "action_search_offerings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return await show_results(dispatcher, tracker, 0)


class ActionShowMore(Action):
    def name(self) -> str:
        return "action_show_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        offset = tracker.get_slot("search_offset")
        if not offset:
            dispatcher.utter_message(response="utter_search_no_more",
                                     buttons=[cards.SEARCH_OTHER.as_button()])
            return []
        return await show_results(dispatcher, tracker, int(offset))


class ActionOfferingDetails(Action):
    def name(self) -> str:
        return "action_offering_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text, entities, _ = _latest(tracker)
        ids = [e.get("value") for e in entities if e.get("entity") == "offering_id"]
        on_screen = tracker.get_slot("shown_offerings") or []
        chosen = ids[0] if ids else cards.offering_asked_about(text, on_screen)
        if chosen is None:
            # Typed "hoeveel kost dat" without saying which: ask, or say a search comes first.
            if on_screen:
                dispatcher.utter_message(response="utter_which_offering",
                                         buttons=cards.which_offering_buttons(on_screen))
            else:
                dispatcher.utter_message(response="utter_offering_none_shown",
                                         buttons=[menu.MAIN_MENU[0].as_button()])
            return []
        details = await _in_thread(_details, chosen)
        if details is None:
            dispatcher.utter_message(response="utter_offering_unknown",
                                     buttons=[cards.SEARCH_OTHER.as_button()])
            return []
        buttons = [cards.SEARCH_OTHER.as_button()]
        if tracker.get_slot("search_offset"):
            buttons.insert(0, cards.SHOW_MORE.as_button())
        dispatcher.utter_message(text=cards.details_text(details), buttons=buttons)
        if details.item.is_sample:
            dispatcher.utter_message(response="utter_sample_data")
        return []
