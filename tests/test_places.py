"""bot.places: look-ups and resolve() for what residents type as their place."""
from __future__ import annotations

import pytest

from bot import places
from bot.nlp.build import create_pipeline
from bot.places import ASK, EXACT, FUZZY, NONE, resolve


@pytest.fixture(scope="session")
def nlp():
    return create_pipeline()


def test_lookups():
    assert len(places.all_municipalities()) == 304
    assert places.by_nis("44021").name_nl == "Gent"
    assert places.by_postal_code("9000").nis_code == "44021"
    assert places.by_nis("99999") is None and places.by_postal_code("4000") is None


def test_display_name_and_province():
    assert places.display_name("21009") == "Elsene"
    assert places.display_name("46021") == "Sint-Niklaas"
    assert places.province_of("11002") == "Provincie Antwerpen"
    assert places.province_of("21009") == places.BRUSSELS_REGION  # Brussels has no province
    assert places.display_name("00000") is None and places.province_of("00000") is None


@pytest.mark.parametrize(
    "text, folded",
    [
        ("SINT-NIKLAAS", "sint niklaas"),
        ("St.-Niklaas", "sint niklaas"),
        ("  Rhode-Saint-Genèse ", "rhode saint genese"),
        ("Ste-Agathe", "sainte agathe"),
        ("Nazareth-De Pinte!", "nazareth de pinte"),
    ],
)
def test_fold(text, folded):
    assert places.fold(text) == folded


def test_no_filler_word_is_a_place_name():
    keys = {places.fold(f.text) for f in places.name_forms()}
    assert not keys & places._fillers()


@pytest.mark.parametrize(
    "text, nis, matched",
    [
        ("gent", "44021", "Gent"),
        ("Gent", "44021", "Gent"),
        ("sint niklaas", "46021", "Sint-Niklaas"),
        ("St Niklaas", "46021", "Sint-Niklaas"),
        ("9000", "44021", "9000"),
        ("1050", "21009", "1050"),
        ("Borgerhout", "11002", "Borgerhout"),
        ("ik woon in Brugge", "31005", "Brugge"),
        ("Ik woon in kessel lo", "24062", "Kessel-Lo"),
        ("Bruxelles", "21004", "Bruxelles"),
        ("molenbeek", "21012", "Molenbeek"),
        ("mol", "13025", "Mol"),  # an everyday word, but as a whole answer it is the place
        ("boom", "11005", "Boom"),
        ("de haan", "35029", "De Haan"),
        ("ik woon in peer", "72030", "Peer"),
        ("Kruibeke", "46030", "Kruibeke"),
    ],
)
def test_resolve_exact(nlp, text, nis, matched):
    result = resolve(text, nlp)
    assert (result.kind, result.municipality.nis_code, result.matched) == (EXACT, nis, matched)
    assert result.candidates == (result.municipality,)


def test_every_dutch_name_as_a_whole_answer_resolves_exactly(nlp):
    for m in places.all_municipalities():
        for answer in (m.name_nl.lower(), m.name_nl.lower().replace("-", " ")):
            result = resolve(answer, nlp)
            assert (result.kind, result.municipality) == (EXACT, m), answer


CENTRUMSTEDEN_TYPOS = {
    "Aalst": ["aalts", "alst", "aalsr"],
    "Antwerpen": ["antwerpn", "antwerpe", "antwrepen", "amtwerpen", "ik woon in antwerpn"],
    "Brugge": ["brugg", "bruge", "burgge"],
    "Genk": ["gemk", "genck", "gnek"],
    "Gent": ["gnet", "gentt", "ik woon in gnet"],
    "Hasselt": ["haselt", "hasslet", "hasselr"],
    "Kortrijk": ["kortijk", "kortrijck", "kotrijk"],
    "Leuven": ["leuve", "lueven", "leuvn"],
    "Mechelen": ["mechlen", "mecheln", "mechele"],
    "Oostende": ["oostend", "oosteinde", "oostnede"],
    "Roeselare": ["roeselaere", "roeslare", "rousselare"],
    "Sint-Niklaas": ["sint niklas", "sintniklaas", "sint-niklas", "st niklas"],
    "Turnhout": ["turnout", "tunrhout", "turnhoud"],
}


@pytest.mark.parametrize(
    "typo, name", [(typo, name) for name, typos in CENTRUMSTEDEN_TYPOS.items() for typo in typos]
)
def test_typos_of_the_centrumsteden(nlp, typo, name):
    result = resolve(typo, nlp)
    assert result.kind == FUZZY, result
    assert result.municipality.name_nl == name


def test_typos_of_every_longer_name_resolve_right_or_lead_to_a_question(nlp):
    """One letter dropped, swapped or changed in the middle of every name of 6+ letters."""
    right = wrong = 0
    for m in places.all_municipalities():
        name = m.name_nl.lower()
        if len(name) < 6 or " " in name:
            continue
        k = len(name) // 2
        dropped = name[:k] + name[k + 1 :]
        swapped = name[:k] + name[k + 1] + name[k] + name[k + 2 :]
        changed = name[:k] + "x" + name[k + 1 :]
        for typo in (dropped, swapped, changed):
            result = resolve(typo, nlp)
            if result.municipality == m:
                right += 1
            elif result.municipality is not None or m not in result.candidates:
                wrong += 1
    assert wrong == 0
    assert right >= 700  # of 762: the rest are real look-alikes (Evergem/Edegem) and get a question


@pytest.mark.parametrize(
    "text, names",
    [
        ("gen", {"Gent", "Genk"}),
        ("Gent of Brugge", {"Gent", "Brugge"}),
        ("loven", {"Leuven"}),
        ("ik woon in antwerpn bij het station", {"Antwerpen"}),
    ],
)
def test_resolve_asks_when_unsure(nlp, text, names):
    result = resolve(text, nlp)
    assert result.kind == ASK and result.municipality is None
    assert names <= {m.name_nl for m in result.candidates}
    assert 1 <= len(result.candidates) <= places.MAX_CANDIDATES


@pytest.mark.parametrize(
    "text",
    ["qwerty", "ik weet het niet", "maakt niet uit", "geen idee", "hallo", "asdfgh", "nergens",
     "dat zeg ik liever niet", "ja", "", "   ", "4000", "lol", "xyz123"],
)
def test_resolve_nothing(nlp, text):
    result = resolve(text, nlp)
    assert (result.kind, result.candidates, result.municipality) == (NONE, (), None)


def test_resolve_uses_the_klik_pipeline_by_default():
    assert resolve("Ik woon in Borgerhout").municipality.nis_code == "11002"
