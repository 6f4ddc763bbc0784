"""Matching on the sample catalogue: at most five, ranked by the barriers they take away."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.catalogue.models import Offering
from bot.plain_language import check_text
from bot.referral import ClientProfile, match
from bot.referral.matching import BARRIER_FEATURES
from tests.referral.conftest import GENT, SCHAARBEEK


def offering(session, oid) -> Offering:
    return session.execute(select(Offering).where(Offering.id == oid)).unique().scalar_one()


def test_at_most_five_best_first(session, family_gent):
    found = match(session, family_gent)
    assert 1 <= len(found) <= 5
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert len({m.offering_id for m in found}) == len(found)
    assert len(match(session, family_gent, limit=2)) == 2
    assert len(match(session, family_gent, limit=50)) <= 5


def test_offerings_that_remove_the_barriers_come_first(session):
    p = ClientProfile(municipality=GENT, group="volwassene", barriers=("kinderopvang", "taal"))
    found = match(session, p)
    top = found[:2]
    assert {m.name for m in top} == {"Yoga in het buurthuis", "Taalcafé: Nederlands oefenen"}
    for m in top:
        assert m.barriers_met == ["kinderopvang", "taal"] and m.barriers_open == []
        assert "er kinderopvang is" in m.because and "weinig Nederlands" in m.because
    assert all(m.score < top[-1].score for m in found[2:])


def test_met_barriers_are_true_of_the_offering(session, family_gent):
    for m in match(session, family_gent):
        o = offering(session, m.offering_id)
        for barrier in m.barriers_met:
            if barrier == "geld":
                assert o.is_free or o.reduced_price_cents is not None or (o.price_cents or 0) <= 500
            elif barrier == "kinderopvang":
                assert "kinderopvang" in o.features or "gezinnen" in o.audiences
            else:
                assert set(BARRIER_FEATURES[barrier]) & set(o.features)
        assert set(m.barriers_met) | set(m.barriers_open) == {"geld", "kinderopvang"}


def test_every_match_says_why_in_plain_dutch(session, family_gent):
    for m in match(session, family_gent):
        assert m.because.startswith("Past omdat ") and m.because.endswith(".")
        assert check_text(m.name, m.because) == []
        assert m.reasons  # short labels for the card


def test_each_interest_gets_a_place(session, family_gent):
    categories = {m.category for m in match(session, family_gent)}
    assert {"zwemmen", "sport"} <= categories


def test_a_child_gets_offerings_for_its_age(session):
    p = ClientProfile(municipality=GENT, group="kind", ages=(7,))
    found = match(session, p)
    assert found
    for m in found:
        o = offering(session, m.offering_id)
        assert (o.min_age is None or o.min_age <= 7) and (o.max_age is None or o.max_age >= 7)


def test_brussels_prices_with_artikel27_and_paspartoe(session):
    p = ClientProfile(municipality=SCHAARBEEK, group="senior", interests=("museum",),
                      barriers=("geld", "alleen"), statuses=("leefloon",))
    found = match(session, p)
    first = found[0]
    assert first.name == "Erfgoedwandeling door de stad"
    assert first.barriers_met == ["geld", "alleen"]
    assert any("Artikel 27" in d and "€1,25" in d for d in first.discounts)
    assert any("Paspartoe" in d for d in first.discounts)
    assert not any("kansentarief" in d for m in found for d in m.discounts)


def test_flanders_prices_with_the_kansentarief(session, family_gent):
    lesson = next(m for m in match(session, family_gent) if m.name == "Zwemles voor kinderen"
                  and m.municipality == "Gent")
    assert lesson.price == "€5"
    assert lesson.discounts == [
        "Met een UiTPAS met kansentarief betaal je €1. Vraag eerst het kansentarief aan."]


def test_speaking_another_language_prefers_little_dutch(session):
    p = ClientProfile(municipality=GENT, group="volwassene", language="ar")
    found = match(session, p)
    assert "taal" in found[0].barriers_met
    assert all("taal" in (m.barriers_met + m.barriers_open) for m in found)


def test_sample_offerings_are_marked(session, family_gent):
    assert all(m.is_sample and m.source == "voorbeeldgegevens" for m in match(session, family_gent))


def test_a_municipality_without_offerings_gets_nearby_ones(session):
    pelt = "72043"  # not in the sample catalogue
    found = match(session, ClientProfile(municipality=pelt, group="volwassene"))
    assert found and all(m.municipality != "Pelt" for m in found)
    assert all(any("in de buurt" in r for r in m.reasons) for m in found)


@pytest.mark.parametrize("limit", [0, -3])
def test_a_silly_limit_still_gives_one(session, family_gent, limit):
    assert len(match(session, family_gent, limit=limit)) == 1
