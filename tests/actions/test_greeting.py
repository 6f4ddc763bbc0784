from rasa_sdk.events import SlotSet

from actions.greeting import ActionGreet, ActionShowCapabilities
from bot import menu
from tests.actions.conftest import make_tracker


async def test_greeting_without_a_known_place(dispatcher, domain):
    events = await ActionGreet().run(dispatcher, make_tracker(), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet", "utter_greet_how"]
    assert dispatcher.messages[-1]["buttons"] == menu.main_menu_buttons()
    assert events == []


async def test_greeting_names_the_municipality_from_the_widget(dispatcher, domain):
    tracker = make_tracker(metadata={"municipality": "44021"})
    events = await ActionGreet().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_greet_place"
    assert first["place"] == "Gent"
    assert events == [SlotSet("municipality", "44021")]


async def test_greeting_prefers_the_slot_and_ignores_unknown_codes(dispatcher, domain):
    tracker = make_tracker(slots={"municipality": "11002"}, metadata={"municipality": "99999"})
    await ActionGreet().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["place"] == "Antwerpen"


async def test_unknown_code_gives_the_plain_greeting(dispatcher, domain):
    events = await ActionGreet().run(dispatcher, make_tracker(metadata={"municipality": "99999"}), domain)
    assert dispatcher.messages[0]["response"] == "utter_greet"
    assert events == []


async def test_capabilities_end_with_the_menu(dispatcher, domain):
    await ActionShowCapabilities().run(dispatcher, make_tracker(intent="ask_capabilities"), domain)
    assert dispatcher.messages[-1]["buttons"] == menu.main_menu_buttons()


def test_every_response_an_action_sends_exists_in_the_domain(domain):
    import ast
    import pathlib

    used = set()
    for path in pathlib.Path("actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "response" and isinstance(node.value, ast.Constant):
                used.add(node.value.value)
    assert used, "no responses found: the scan is broken"
    assert used <= set(domain["responses"]), used - set(domain["responses"])
