"""Greeting and "what can you do": names the person's municipality when Klik knows it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import menu, places
from bot.chat.search_state import START_OVER_SLOTS


def known_municipality(tracker: Tracker):
    """The municipality from the slot, else from the widget's metadata (NIS code)."""
    for candidate in (tracker.get_slot("municipality"), _metadata(tracker).get("municipality")):
        if candidate and places.by_nis(str(candidate)):
            return places.by_nis(str(candidate))
    return None


def _metadata(tracker: Tracker) -> dict[str, Any]:
    meta = (tracker.latest_message or {}).get("metadata") or {}
    return meta if isinstance(meta, dict) else {}


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        place = known_municipality(tracker)
        if place:
            dispatcher.utter_message(response="utter_greet_place", place=place.name_nl)
        else:
            dispatcher.utter_message(response="utter_greet")
        dispatcher.utter_message(response="utter_greet_how", buttons=menu.main_menu_buttons())
        return [SlotSet("municipality", place.nis_code)] if place else []


class ActionShowCapabilities(Action):
    def name(self) -> str:
        return "action_show_capabilities"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        dispatcher.utter_message(response="utter_capabilities")
        dispatcher.utter_message(response="utter_capabilities_limits", buttons=menu.main_menu_buttons())
        return []


class ActionStartOver(Action):
    """"Opnieuw": stop any form, forget the search or referral in progress, show the menu."""

    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        dispatcher.utter_message(response="utter_start_over")
        dispatcher.utter_message(response="utter_greet_how", buttons=menu.main_menu_buttons())
        return [ActiveLoop(None)] + [SlotSet(name, None) for name in START_OVER_SLOTS]
