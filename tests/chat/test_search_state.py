"""What one message changes in the search form (real pipeline, real vocabulary)."""
from bot.catalogue import ANY
from bot.chat.search_state import (correction_from_message, facet_slots, heard_besides,
                                   payload_slots, query_from_slots, update_from_message)


def test_first_message_gives_everything_it_can():
    u = update_from_message("iets sportiefs voor mijn zoon van 10 in Antwerpen", [], None, {})
    assert u.slots["category"] == "sport"
    assert u.slots["audience"] == "kinderen"
    assert u.slots["age"] == 10.0
    assert u.slots["municipality"] == "11002"


def test_free_text_answer_to_the_place_question_with_a_typo():
    u = update_from_message("antwerpn", [], "municipality", {})
    assert u.slots["municipality"] == "11002"


def test_unsure_place_gives_candidates_not_a_guess():
    u = update_from_message("gen", [], "municipality", {})
    assert "municipality" not in u.slots
    assert set(u.candidates) >= {"44021", "71016"}  # Gent, Genk


def test_maakt_niet_uit_answers_the_requested_slot():
    assert update_from_message("maakt niet uit", [], "category", {}).slots == {"category": ANY}


def test_button_payload_entities_win():
    u = update_from_message("", [{"entity": "audience", "value": "senioren"}], "audience", {})
    assert u.slots == {"audience": "senioren"}


def test_the_maakt_niet_uit_buttons_answer_their_slot():
    for slot in ("category", "audience"):
        payload = f'/inform{{"{slot}": "any"}}'
        u = update_from_message(payload, [{"entity": slot, "value": "any"}], slot, {})
        assert u.slots == {slot: ANY}


def test_a_button_payload_adds_no_search_words():
    u = update_from_message('/inform{"audience": "volwassenen"}', [{"entity": "audience", "value": "volwassenen"}],
                            "audience", {"category": "sport"})
    assert "search_words" not in u.slots
    assert facet_slots("/search_activity") == {}


def test_unknown_button_values_are_ignored():
    u = update_from_message("", [{"entity": "category", "value": "<script>"}], "category", {})
    assert not u.understood


def test_gibberish_is_not_understood():
    assert not update_from_message("blrp", [], "category", {}).understood


def test_an_earlier_answer_is_not_overwritten_by_an_aside():
    current = {"category": "zwemmen"}
    u = update_from_message("voor mijn dochter, ze houdt van dansen", [], "audience", current)
    assert "category" not in u.slots
    assert u.slots["audience"] in ("kinderen", "jongeren", "volwassenen")


def test_query_from_slots_treats_any_as_no_preference():
    q = query_from_slots({"municipality": ANY, "category": ANY, "audience": "kinderen", "age": 10.0,
                          "features": ["kinderopvang"], "free": True})
    assert q.municipality is None and q.scope == "all"
    assert q.category is None and q.audience == "kinderen" and q.age == 10
    assert q.features == ("kinderopvang",) and q.free


def test_a_correction_replaces_what_it_names_and_adds_no_loose_words():
    slots = correction_from_message("nee, ik bedoel Genk", [])
    assert slots == {"municipality": "71016"}


def test_what_a_message_adds_besides_the_answer_is_heard():
    asked = "category"
    u = update_from_message("ik heb geen opvang voor de kinderen", [], asked, {})
    assert "kinderopvang" in heard_besides(u, asked)
    assert heard_besides(update_from_message("liefst gratis en s avonds", [], asked, {}), asked) == [
        "gratis", "'s avonds"]
    # A new place while Klik asks what: heard too, not only asked again.
    assert heard_besides(update_from_message("ik woon in Gent", [], asked, {}), asked) == ["in Gent"]
    # An answer to the question moves the form on: nothing to say.
    assert heard_besides(update_from_message("gratis sport", [], asked, {}), asked) == []
    assert heard_besides(update_from_message("gen", [], "municipality", {}), "municipality") == []


def test_a_knowledge_answers_search_as_payload_slots():
    assert payload_slots({"barrier": ["gratis", "begeleiding"], "audience": "kinderen"}) == {
        "free": True, "features": ["begeleiding"], "audience": "kinderen"}
    assert payload_slots({"barrier": ["geen_code"]}) == {}
    assert payload_slots({"barrier": ["weinig_nederlands"], "category": "leren"}) == {
        "features": ["weinig_nederlands"], "category": "leren"}
