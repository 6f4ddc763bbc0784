"""Search actions with tracker fixtures, on a real database loaded with the sample catalogue."""
import pytest
from rasa_sdk.events import SlotSet

from actions.search import (
    ActionAskMunicipality,
    ActionOfferingDetails,
    ActionSearchOfferings,
    ActionShowMore,
    ActionStartSearch,
    ValidateSearchForm,
)
from bot.catalogue.importers import load_sample
from bot.db import migrate, session_scope
from tests.actions.conftest import make_tracker


@pytest.fixture
def catalogue(klik_env):
    migrate.upgrade()
    with session_scope() as session:
        load_sample(session, force=True)


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_start_takes_every_facet_and_keeps_the_place(dispatcher, domain, catalogue):
    tracker = make_tracker("zijn er gratis musea", "search_activity", slots={"municipality": "21004"})
    slots = slots_of(await ActionStartSearch().run(dispatcher, tracker, domain))
    assert slots["category"] == "museum" and slots["free"] is True
    assert "municipality" not in slots  # the remembered place stays
    assert slots["audience"] is None  # a new search forgets the old answers


async def test_the_search_button_of_a_knowledge_answer_starts_with_its_features(dispatcher, domain):
    payload = [{"entity": "barrier", "value": "gratis", "extractor": "RegexMessageHandler"},
               {"entity": "barrier", "value": "begeleiding", "extractor": "RegexMessageHandler"},
               {"entity": "audience", "value": "kinderen", "extractor": "RegexMessageHandler"}]
    tracker = make_tracker('/search_activity{"barrier": ["gratis", "begeleiding"], "audience": "kinderen"}',
                           "search_activity", entities=payload)
    slots = slots_of(await ActionStartSearch().run(dispatcher, tracker, domain))
    assert slots["free"] is True and slots["features"] == ["begeleiding"]
    assert slots["audience"] == "kinderen" and slots["search_text"] is None


async def test_form_asks_again_with_a_hint_when_an_answer_is_not_understood(dispatcher, domain):
    tracker = make_tracker("blrp", "nonsense", slots={"requested_slot": "category"})
    events = await ValidateSearchForm().run(dispatcher, tracker, domain)
    assert slots_of(events) == {"form_misses": 1}


async def test_form_says_what_it_heard_before_it_asks_again(dispatcher, domain):
    tracker = make_tracker("ik heb geen opvang voor de kinderen", "inform",
                           slots={"requested_slot": "category", "municipality": "12025"})
    slots = slots_of(await ValidateSearchForm().run(dispatcher, tracker, domain))
    assert slots["features"] == ["kinderopvang"]
    heard = dispatcher.messages[0]
    assert heard["response"] == "utter_search_heard" and "kinderopvang" in heard["what"]


async def test_form_steps_aside_for_another_topic(dispatcher, domain):
    tracker = make_tracker("hoe krijg ik een uitpas", "ask_knowledge", slots={"requested_slot": "category"})
    assert await ValidateSearchForm().run(dispatcher, tracker, domain) == []


async def test_did_you_mean_offers_the_candidates_as_buttons(dispatcher, domain):
    tracker = make_tracker("gen", "inform", slots={"municipality_candidates": ["44021", "71016"]})
    await ActionAskMunicipality().run(dispatcher, tracker, domain)
    msg = dispatcher.messages[0]
    assert msg["response"] == "utter_did_you_mean" and "Gent" in msg["names"]
    assert [b["title"] for b in msg["buttons"]][:2] == ["Gent", "Genk"]


async def test_results_are_cards_with_reasons_and_the_sample_notice(dispatcher, domain, catalogue):
    slots = {"municipality": "11002", "category": "sport", "audience": "kinderen", "age": 10.0}
    events = await ActionSearchOfferings().run(dispatcher, make_tracker(slots=slots), domain)
    found, cards, *rest = dispatcher.messages
    assert found["response"] == "utter_search_found" and found["count"] >= 1
    offerings = cards["custom"]["offerings"]
    assert 1 <= len(offerings) <= 3
    assert all(o["more_payload"].startswith("/more_info") for o in offerings)
    assert all(o["reasons"] for o in offerings)
    assert "Antwerpen" in cards["text"]
    assert rest[-1]["response"] == "utter_sample_data"
    assert any(isinstance(e, dict) and e.get("name") == "search_offset" for e in events)


async def test_nothing_fits_shows_alternatives_and_offers_to_note_the_need(dispatcher, domain, catalogue):
    slots = {"municipality": "13040", "category": "zwemmen", "audience": "senioren",
             "features": ["ringleiding", "vervoer", "kinderopvang"]}
    await ActionSearchOfferings().run(dispatcher, make_tracker(slots=slots), domain)
    responses = [m.get("response") for m in dispatcher.messages]
    assert responses[0] == "utter_search_none"
    assert "utter_offer_note_need" in responses


async def test_show_more_continues_where_the_last_page_ended(dispatcher, domain, catalogue):
    slots = {"municipality": "44021", "category": "any", "audience": "any"}
    first_events = await ActionSearchOfferings().run(dispatcher, make_tracker(slots=slots), domain)
    first_ids = [o["id"] for o in dispatcher.messages[1]["custom"]["offerings"]]
    offset = slots_of(first_events)["search_offset"]
    assert offset == 3
    more = type(dispatcher)()
    await ActionShowMore().run(more, make_tracker(slots={**slots, "search_offset": offset}), domain)
    next_ids = [o["id"] for o in more.messages[0]["custom"]["offerings"]]
    assert next_ids and not set(next_ids) & set(first_ids)


async def test_details_say_how_to_register_without_internet(dispatcher, domain, catalogue):
    slots = {"municipality": "44021", "category": "any", "audience": "any"}
    await ActionSearchOfferings().run(dispatcher, make_tracker(slots=slots), domain)
    first = dispatcher.messages[1]["custom"]["offerings"][0]
    details = type(dispatcher)()
    tracker = make_tracker("/more_info", "more_info",
                           entities=[{"entity": "offering_id", "value": str(first["id"])}])
    await ActionOfferingDetails().run(details, tracker, domain)
    assert first["name"] in details.messages[0]["text"]
    assert "Waar:" in details.messages[0]["text"]


async def test_details_of_an_unknown_offering(dispatcher, domain, catalogue):
    tracker = make_tracker("/more_info", "more_info", entities=[{"entity": "offering_id", "value": "x"}])
    await ActionOfferingDetails().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_offering_unknown"


async def test_a_typed_question_about_the_second_offering_gets_its_details(dispatcher, domain, catalogue):
    slots = {"municipality": "44021", "category": "any", "audience": "any"}
    events = await ActionSearchOfferings().run(dispatcher, make_tracker(slots=slots), domain)
    shown = [o["name"] for o in dispatcher.messages[1]["custom"]["offerings"]]
    on_screen = slots_of(events)["shown_offerings"]
    assert [o["name"] for o in on_screen] == shown and len(shown) >= 2

    details = type(dispatcher)()
    tracker = make_tracker("wat kost de tweede", "more_info", slots={"shown_offerings": on_screen})
    await ActionOfferingDetails().run(details, tracker, domain)
    assert shown[1] in details.messages[0]["text"] and "Prijs:" in details.messages[0]["text"]


async def test_an_unclear_question_asks_which_offering_with_a_button_each(dispatcher, domain, catalogue):
    on_screen = [{"id": "1", "name": "Vrij zwemmen"}, {"id": "2", "name": "Zwemles voor kinderen"}]
    tracker = make_tracker("hoeveel kost dat", "more_info", slots={"shown_offerings": on_screen})
    await ActionOfferingDetails().run(dispatcher, tracker, domain)
    msg = dispatcher.messages[0]
    assert msg["response"] == "utter_which_offering"
    assert [b["title"] for b in msg["buttons"]] == ["Vrij zwemmen", "Zwemles voor kinderen"]
    assert msg["buttons"][1]["payload"] == '/more_info{"offering_id": "2"}'


async def test_a_price_question_before_any_search_offers_to_search(dispatcher, domain, catalogue):
    await ActionOfferingDetails().run(dispatcher, make_tracker("is da gratis", "more_info"), domain)
    msg = dispatcher.messages[0]
    assert msg["response"] == "utter_offering_none_shown"
    assert msg["buttons"] == [{"title": "Iets zoeken om te doen", "payload": "/search_activity"}]


async def test_nothing_fits_keeps_the_alternatives_on_screen(dispatcher, domain, catalogue):
    slots = {"municipality": "13040", "category": "zwemmen", "audience": "senioren",
             "features": ["ringleiding", "vervoer", "kinderopvang"]}
    events = await ActionSearchOfferings().run(dispatcher, make_tracker(slots=slots), domain)
    shown = [o["name"] for m in dispatcher.messages if m.get("custom")
             for o in m["custom"]["offerings"]]
    assert [o["name"] for o in slots_of(events)["shown_offerings"] or []] == shown


async def test_category_and_audience_questions_have_buttons_and_a_hint_after_a_miss(dispatcher, domain):
    from actions.search import ActionAskAudience, ActionAskCategory

    await ActionAskCategory().run(dispatcher, make_tracker(), domain)
    await ActionAskAudience().run(dispatcher, make_tracker(slots={"form_misses": 1.0}), domain)
    category, audience = dispatcher.messages
    assert category["response"] == "utter_ask_category" and len(category["buttons"]) == 14
    assert audience["response"] == "utter_ask_audience_hint"
    assert audience["buttons"][-1]["payload"] == '/inform{"audience": "any"}'
