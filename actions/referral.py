"""Referral mode for social workers: intake form, matching, choosing, the referral note."""
from __future__ import annotations

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.search import FORM_ANSWERS, _in_thread, _latest, ask_with_buttons
from bot import places
from bot.chat import offerings as cards
from bot.chat import referral as intake
from bot.db import session_scope
from bot.referral import service
from bot.referral.matching import match

ANSWERS = FORM_ANSWERS | {"i_am_professional"}


def _slots(tracker: Tracker) -> dict:
    return dict(tracker.current_slot_values())


def _match(profile):
    with session_scope() as session:
        return match(session, profile)


class ActionStartReferral(Action):
    """Referral mode on; a fresh intake that keeps what the first message already says."""

    def name(self) -> str:
        return "action_start_referral"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text, entities, _ = _latest(tracker)
        found = await _in_thread(intake.opening_slots, "" if text.startswith("/") else text, entities)
        dispatcher.utter_message(response="utter_referral_start")
        events = [SlotSet("referral_mode", True), SlotSet("form_misses", None),
                  SlotSet("municipality_candidates", None), SlotSet("category", None)]
        events += [SlotSet(name, None) for name in intake.SLOTS]
        return events + [SlotSet(name, value) for name, value in found.items()]


class ValidateReferralForm(FormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain):
        slots = list(domain_slots)
        if intake.needs_ages(_slots(tracker)) or tracker.get_slot("requested_slot") == "client_ages":
            slots.insert(slots.index("client_group") + 1, "client_ages")
        return slots

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text, entities, intent = _latest(tracker)
        requested = tracker.get_slot("requested_slot")
        update = await _in_thread(intake.read_message, text, entities, intent, requested,
                                  _slots(tracker))
        events = []
        if update.understood:
            events = [SlotSet(k, v) for k, v in update.slots.items()] + [
                SlotSet("municipality_candidates", update.candidates or None),
                SlotSet("form_misses", None)]
        elif requested is None:
            events = []  # the form starts: the first message was read by action_start_referral
        elif intent in ANSWERS:
            events = [SlotSet("form_misses", (tracker.get_slot("form_misses") or 0) + 1)]
        else:
            return []  # another topic: the form steps aside and that topic's rule answers
        # Let the SDK ask for the next slot this form needs (client_ages only for some groups).
        filled = {**_slots(tracker), **update.slots}
        needed = await self.required_slots(self.domain_slots(domain), dispatcher,
                                           _Filled(tracker, filled), domain)
        missing = [s for s in needed if filled.get(s) is None]
        return events + [SlotSet("requested_slot", missing[0] if missing else None)]


class _Filled:
    """The tracker as the form will see it after this turn's slot updates."""

    def __init__(self, tracker: Tracker, slots: dict):
        self._tracker, self._slots = tracker, slots

    def get_slot(self, name):
        return self._slots.get(name)

    def current_slot_values(self):
        return self._slots


class ActionAskReferralMunicipality(Action):
    def name(self) -> str:
        return "action_ask_referral_form_municipality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        candidates = tracker.get_slot("municipality_candidates") or []
        if candidates:
            names = " of ".join(places.display_name(c) or c for c in candidates)
            buttons = [c.as_button() for c in cards.municipality_choices(candidates)[:-1]]
            dispatcher.utter_message(response="utter_did_you_mean", names=names, buttons=buttons)
            return []
        return ask_with_buttons(dispatcher, tracker, "utter_referral_ask_municipality", [])


class ActionAskClientGroup(Action):
    def name(self) -> str:
        return "action_ask_client_group"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return ask_with_buttons(dispatcher, tracker, "utter_referral_ask_client_group",
                                intake.group_choices())


class ActionAskClientAges(Action):
    def name(self) -> str:
        return "action_ask_client_ages"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return ask_with_buttons(dispatcher, tracker, "utter_referral_ask_client_ages", [])


class ActionAskReferralCategory(Action):
    def name(self) -> str:
        return "action_ask_referral_form_category"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return ask_with_buttons(dispatcher, tracker, "utter_referral_ask_category",
                                cards.category_choices())


class ActionAskReferralBarriers(Action):
    def name(self) -> str:
        return "action_ask_referral_barriers_done"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        chosen = tracker.get_slot("referral_barriers") or []
        buttons = [c.as_button() for c in intake.barrier_choices(chosen)]
        if chosen and not tracker.get_slot("form_misses"):
            labels = ", ".join(intake.BARRIERS[b].button for b in chosen if b in intake.BARRIERS)
            dispatcher.utter_message(response="utter_referral_barriers_so_far", barriers=labels,
                                     buttons=buttons)
            return []
        return ask_with_buttons(dispatcher, tracker, "utter_referral_ask_barriers",
                                intake.barrier_choices(chosen))


class ActionAskDiscountStatus(Action):
    def name(self) -> str:
        return "action_ask_discount_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return ask_with_buttons(dispatcher, tracker, "utter_referral_ask_status",
                                intake.status_choices(tracker.get_slot("municipality")))


class ActionAskClientLanguage(Action):
    def name(self) -> str:
        return "action_ask_client_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        return ask_with_buttons(dispatcher, tracker, "utter_referral_ask_language",
                                intake.language_choices())


class ActionReferralMatch(Action):
    """Up to five offerings that fit, why, the discounts and the local door; or note the need."""

    def name(self) -> str:
        return "action_referral_match"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        try:
            profile = intake.profile_from_slots(_slots(tracker))
        except intake.ProfileError:
            dispatcher.utter_message(response="utter_referral_not_saved")
            return []
        matches = await _in_thread(_match, profile)
        summary = intake.profile_summary(profile)
        if not matches:
            dispatcher.utter_message(response="utter_referral_no_match", buttons=[
                {"title": "Ja, geef het door", "payload": "/note_need"},
                {"title": "Nee, dank je", "payload": "/deny"}])
            return [SlotSet("search_text", summary), SlotSet("referral_matches", None),
                    SlotSet("shown_offerings", None)]
        dispatcher.utter_message(response="utter_referral_matches")
        for number, m in enumerate(matches, 1):
            dispatcher.utter_message(text=intake.match_line(number, m))
        for text in await _in_thread(intake.advice_lines, profile):
            dispatcher.utter_message(text=text)
        remembered = intake.remembered(matches)
        dispatcher.utter_message(response="utter_referral_choose",
                                 buttons=[c.as_button() for c in intake.choose_choices(remembered, [])])
        return [SlotSet("referral_matches", remembered), SlotSet("referral_chosen", []),
                SlotSet("search_text", summary),
                SlotSet("shown_offerings", intake.on_screen(remembered))]


class ActionReferralChoose(Action):
    def name(self) -> str:
        return "action_referral_choose"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        text, entities, _ = _latest(tracker)
        matches = tracker.get_slot("referral_matches") or []
        chosen = [int(i) for i in tracker.get_slot("referral_chosen") or []]
        picks = intake.picked(text, entities, matches)
        if not picks:
            dispatcher.utter_message(response="utter_referral_choose_first", buttons=[
                c.as_button() for c in intake.choose_choices(matches, chosen)])
            return []
        chosen = list(dict.fromkeys(chosen + picks))[: intake.MAX_CHOSEN]
        names = ", ".join(m["name"] for m in matches if m["id"] in chosen)
        dispatcher.utter_message(response="utter_referral_chosen", names=names, buttons=[
            c.as_button() for c in intake.choose_choices(matches, chosen)])
        return [SlotSet("referral_chosen", chosen)]


class ActionMakeReferralNote(Action):
    """Stores the anonymous referral and gives the link; nothing but codes is stored."""

    def name(self) -> str:
        return "action_make_referral_note"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        matches = tracker.get_slot("referral_matches") or []
        chosen = [int(i) for i in tracker.get_slot("referral_chosen") or []]
        if not chosen and len(matches) == 1:
            chosen = [matches[0]["id"]]
        if not chosen:
            dispatcher.utter_message(response="utter_referral_choose_first", buttons=[
                c.as_button() for c in intake.choose_choices(matches, chosen)])
            return []
        try:
            profile = intake.profile_from_slots(_slots(tracker))
            receipt = await _in_thread(service.create_referral, None, profile, chosen)
        except (intake.ProfileError, service.ReferralError, service.ReferralStoreUnavailable):
            dispatcher.utter_message(response="utter_referral_not_saved")
            return []
        dispatcher.utter_message(response="utter_referral_note")
        dispatcher.utter_message(text=f"[Open de verwijsbrief]({receipt.url})\n"
                                      f"Code: {receipt.display_code}")
        dispatcher.utter_message(response="utter_referral_note_expiry",
                                 days=service.retention_days())
        return [SlotSet("referral_chosen", [])]
