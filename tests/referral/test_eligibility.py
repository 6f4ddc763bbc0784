"""Discount hints rest on the knowledge base and follow the stated status and municipality."""
from __future__ import annotations

import pytest

from bot import knowledge
from bot.plain_language import check_text
from bot.referral import ClientProfile, hints, local_door
from bot.referral.eligibility import ASK, HAS, LIKELY
from tests.referral.conftest import AALST, GENT, SCHAARBEEK


def profile(nis=GENT, **kw) -> ClientProfile:
    return ClientProfile(municipality=nis, group=kw.pop("group", "volwassene"), **kw)


def by_scheme(p: ClientProfile) -> dict:
    return {h.scheme: h for h in hints(p)}


@pytest.mark.parametrize("status", ["verhoogde_tegemoetkoming", "leefloon", "schuldbemiddeling",
                                    "inkomensgarantie_ouderen", "studietoelage"])
def test_a_usual_ground_makes_kansentarief_likely_in_flanders(status):
    h = by_scheme(profile(statuses=(status,)))["kansentarief"]
    assert h.likelihood == LIKELY
    assert "UiTPAS-balie" in h.text and "Elke gemeente beslist zelf" in h.text
    assert any("identiteitskaart" in b for b in h.bring)


def test_money_without_a_status_means_ask():
    h = by_scheme(profile(barriers=("geld",)))["kansentarief"]
    assert h.likelihood == ASK and h.text.startswith("Vraag of je recht hebt")


def test_nothing_about_money_gives_no_hints():
    assert hints(profile(barriers=("vervoer",))) == []


def test_someone_who_has_kansentarief_is_told_it_works_at_home_only():
    h = by_scheme(profile(statuses=("heeft_kansentarief",)))["kansentarief"]
    assert h.likelihood == HAS and "eigen gemeente" in h.text and h.bring == ("je UiTPAS",)


def test_a_family_hears_that_the_household_shares_it():
    h = by_scheme(profile(group="gezin", ages=(5,), statuses=("leefloon",)))["kansentarief"]
    assert "hetzelfde adres" in h.text


def test_brussels_gets_artikel27_and_paspartoe_not_uitpas():
    found = by_scheme(profile(SCHAARBEEK, statuses=("leefloon",)))
    assert {"artikel27", "paspartoe", "fonds"} <= set(found) and "kansentarief" not in found
    assert "oktober 2025" in found["artikel27"].text  # the scheme is at risk: say so
    assert "€1,25" in found["artikel27"].text


def test_flanders_gets_no_brussels_schemes():
    found = by_scheme(profile(AALST, statuses=("leefloon",)))
    assert not {"artikel27", "paspartoe"} & set(found)


def test_the_fonds_is_for_the_worker_and_says_an_ocmw_cannot_be_member():
    h = by_scheme(profile(statuses=("leefloon",), organisation="ocmw"))["fonds"]
    assert not h.for_client and "80%" in h.text and "OCMW kan zelf geen lid zijn" in h.text
    other = by_scheme(profile(statuses=("leefloon",), organisation="caw"))["fonds"]
    assert "OCMW" not in other.text


def test_holidays_hint_only_for_day_trips():
    assert "ivv" not in by_scheme(profile(statuses=("verhoogde_tegemoetkoming",)))
    h = by_scheme(profile(interests=("uitstap",), statuses=("verhoogde_tegemoetkoming",)))["ivv"]
    assert h.likelihood == LIKELY and "30 tot 80%" in h.text


def test_strongest_hints_first():
    found = hints(profile(statuses=("heeft_kansentarief",), interests=("uitstap",)))
    order = {HAS: 0, LIKELY: 1, ASK: 2}
    assert [order[h.likelihood] for h in found] == sorted(order[h.likelihood] for h in found)


ALL_PROFILES = [
    profile(statuses=("leefloon",), group="gezin", interests=("uitstap",), organisation="ocmw"),
    profile(statuses=("heeft_kansentarief",), interests=("uitstap",)),
    profile(barriers=("geld", "vervoer", "kinderopvang")),
    profile(SCHAARBEEK, statuses=("laag_inkomen",), interests=("uitstap",)),
    profile(SCHAARBEEK, statuses=("heeft_artikel27", "heeft_paspartoe")),
]


@pytest.mark.parametrize("p", ALL_PROFILES)
def test_every_hint_names_the_source_of_its_knowledge_entry(p):
    found = hints(p)
    assert found
    for h in found:
        entry = knowledge.get(h.knowledge_id)
        assert entry is not None, h.knowledge_id
        assert (h.source_title, h.source_url) == (entry.source.title, entry.source.url)
        region = "brussel" if p.in_brussels else "vlaanderen"
        assert entry.applies_in(region), (h.scheme, region)


@pytest.mark.parametrize("p", ALL_PROFILES)
def test_hint_texts_are_plain_dutch(p):
    for h in hints(p):
        assert check_text(h.scheme, h.text) == []


def test_the_local_door_is_named_by_municipality():
    door = local_door(GENT)
    assert door.municipality == "Gent" and "sociaal huis" in door.name
    assert "UiTPAS-balie" in door.text
    brussels = local_door(SCHAARBEEK)
    assert brussels.name == "het OCMW van Schaarbeek" and "Artikel 27" in brussels.text
    assert knowledge.get(door.knowledge_id).source.url == door.source_url
    assert local_door("00000") is None and local_door(None) is None
