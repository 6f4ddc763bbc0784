"""What residents type → facets. Municipalities are looked up by name through bot.places,
so these tests hold whether the pipeline's municipality ruler is there or not."""
from __future__ import annotations

import pytest

from bot import places
from bot.catalogue.vocabulary import (
    ANY,
    LOW_BUDGET_CENTS,
    extract_facets,
    normalize_age,
    normalize_audience,
    normalize_barrier,
    normalize_category,
    normalize_municipality,
    normalize_part_of_day,
    normalize_price,
)


def nis(name: str) -> str:
    return next(m.nis_code for m in places.all_municipalities() if m.name_nl == name)


# (message, expected facets: only the fields named are checked)
PHRASES = [
    ("wat kan ik doen in Gent?", dict(municipality=nis("Gent"), category=None, audience=None)),
    ("iets sportiefs voor mijn zoon van 10 in Antwerpen",
     dict(municipality=nis("Antwerpen"), category="sport", audience="kinderen", age=10)),
    ("zijn er gratis musea in Brussel", dict(municipality=nis("Brussel"), category="museum", free=True)),
    ("activiteiten met kinderopvang in Mechelen",
     dict(municipality=nis("Mechelen"), features=("kinderopvang",), words=())),
    ("ik ben 75 jaar en zoek iets om mensen te ontmoeten in Hasselt",
     dict(municipality=nis("Hasselt"), category="ontmoeting", audience="senioren", age=75)),
    ("voor mijn dochter van 15, iets met toneel", dict(category="podium", audience="jongeren", age=15)),
    ("zwemles voor de kinderen in sint niklaas",
     dict(municipality=nis("Sint-Niklaas"), category="zwemmen", audience="kinderen")),
    ("ik spreek weinig Nederlands", dict(features=("weinig_nederlands",))),
    ("ik heb geen geld", dict(free=True, max_price_cents=None)),
    ("savonds kan ik niet, ik heb kinderen", dict(excluded_parts=("avond",), part_of_day=None)),
    ("bib in Brugge", dict(municipality=nis("Brugge"), category="bibliotheek")),
    ("knutselen op woensdagnamiddag voor mijn dochtertje van 7",
     dict(category="creatief", part_of_day="woensdagnamiddag", audience="kinderen", age=7)),
    ("speelplein in Kortrijk", dict(municipality=nis("Kortrijk"), category="jeugdwerk")),
    ("een uitstap met het hele gezin, goedkoop",
     dict(category="uitstap", audience="gezinnen", max_price_cents=LOW_BUDGET_CENTS)),
    ("max 5 euro per keer", dict(max_price_cents=500, words=())),
    ("niet meer dan 7,50 euro", dict(max_price_cents=750)),
    ("ik zit in een rolstoel en wil naar de cinema",
     dict(category="film", features=("rolstoeltoegankelijk",))),
    ("maakt niet uit", dict(indifferent=True)),
    ("voetbalclub in Genk voor mijn zoon van twaalf",
     dict(municipality=nis("Genk"), category="sport", age=12, audience="jongeren")),
    ("ik durf niet alleen te gaan", dict(features=("begeleiding",))),
    ("iets in het weekend in 9000", dict(municipality=nis("Gent"), postal_code="9000",
                                         part_of_day="weekend")),
    ("Ik zoek een taalcafe om Nederlands te oefenen", dict(category="leren")),
    ("mijn oma wil graag kaarten in Roeselare",
     dict(municipality=nis("Roeselare"), category="ontmoeting", audience="senioren")),
    ("is er een kindervoorstelling in Turnhout",
     dict(municipality=nis("Turnhout"), category="podium", audience="kinderen")),
    ("wandelen in de natuur rond Aalst", dict(municipality=nis("Aalst"), category="natuur")),
    ("ik heb geen auto en ik woon in Elsene", dict(municipality=nis("Elsene"), features=("vervoer",))),
    ("zwemen in antwerpen", dict(municipality=nis("Antwerpen"), category="zwemmen")),
    ("theater met ringleiding", dict(category="podium", features=("ringleiding",))),
    ("overdag, niet in het weekend", dict(excluded_parts=("avond", "weekend"))),
    ("schaken voor senioren", dict(category="ontmoeting", audience="senioren")),
    ("iets voor de kids met kinderoppas", dict(audience="kinderen", features=("kinderopvang",))),
    ("'s avonds een film in Leuven", dict(municipality=nis("Leuven"), category="film",
                                         part_of_day="avond")),
    ("musem in oostende", dict(municipality=nis("Oostende"), category="museum")),
    ("heb je iets met een gratis proefles?", dict(features=("gratis_proefles",), free=False)),
    ("ik heb een uitpas met kansentarief", dict(discounts=("kansentarief",))),
    ("met artikel 27 naar het theater in Schaarbeek",
     dict(municipality=nis("Schaarbeek"), discounts=("artikel27",), category="podium")),
    ("kan ik ergens gewoon binnenlopen zonder inschrijving",
     dict(features=("zonder_inschrijving",))),
    ("wij zijn nieuwkomers en zoeken iets om Nederlands te leren",
     dict(features=("weinig_nederlands",), category="leren")),
    ("yoga in Oostende", dict(category="sport", municipality=nis("Oostende"))),
    ("mijn kinderen van 6 en 9 willen dansen", dict(category="sport", age=6, audience="kinderen")),
]


@pytest.mark.parametrize("message,expected", PHRASES, ids=[p[0] for p in PHRASES])
def test_extract_facets(message, expected):
    facets = extract_facets(message)
    got = {key: getattr(facets, key) for key in expected}
    assert got == expected


def test_unknown_words_are_kept_for_relevance():
    assert extract_facets("zijn er gitaarlessen").category == "muziek"  # compound of "gitaar"
    assert extract_facets("zijn er schaakles of pottenbakken in Gent").words == ("schaakles", "pottenbakken")


def test_normalizers_accept_codes_labels_and_everyday_words():
    assert normalize_category("sport") == "sport"
    assert normalize_category("Museum en erfgoed") == "museum"
    assert normalize_category("cinema") == "film"
    assert normalize_category("maakt niet uit") == ANY
    assert normalize_category("iets met de maan") is None
    assert normalize_category("breien op de maan", strict=True) is None
    assert normalize_audience("kinderen") == "kinderen"
    assert normalize_audience("10") == "kinderen"
    assert normalize_audience("voor mijn oma") == "senioren"
    assert normalize_barrier("rolstoel") == "rolstoeltoegankelijk"
    assert normalize_barrier("geen") == ANY
    assert normalize_part_of_day("'s avonds") == "avond"
    assert normalize_part_of_day("savonds") == "avond"
    assert normalize_age("tien") == 10 and normalize_age("mijn zoon van 10") == 10
    assert normalize_age("honderdvijftig") is None
    assert normalize_price("gratis") == (True, None)
    assert normalize_price("max 5 euro") == (False, 500)
    assert normalize_price("maakt niet uit") == (False, None)
    assert normalize_municipality("antwerpen") == nis("Antwerpen")
    assert normalize_municipality("9000") == nis("Gent")
    assert normalize_municipality(nis("Genk")) == nis("Genk")
    assert normalize_municipality("maakt niet uit") == ANY
    assert normalize_municipality("Parijs") is None


@pytest.mark.parametrize("message, age", [
    ("mijn mama is 80", 80),
    ("mijn man is 67 en ik ben 64", 67),
    ("hij wordt 12 volgende week", 12),
    ("ik word 70 dit jaar", 70),
    ("iets voor 65+ in Gent", 65),
    ("activiteiten voor 55 plussers", 55),
    ("ze is 3 keer geweest", None),
    ("mijn baby is 8 maanden", None),
    ("de bus van 8 uur", None),
    ("kinderen van 6 euro", None),
])
def test_ages_of_adults_and_groups_and_numbers_that_are_no_age(message, age):
    assert extract_facets(message).age == age


@pytest.mark.parametrize("message, age", [
    ("ik woon hier al 3 jaar", None),
    ("dat was 2 jaar geleden", None),
    ("sinds 5 jaar in belgie", None),
    ("na 3 jaar wachten", None),
    ("kampen voor 6-jarigen", 6),
    ("iets voor 12 jaar en ouder", 12),
    ("mijn zoon is bijna 12 jaar", 12),
    ("ze is ongeveer 10 jaar", 10),
    ("mijn dochter is 5 jaar", 5),
    ("kinderen van 8 jaar", 8),
    ("een 80-jarige", 80),
])
def test_a_span_of_time_is_no_age(message, age):
    assert extract_facets(message).age == age


@pytest.mark.parametrize("message, age", [
    ("een kleuter van drie", 3),
    ("iets voor tieners van 14", 14),
    ("voor mijn tweeling van 6", 6),
    ("de jongste is drie", 3),
    ("ze is bijna 10", 10),
    ("hij is net 14", 14),
    ("ik ben pas 20", 20),
    ("mijn dochter van 9j", 9),
    ("mijn zoon (11) wil voetballen", 11),
    ("mijn vriend (200) en zijn zoon (11)", 11),  # 200 is no age, the next one is
    ("iets voor mijn man van 67", 67),
    ("mijn kinderen zijn 3 en 5", 3),
    ("ze zijn 2 en 4", 2),
    # No age: an article, a count of children, a span of time, a shorthand that is no age.
    ("ik ben een vrouw", None),
    ("een moeder van 3 kinderen", None),
    ("ik ben al 3 jaar werkloos", None),
    ("ik heb 9j gewerkt", None),
    ("mijn kinderen zijn 2 keer geweest", None),
])
def test_more_ways_of_saying_an_age(message, age):
    assert extract_facets(message).age == age


@pytest.mark.parametrize("message, part", [
    ("zaterdagnamiddag", "weekend"),
    ("zondagmorgen in gent", "weekend"),
    ("vrijdagavond", "avond"),
    ("woensdagmiddag", "woensdagnamiddag"),
])
def test_a_day_with_its_part_is_a_part_of_the_week(message, part):
    assert extract_facets(message).part_of_day == part
