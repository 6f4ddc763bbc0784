"""The Dutch spaCy pipeline: lemmas and municipality entities (names, aliases, postal codes)."""
from __future__ import annotations

import hashlib

import pytest
import spacy

from bot.nlp import municipalities
from bot.nlp.build import build, create_pipeline
from bot.places import (
    PRIMARY_FOR_SHARED_CODE,
    aliases,
    all_municipalities,
    by_postal_code,
    fold,
    name_forms,
)


@pytest.fixture(scope="session")
def nlp():
    return create_pipeline()


def places(doc):
    return [(span.text, span.ent_id_) for span in municipalities.municipality_spans(doc)]


def only_place(doc):
    found = places(doc)
    assert len(found) == 1, (doc.text, found)
    return found[0]


def test_pipeline_has_lemmatizer_ruler_and_context_filter(nlp):
    assert nlp.pipe_names == ["lemmatizer", "municipality_ruler", "municipality_context"]
    assert [t.lemma_ for t in nlp("ik ging zwemmen")][1] == "gaan"


def _spellings(name: str) -> list[str]:
    spaced = name.replace("-", " ")
    return sorted({name, name.lower(), name.upper(), spaced, spaced.lower()})


def _names_to_find():
    for m in all_municipalities():
        yield m.name_nl, m.nis_code
        if m.in_brussels and m.name_fr != m.name_nl:
            yield m.name_fr, m.nis_code


def test_every_municipality_is_found_in_any_case_with_or_without_hyphens(nlp):
    cases = [
        (f"Ik woon in {spelling}.", spelling, nis)
        for name, nis in _names_to_find()
        for spelling in _spellings(name)
    ]
    assert len(cases) > 3 * 304
    for doc, (_, spelling, nis) in zip(nlp.pipe(text for text, _, _ in cases), cases):
        assert only_place(doc) == (spelling, nis)


@pytest.mark.parametrize(
    "text, place, nis",
    [
        ("Ik woon in Bievene.", "Bievene", "23009"),  # Biévène, French for Bever
        ("Ik woon in Biévène.", "Biévène", "23009"),
        ("We wonen in Rhode-Saint-Genese", "Rhode-Saint-Genese", "23101"),
        ("Ik ben van Leau", "Leau", "24130"),
        ("Ik woon in St-Niklaas", "St-Niklaas", "46021"),
        ("Ik woon in St.-Truiden", "St.-Truiden", "71053"),
        ("ik woon in st truiden", "st truiden", "71053"),
        ("J'habite à Anvers", "Anvers", "11002"),
        ("Ik woon in Ixelles", "Ixelles", "21009"),
        ("Ik woon in Schaerbeek", "Schaerbeek", "21015"),
        ("Ik woon in Saint-Gilles", "Saint-Gilles", "21013"),
        ("Ik woon in Uccle", "Uccle", "21016"),
        ("Ik woon in Bruxelles", "Bruxelles", "21004"),
        ("Ik woon in Molenbeek-Saint-Jean", "Molenbeek-Saint-Jean", "21012"),
        ("Ik woon in Sint-Jans-Molenbeek", "Sint-Jans-Molenbeek", "21012"),
        ("ik woon in molenbeek", "molenbeek", "21012"),
        ("Ik woon in Brussel-stad", "Brussel-stad", "21004"),
        ("ik woon in brussel stad", "brussel stad", "21004"),
        ("Ik werk in Woluwe-Saint-Lambert", "Woluwe-Saint-Lambert", "21018"),
    ],
)
def test_accents_abbreviations_and_french_names(nlp, text, place, nis):
    assert only_place(nlp(text)) == (place, nis)


@pytest.mark.parametrize(
    "text, place, nis",
    [
        ("Ik woon in Heist-op-den-Berg", "Heist-op-den-Berg", "12014"),
        ("ik woon in heist op den berg", "heist op den berg", "12014"),
        ("Ik woon in Heist", "Heist", "31043"),
        ("ik woon in sint kruis winkel", "sint kruis winkel", "44021"),
        ("ik woon in sint kruis", "sint kruis", "31005"),
        ("ik woon in sint agatha berchem", "sint agatha berchem", "21003"),
        ("ik woon in berchem", "berchem", "11002"),
        ("ik woon in sint gillis waas", "sint gillis waas", "46020"),
        ("ik woon in sint gillis", "sint gillis", "21013"),
        ("Ik woon in Oud-Turnhout", "Oud-Turnhout", "13031"),
        ("Ik woon in Tessenderlo-Ham", "Tessenderlo-Ham", "71071"),
    ],
)
def test_longest_match_wins(nlp, text, place, nis):
    assert only_place(nlp(text)) == (place, nis)


def test_every_alias_maps_to_its_municipality(nlp):
    rows = aliases()
    assert len(rows) >= 100
    for doc, alias in zip(nlp.pipe(f"Ik woon in {a.text}." for a in rows), rows):
        assert only_place(doc) == (alias.text, alias.nis_code)


@pytest.mark.parametrize(
    "alias, nis",
    [
        ("Borgerhout", "11002"), ("Deurne", "11002"), ("Merksem", "11002"), ("Lillo", "11002"),
        ("Ledeberg", "44021"), ("Sint-Denijs-Westrem", "44021"), ("Kessel-Lo", "24062"),
        ("Wijgmaal", "24062"), ("Sint-Andries", "31005"), ("Zeebrugge", "31005"),
        ("Knokke", "31043"), ("Heist", "31043"), ("Kruibeke", "46030"), ("Zwijndrecht", "46030"),
        ("Borsbeek", "11002"), ("Kortessem", "71072"), ("Melle", "44088"), ("Nevele", "44083"),
        ("Neerpelt", "72043"), ("Ham", "71071"),
    ],
)
def test_aliases_named_in_the_issue(nlp, alias, nis):
    assert only_place(nlp(f"Mijn adres is in {alias}")) == (alias, nis)


def test_aliases_do_not_repeat_or_contradict_names():
    official = {fold(f.text): f.nis_code for f in name_forms() if f.source != "alias"}
    seen: dict[str, str] = {}
    for alias in aliases():
        key = fold(alias.text)
        assert key not in official, f"{alias.text} is already a municipality name"
        assert seen.setdefault(key, alias.nis_code) == alias.nis_code, f"{alias.text} twice"


def test_guarded_words_are_names_or_aliases():
    keys = {fold(f.text) for f in name_forms()}
    assert set(municipalities.GUARDED) <= keys


def test_every_postal_code_maps_to_its_municipality(nlp):
    codes = sorted({code for m in all_municipalities() for code in m.postal_codes})
    assert len(codes) > 500
    for doc, code in zip(nlp.pipe(f"Mijn postcode is {code}." for code in codes), codes):
        assert only_place(doc) == (code, by_postal_code(code).nis_code)


@pytest.mark.parametrize("code", sorted(PRIMARY_FOR_SHARED_CODE))
def test_shared_postal_codes_follow_the_table(nlp, code):
    owners = [m.nis_code for m in all_municipalities() if code in m.postal_codes]
    assert len(owners) == 2  # the reason for the table
    assert only_place(nlp(f"Ik woon in {code}")) == (code, PRIMARY_FOR_SHARED_CODE[code])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ik woon in 9000 Gent.", [("9000 Gent", "44021")]),
        ("ik woon in 2000 antwerpen", [("2000 antwerpen", "11002")]),
        ("postcode 1030", [("1030", "21015")]),
        ("ik woon in 2018", [("2018", "11002")]),
        ("9000", [("9000", "44021")]),
        ("Tussen Gent en Brugge", [("Gent", "44021"), ("Brugge", "31005")]),
    ],
)
def test_postal_codes_and_several_places(nlp, text, expected):
    assert places(nlp(text)) == expected


@pytest.mark.parametrize(
    "text, place, nis",
    [
        ("ik woon in boom", "boom", "11005"),
        ("Ik woon in Boom", "Boom", "11005"),
        ("Ik woon in BOOM", "BOOM", "11005"),
        ("Ik ga naar Mol.", "Mol", "13025"),
        ("wij komen uit geel", "geel", "13008"),
        ("Ik woon te Lier", "Lier", "12021"),
        ("Peer.", "Peer", "72030"),
        ("Mol", "Mol", "13025"),
        ("Wij wonen in Peer en werken ook daar", "Peer", "72030"),
        ("Vanuit landen kom je er snel", "landen", "24059"),
        ("Ik woon in De Haan", "De Haan", "35029"),
        ("ik woon in de haan", "de haan", "35029"),
        ("Mijn zus woont in Essen", "Essen", "11016"),
        ("Iets te doen bij Halle", "Halle", "23027"),
        ("Ik woon in Vorst", "Vorst", "21007"),
    ],
)
def test_everyday_words_count_when_capitalised_or_after_a_preposition(nlp, text, place, nis):
    assert only_place(nlp(text)) == (place, nis)


ORDINARY_SENTENCES = [
    "ik eet graag ham",
    "Ik eet graag ham met kaas.",
    "een peer is gezond",
    "Peer is lekker.",
    "de boom in de tuin is groot",
    "Er zit een mol in mijn tuin.",
    "Het lint is rood.",
    "Mijn jas is geel.",
    "Geel is mijn lievelingskleur.",
    "Ik ga brood halen.",
    "In andere landen is het anders.",
    "Er vielen schoten.",
    "Het heeft gevroren, er was vorst.",
    "De bever bouwt een dam.",
    "Wat een malle vraag.",
    "Ik zit te balen.",
    "Ik moet nog boodschappen gaan halen in de winkel.",
    "Het vliegtuig gaat zo landen.",
    "Hij speelt op een lier.",
    "De meeuwen zitten op het strand.",
    "Er zitten muizen in de kelder.",
    "Zij leest graag een boek.",
    "Ik moet mijn haren wassen.",
    "Het laken is nat.",
    "De haan kraait elke ochtend.",
    "We wachten in de hal.",
    "We heffen het glas.",
    "De as van het kampvuur is nog warm.",
    "Het kost 1000 euro.",
    "Het kost € 1000 per jaar.",
    "Er kwamen 2000 mensen.",
    "Sinds 2018 woon ik hier.",
    "In 2020 was alles dicht.",
    "Ik heb 1500 punten gespaard.",
    "Mijn zoon is 10 en mijn dochter 12.",
    "Hoeveel kost een ticket voor de film?",
    "Ik zoek iets gratis voor mijn kinderen.",
]


def test_no_place_in_ordinary_sentences(nlp):
    assert len(ORDINARY_SENTENCES) >= 20
    for doc in nlp.pipe(ORDINARY_SENTENCES):
        assert places(doc) == [], doc.text


def test_spelling_variants():
    assert municipalities.spelling_variants("Sint-Niklaas") == sorted(
        ["St Niklaas", "St-Niklaas", "St. Niklaas", "St.-Niklaas", "Sint Niklaas", "Sint-Niklaas"]
    )
    assert "Rhode Saint Genese" in municipalities.spelling_variants("Rhode-Saint-Genèse")


def _digest(directory):
    return {
        str(f.relative_to(directory)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(directory.rglob("*"))
        if f.is_file()
    }


def test_build_is_reproducible_atomic_and_loads_like_the_in_memory_pipeline(nlp, tmp_path):
    first = build(tmp_path / "a" / "nl_klik")
    second = build(tmp_path / "b" / "nl_klik")
    assert _digest(first) == _digest(second)
    assert "municipality_ruler/patterns.jsonl" in _digest(first)

    build(first)  # building over an existing pipeline replaces it in one step
    assert _digest(first) == _digest(second)
    assert [p.name for p in first.parent.iterdir()] == ["nl_klik"]  # no temporary left behind

    loaded = spacy.load(first)
    assert loaded.config == nlp.config  # e.g. the context filter's word lists survive config.cfg
    texts = ORDINARY_SENTENCES + ["Ik woon in Borgerhout, bij de boom.", "in mol", "9000 Gent"]
    assert [places(d) for d in loaded.pipe(texts)] == [places(d) for d in nlp.pipe(texts)]
    assert places(loaded("Ik woon in Borgerhout, bij de boom.")) == [("Borgerhout", "11002")]
