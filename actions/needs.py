"""Unmet needs and ideas: asked with consent, stored without personal data, traceable by code."""
from __future__ import annotations

import asyncio
import functools

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import menu
from bot.chat.needs import draft_need, need_origin
from bot.needs.service import NeedStoreUnavailable, record_need, status_reply
from bot.web.turn import FORGET_MARK

NEED_SLOTS = ("need_text", "need_kind")


async def _blocking(func, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(func, *args, **kwargs))


def _slots(tracker: Tracker) -> dict:
    return dict(tracker.current_slot_values())


class ActionAskNeedConsent(Action):
    """One sentence on what is stored, then yes or no."""

    def name(self) -> str:
        return "action_ask_need_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        msg = tracker.latest_message or {}
        draft = draft_need((msg.get("intent") or {}).get("name"), msg.get("text") or "", _slots(tracker))
        if draft is None:
            dispatcher.utter_message(response="utter_need_what")
            return []
        consent = "utter_ask_need_consent_referral" if tracker.get_slot("referral_mode") \
            else "utter_ask_need_consent"
        dispatcher.utter_message(response=consent, buttons=menu.yes_no_buttons())
        return [SlotSet("need_text", draft.text), SlotSet("need_kind", draft.kind)]


class ActionStoreNeed(Action):
    """Stores the need only now, after the yes; says it was noted only once it is committed."""

    def name(self) -> str:
        return "action_store_need"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        slots = _slots(tracker)
        if not slots.get("need_text"):
            dispatcher.utter_message(response="utter_need_what")
            return []
        try:
            need = await _blocking(
                record_need, kind=slots.get("need_kind") or "nood", text=slots["need_text"],
                consent=True, sender_id=tracker.sender_id, category=_code(slots.get("category")),
                municipality_nis=_code(slots.get("municipality")), **need_origin(slots),
            )
        except NeedStoreUnavailable:
            dispatcher.utter_message(response="utter_need_not_saved")
            # Ask again at once, the draft still in its slots: the rule "yes, pass it on"
            # follows action_ask_need_consent, so a later yes (or the same button) tries again.
            return [FollowupAction("action_ask_need_consent")]
        dispatcher.utter_message(response="utter_need_saved", code=need.display_code)
        dispatcher.utter_message(response="utter_need_saved_code_help", code=need.display_code,
                                 buttons=menu.main_menu_buttons())
        return [SlotSet(name, None) for name in NEED_SLOTS] + [SlotSet("unanswered_question", None)]


def _code(value):
    return None if value in (None, "any") else value


class ActionNeedNotStored(Action):
    def name(self) -> str:
        return "action_need_not_stored"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        dispatcher.utter_message(response="utter_need_not_stored", buttons=menu.main_menu_buttons())
        return [SlotSet(name, None) for name in NEED_SLOTS]


class ActionNeedStatus(Action):
    def name(self) -> str:
        return "action_need_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text = (tracker.latest_message or {}).get("text") or ""
        try:
            lines = await _blocking(status_reply, text)
        except NeedStoreUnavailable:
            dispatcher.utter_message(response="utter_need_status_unavailable")
            return []
        for line in lines:
            dispatcher.utter_message(text=line)
        return []


class ActionForgetConversation(Action):
    """Asks the gateway to erase this conversation once Rasa has saved the turn."""

    def name(self) -> str:
        return "action_forget_conversation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        dispatcher.utter_message(json_message={FORGET_MARK: True})
        return []
