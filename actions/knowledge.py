"""Answers from the curated knowledge base, help lines in distress, honest "I don't know"."""
from __future__ import annotations

import asyncio

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.search import new_search_events
from bot import knowledge, menu, places, safety
from bot.catalogue import SearchQuery, search
from bot.chat import offerings as cards
from bot.chat.search_state import SEARCH_OFFER_SLOT, payload_slots
from bot.db import session_scope

# Warm the retrieval index when the action server starts, not on the first question.
knowledge.retriever()


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def send_entry(dispatcher: CollectingDispatcher, entry) -> None:
    msg = knowledge.chat_message(entry)
    dispatcher.utter_message(text=msg["text"], buttons=msg["buttons"], json_message=msg["custom"])


def _offerings_with(nis: str, features: list[str]):
    with session_scope() as session:
        return search(session, SearchQuery(municipality=nis, preferred_features=tuple(features)))


async def local_next_step(dispatcher: CollectingDispatcher, tracker: Tracker, entry) -> list:
    """For a barrier, offerings in the person's municipality that lower it; the events that
    remember them as the offerings on screen (a typed "meer info over de eerste")."""
    nis = tracker.get_slot("municipality")
    features = [f for f in entry.catalogue_features if f not in knowledge.COST_FILTERS]
    if not (nis and places.by_nis(str(nis)) and features):
        return []
    result = await asyncio.get_running_loop().run_in_executor(None, _offerings_with, str(nis), features)
    fitting = [i for i in result.items if i.reasons]
    if not fitting:
        return []
    dispatcher.utter_message(response="utter_knowledge_local", place=places.display_name(nis))
    dispatcher.utter_message(**cards.offerings_message(fitting))
    if result.is_sample:
        dispatcher.utter_message(response="utter_sample_data")
    return [SlotSet("shown_offerings", cards.shown(fitting))]


class ActionAnswerKnowledge(Action):
    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text = _text(tracker)
        region = knowledge.region_of(tracker.get_slot("municipality"))
        hit = knowledge.answer(text, region=region)
        if hit and hit.confident:
            send_entry(dispatcher, hit.entry)
            shown = await local_next_step(dispatcher, tracker, hit.entry)
            offer = hit.entry.search.entities() if hit.entry.search else None
            return [SlotSet("unanswered_question", None), SlotSet(SEARCH_OFFER_SLOT, offer), *shown]
        hits = knowledge.search(text, region=region)
        events = [SlotSet(SEARCH_OFFER_SLOT, None)]
        if hits:
            dispatcher.utter_message(response="utter_knowledge_did_you_mean", buttons=[
                {"title": h.entry.topic, "payload": h.entry.questions[0]} for h in hits
            ])
            return events
        dispatcher.utter_message(response="utter_knowledge_unknown", buttons=[
            {"title": "Ja, geef het door", "payload": "/note_need"},
            {"title": "Nee, dank je", "payload": "/deny"},
        ])
        return events + [SlotSet("unanswered_question", text)]


class ActionAcceptSearchOffer(Action):
    """"Ja" right after an answer that offered a search ("Ik kan ook gratis activiteiten voor je
    zoeken"): start that search. Any other "ja" there gets the loose yes."""

    def name(self) -> str:
        return "action_accept_search_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        offer = tracker.get_slot(SEARCH_OFFER_SLOT)
        if not isinstance(offer, dict) or not offer:
            dispatcher.utter_message(response="utter_affirm")
            return []
        return new_search_events(payload_slots(offer), None) + [FollowupAction("search_form")]


class ActionDistressHelp(Action):
    """Help lines first, whatever else was going on (rules close an open form after it)."""

    def name(self) -> str:
        return "action_distress_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        found = safety.check(_text(tracker))
        if found is None:
            # The classifier heard distress the patterns missed: give the general lines.
            dispatcher.utter_message(response="utter_distress_general")
        else:
            for msg in safety.help_messages(found):
                dispatcher.utter_message(text=msg.get("text"), json_message=msg.get("custom"))
        return []
