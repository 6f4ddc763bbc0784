"""Dutch, button-first versions of Rasa's two-stage fallback steps."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from bot import knowledge, menu


def _best_guess(tracker: Tracker) -> str | None:
    """The most likely intent other than the fallback itself."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    for entry in ranking:
        name = entry.get("name")
        if name and name != "nlu_fallback":
            return name
    return None


class ActionAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        # The classifier is unsure; the knowledge base may still know the answer well.
        text = (tracker.latest_message or {}).get("text") or ""
        hit = knowledge.answer(text, region=knowledge.region_of(tracker.get_slot("municipality")))
        if hit and hit.confident:
            msg = knowledge.chat_message(hit.entry)
            dispatcher.utter_message(text=msg["text"], buttons=msg["buttons"], json_message=msg["custom"])
            return []
        label = menu.intent_label(_best_guess(tracker))
        if label is None:
            dispatcher.utter_message(response="utter_ask_rephrase", buttons=menu.main_menu_buttons())
        else:
            dispatcher.utter_message(
                response="utter_ask_affirmation", label=label, buttons=menu.yes_no_buttons()
            )
        return []


class ActionAskRephrase(Action):
    def name(self) -> str:
        return "action_default_ask_rephrase"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        dispatcher.utter_message(response="utter_ask_rephrase", buttons=menu.main_menu_buttons())
        return []


class ActionDefaultFallback(Action):
    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        dispatcher.utter_message(response="utter_default", buttons=menu.main_menu_buttons())
        # Forget the message Klik could not place, so it does not steer the next prediction.
        return [UserUtteranceReverted()]
