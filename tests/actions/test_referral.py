"""Referral actions on a real database with the sample catalogue: intake, matching, the note."""
import pytest

from actions.referral import (
    ActionAskReferralBarriers,
    ActionMakeReferralNote,
    ActionReferralChoose,
    ActionReferralMatch,
    ActionStartReferral,
    ValidateReferralForm,
)
from bot.catalogue.importers import load_sample
from bot.chat.offerings import offering_asked_about
from bot.db import migrate, session_scope
from bot.referral.model import Referral
from sqlalchemy import select
from tests.actions.conftest import make_tracker

FAMILY_IN_GENT = {"municipality": "44021", "client_group": "gezin", "client_ages": [4, 9],
                  "category": "any", "referral_barriers": ["geld"],
                  "referral_barriers_done": True, "discount_status": "leefloon",
                  "client_language": "ar", "referral_mode": True}


@pytest.fixture
def catalogue(klik_env):
    migrate.upgrade()
    with session_scope() as session:
        load_sample(session, force=True)


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_opening_message_fills_what_it_says(dispatcher, domain):
    tracker = make_tracker("als hulpverlener wil ik een gezin doorverwijzen naar een sportclub in Gent",
                           "i_am_professional")
    slots = slots_of(await ActionStartReferral().run(dispatcher, tracker, domain))
    assert slots["referral_mode"] is True
    assert slots["municipality"] == "44021"
    assert slots["client_group"] == "gezin"
    assert slots["category"] == "sport"
    assert slots["referral_barriers"] is None  # a fresh intake


async def test_the_form_starts_without_a_hint(dispatcher, domain):
    tracker = make_tracker("als hulpverlener zoek ik iets voor een gezin in Gent", "i_am_professional",
                           slots={"municipality": "44021", "client_group": "gezin"})
    slots = slots_of(await ValidateReferralForm().run(dispatcher, tracker, domain))
    assert slots == {"requested_slot": "client_ages"}


async def test_family_is_asked_for_the_childrens_ages(dispatcher, domain):
    tracker = make_tracker('/inform{"client_group": "gezin"}', "inform",
                           slots={"requested_slot": "client_group", "municipality": "44021"},
                           entities=[{"entity": "client_group", "value": "gezin"}])
    slots = slots_of(await ValidateReferralForm().run(dispatcher, tracker, domain))
    assert slots["client_group"] == "gezin"
    assert slots["requested_slot"] == "client_ages"


async def test_an_adult_is_not_asked_an_age(dispatcher, domain):
    tracker = make_tracker("een volwassene", "inform",
                           slots={"requested_slot": "client_group", "municipality": "44021"})
    slots = slots_of(await ValidateReferralForm().run(dispatcher, tracker, domain))
    assert slots["client_group"] == "volwassene"
    assert slots["requested_slot"] == "category"


async def test_barrier_buttons_toggle_until_done(dispatcher, domain):
    base = {"requested_slot": "referral_barriers_done", "municipality": "44021",
            "client_group": "volwassene", "category": "sport"}
    tracker = make_tracker('/inform{"barrier": "vervoer"}', "inform",
                           slots={**base, "referral_barriers": ["geld"]},
                           entities=[{"entity": "barrier", "value": "vervoer"}])
    slots = slots_of(await ValidateReferralForm().run(dispatcher, tracker, domain))
    assert slots["referral_barriers"] == ["geld", "vervoer"]
    assert slots["requested_slot"] == "referral_barriers_done"  # asked again
    again = make_tracker('/inform{"barrier": "geld"}', "inform",
                         slots={**base, "referral_barriers": ["geld", "vervoer"]},
                         entities=[{"entity": "barrier", "value": "geld"}])
    assert slots_of(await ValidateReferralForm().run(dispatcher, again, domain))[
        "referral_barriers"] == ["vervoer"]
    done = make_tracker("/affirm", "affirm", slots={**base, "referral_barriers": ["vervoer"]})
    slots = slots_of(await ValidateReferralForm().run(dispatcher, done, domain))
    assert slots["referral_barriers_done"] is True
    assert slots["requested_slot"] == "discount_status"


async def test_typed_barriers_are_all_taken(dispatcher, domain):
    tracker = make_tracker("ze heeft geen geld en geen auto", "inform",
                           slots={"requested_slot": "referral_barriers_done"})
    slots = slots_of(await ValidateReferralForm().run(dispatcher, tracker, domain))
    assert slots["referral_barriers"] == ["geld", "vervoer"]
    assert slots["referral_barriers_done"] is True


async def test_barrier_question_marks_what_is_chosen(dispatcher, domain):
    tracker = make_tracker("x", "inform", slots={"referral_barriers": ["taal"]})
    await ActionAskReferralBarriers().run(dispatcher, tracker, domain)
    titles = [b["title"] for b in dispatcher.messages[-1]["buttons"]]
    assert "✓ Taal" in titles and "Klaar" in titles and "Geld" in titles


async def test_optional_questions_can_be_skipped(dispatcher, domain):
    tracker = make_tracker("weet ik niet", "inform", slots={"requested_slot": "discount_status"})
    slots = slots_of(await ValidateReferralForm().run(dispatcher, tracker, domain))
    assert slots["discount_status"] == "onbekend"


async def test_unclear_answer_is_asked_again_with_a_hint(dispatcher, domain):
    tracker = make_tracker("blrp", "nonsense", slots={"requested_slot": "client_language"})
    slots = slots_of(await ValidateReferralForm().run(dispatcher, tracker, domain))
    assert slots["form_misses"] == 1


async def test_matches_choose_and_note_end_to_end(dispatcher, domain, catalogue):
    match_events = await ActionReferralMatch().run(dispatcher, make_tracker(
        "/inform", "inform", slots=FAMILY_IN_GENT), domain)
    matches = slots_of(match_events)["referral_matches"]
    assert 1 <= len(matches) <= 5
    texts = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "Past omdat" in texts or "past omdat" in texts
    assert "Bron: [" in texts  # discount hints come with their source
    assert "sociaal huis (OCMW) van Gent" in texts
    # The matches are what is on screen now, not the offerings of an earlier search.
    on_screen = slots_of(match_events)["shown_offerings"]
    assert [o["id"] for o in on_screen] == [str(m["id"]) for m in matches]
    assert len(on_screen) >= 2
    assert offering_asked_about("meer info over de tweede", on_screen) == on_screen[1]["id"]

    chosen = slots_of(await ActionReferralChoose().run(dispatcher, make_tracker(
        "de eerste", "choose_offering", slots={**FAMILY_IN_GENT, "referral_matches": matches}),
        domain))["referral_chosen"]
    assert chosen == [matches[0]["id"]]

    await ActionMakeReferralNote().run(dispatcher, make_tracker(
        "maak de brief", "make_referral_note",
        slots={**FAMILY_IN_GENT, "referral_matches": matches, "referral_chosen": chosen}), domain)
    link = [m["text"] for m in dispatcher.messages if "/verwijzing/" in (m.get("text") or "")]
    assert link and link[0].startswith("[Open de verwijsbrief](/verwijzing/")
    with session_scope() as session:
        stored = session.execute(select(Referral)).scalars().all()
    assert len(stored) == 1 and stored[0].municipality_nis == "44021"


async def test_no_fit_offers_to_pass_the_need_on(dispatcher, domain, catalogue):
    slots = {**FAMILY_IN_GENT, "municipality": "71066", "category": "muziek",
             "client_group": "senior", "client_ages": None,
             "referral_barriers": ["toegankelijkheid", "taal", "vervoer"]}
    events = await ActionReferralMatch().run(dispatcher, make_tracker("x", "inform", slots=slots),
                                             domain)
    assert slots_of(events)["referral_matches"] is None
    assert slots_of(events)["shown_offerings"] is None
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == "/note_need"
    assert "Drempels" in slots_of(events)["search_text"]


async def test_note_needs_a_choice_first(dispatcher, domain):
    matches = [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}]
    events = await ActionMakeReferralNote().run(dispatcher, make_tracker(
        "maak de brief", "make_referral_note", slots={**FAMILY_IN_GENT, "referral_matches": matches}),
        domain)
    assert events == []
    assert dispatcher.messages[-1]["response"] == "utter_referral_choose_first"
