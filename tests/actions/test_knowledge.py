"""Knowledge and distress actions with tracker fixtures (real knowledge base, real catalogue)."""
import pytest

from actions.knowledge import ActionAcceptSearchOffer, ActionAnswerKnowledge, ActionDistressHelp
from bot.catalogue.importers import load_sample
from bot.db import migrate, session_scope
from tests.actions.conftest import make_tracker


@pytest.fixture
def catalogue(klik_env):
    migrate.upgrade()
    with session_scope() as session:
        load_sample(session, force=True)


async def test_a_known_question_is_answered_with_its_source(dispatcher, domain, catalogue):
    events = await ActionAnswerKnowledge().run(dispatcher, make_tracker("wat is artikel 27", "ask_knowledge"), domain)
    text = dispatcher.messages[0]["text"]
    assert "1,25" in text and "Bron:" in text
    assert dispatcher.messages[0]["custom"]["knowledge"]["id"] == "artikel27_what"
    assert {"event": "slot", "name": "unanswered_question", "value": None, "timestamp": None} in events


async def test_a_barrier_gets_a_concrete_next_step_in_the_persons_municipality(dispatcher, domain, catalogue):
    tracker = make_tracker("ik heb geen opvang voor mijn kinderen", "ask_knowledge",
                           slots={"municipality": "12025"})  # Mechelen
    events = await ActionAnswerKnowledge().run(dispatcher, tracker, domain)
    responses = [m.get("response") for m in dispatcher.messages]
    assert "utter_knowledge_local" in responses
    cards = [m for m in dispatcher.messages if (m.get("custom") or {}).get("type") == "offerings"]
    assert cards and all(o["municipality"] == "Mechelen" for o in cards[0]["custom"]["offerings"])
    assert any("kinderopvang" in " ".join(o["reasons"]) for o in cards[0]["custom"]["offerings"])
    # Remembered as on screen: "meer info over de eerste" points at the first card.
    shown = _slots(events)["shown_offerings"]
    assert [o["id"] for o in shown] == [str(o["id"]) for o in cards[0]["custom"]["offerings"]]


@pytest.mark.parametrize("text, nis, feature", [
    # Entries that name a feature by its Dutch label ("begeleiding of samen gaan mogelijk"):
    # the search reads codes, and without the mapping these got no local offerings at all.
    ("ik durf niet alleen naar een activiteit gaan", "44021", "Samen gaan"),  # Gent
    ("ik spreek nog niet goed nederlands", "44021", "Weinig Nederlands"),
])
async def test_every_barrier_by_its_label_gets_local_offerings_that_lower_it(
        dispatcher, domain, catalogue, text, nis, feature):
    await ActionAnswerKnowledge().run(dispatcher, make_tracker(text, "ask_knowledge", slots={"municipality": nis}), domain)
    assert "utter_knowledge_local" in [m.get("response") for m in dispatcher.messages]
    cards = [m for m in dispatcher.messages if (m.get("custom") or {}).get("type") == "offerings"]
    reasons = [" ".join(o["reasons"]) for o in cards[0]["custom"]["offerings"]]
    assert any(feature.lower() in r.lower() for r in reasons), reasons


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_an_answer_that_offers_a_search_remembers_it_for_a_yes(dispatcher, domain, catalogue):
    tracker = make_tracker("mijn zoontje wil op kamp maar ik heb geen geld", "ask_knowledge")
    events = await ActionAnswerKnowledge().run(dispatcher, tracker, domain)
    offer = {"barrier": ["gratis"], "audience": "kinderen"}
    assert _slots(events)["search_offer"] == offer
    # "ja": that search starts, the form takes over and asks what it still needs.
    yes = make_tracker("ja graag", "affirm", slots={"search_offer": offer, "municipality": "11002"})
    events = await ActionAcceptSearchOffer().run(dispatcher, yes, domain)
    slots = _slots(events)
    assert slots["free"] is True and slots["audience"] == "kinderen" and slots["category"] is None
    assert slots["search_offer"] is None and "municipality" not in slots  # the place stays
    assert events[-1] == {"event": "followup", "name": "search_form", "timestamp": None}


async def test_a_yes_after_an_answer_that_offered_nothing_is_a_loose_yes(dispatcher, domain, catalogue):
    events = await ActionAnswerKnowledge().run(dispatcher, make_tracker("wat is artikel 27", "ask_knowledge"), domain)
    assert _slots(events)["search_offer"] is None
    events = await ActionAcceptSearchOffer().run(dispatcher, make_tracker("ja", "affirm"), domain)
    assert events == [] and dispatcher.messages[-1]["response"] == "utter_affirm"


async def test_an_unknown_question_is_honest_and_offers_to_pass_it_on(dispatcher, domain, catalogue):
    text = "hoeveel kost een parkeerkaart voor de markt"
    events = await ActionAnswerKnowledge().run(dispatcher, make_tracker(text, "ask_knowledge"), domain)
    assert dispatcher.messages[0]["response"] == "utter_knowledge_unknown"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/note_need", "/deny"]
    assert {"event": "slot", "name": "unanswered_question", "value": text, "timestamp": None} in events


async def test_distress_help_gives_the_right_line(dispatcher, domain):
    await ActionDistressHelp().run(dispatcher, make_tracker("mijne vent slaat mij", "distress"), domain)
    assert "1712" in " ".join(m.get("text") or "" for m in dispatcher.messages)


async def test_distress_heard_only_by_the_classifier_gets_the_general_lines(dispatcher, domain):
    await ActionDistressHelp().run(dispatcher, make_tracker("het gaat echt niet meer", "distress"), domain)
    assert dispatcher.messages[0]["response"] == "utter_distress_general"
