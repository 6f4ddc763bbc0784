from rasa_sdk.events import UserUtteranceReverted

from actions.fallback import ActionAskAffirmation, ActionAskRephrase, ActionDefaultFallback
from bot import menu
from tests.actions.conftest import make_tracker


async def test_affirmation_names_the_best_guess_in_dutch(dispatcher, domain):
    tracker = make_tracker("wat kunt ge", "nlu_fallback", ranking=[
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ask_capabilities", "confidence": 0.4},
        {"name": "greet", "confidence": 0.1},
    ])
    await ActionAskAffirmation().run(dispatcher, tracker, domain)
    msg = dispatcher.messages[0]
    assert msg["response"] == "utter_ask_affirmation"
    assert msg["label"] == menu.INTENT_LABELS["ask_capabilities"]
    assert [b["title"] for b in msg["buttons"]] == ["Ja", "Nee"]


async def test_affirmation_without_a_guess_asks_to_rephrase(dispatcher, domain):
    tracker = make_tracker("xqz", "nlu_fallback", ranking=[{"name": "nlu_fallback", "confidence": 1.0}])
    await ActionAskAffirmation().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"
    assert dispatcher.messages[0]["buttons"] == menu.main_menu_buttons()


async def test_rephrase_and_final_fallback_offer_buttons(dispatcher, domain):
    await ActionAskRephrase().run(dispatcher, make_tracker(), domain)
    events = await ActionDefaultFallback().run(dispatcher, make_tracker(), domain)
    assert all(m["buttons"] == menu.main_menu_buttons() for m in dispatcher.messages)
    assert events == [UserUtteranceReverted()]


def test_every_intent_in_the_domain_has_a_dutch_label(domain):
    assert set(domain["intents"]) <= set(menu.INTENT_LABELS)
