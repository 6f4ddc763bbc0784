"""A message in another language: the fixed text in that language, then the Dutch menu."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import language, menu

def language_of(tracker: Tracker) -> str | None:
    """The code LanguageOverride put in the ``language`` entity of the latest message."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "language" and entity.get("value") in language.REPLIES:
            return entity["value"]
    return None


class ActionOtherLanguage(Action):
    def name(self) -> str:
        return "action_other_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict):
        code = language_of(tracker)
        message = {"text": language.reply(code), "buttons": menu.main_menu_buttons()}
        if code:
            # The language travels with the text, so a client can mark it up (lang, dir) and
            # read it aloud with the right voice. Without a code the text is Dutch and English.
            message["json_message"] = {"type": "language", "language": code,
                                       "direction": language.direction(code)}
        dispatcher.utter_message(**message)
        return []
