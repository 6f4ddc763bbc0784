"""FacetEntityExtractor (bot/nlp/facet_extractor.py) and the generated lookup tables.

Entities come from the domain core (bot.catalogue.vocabulary.locate_facets), so their values are
the codes the search slots get; these tests pin real residents' sentences to entities and spans.
"""
from __future__ import annotations

import re

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine import validation
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.nlu.utils.pattern_utils import _convert_lookup_tables_to_regex
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue import taxonomy, vocabulary
from bot.chat.search_state import facet_slots
from bot.nlp import PIPELINE_DIR, lookups
from bot.nlp.facet_extractor import FacetEntityExtractor

COMPONENT = "bot.nlp.facet_extractor.FacetEntityExtractor"
EXTRACTOR = "FacetEntityExtractor"


def ent(entity, value, start, end):
    return {"entity": entity, "value": value, "start": start, "end": end, "confidence": 1.0,
            "extractor": EXTRACTOR}


def at(text, entity, value, words, nth=0):
    """The entity on the ``nth`` occurrence of ``words`` in ``text`` (spans stay readable)."""
    starts = [m.start() for m in re.finditer(re.escape(words), text)]
    return ent(entity, value, starts[nth], starts[nth] + len(words))


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "test")

    def create(cls, name):
        return cls.create(cls.get_default_config(), storage, Resource(name), context)

    tokenizer, facets = create(WhitespaceTokenizer, "tokenizer"), create(FacetEntityExtractor, "facets")

    def run(*messages):
        tokenizer.process(list(messages))
        return facets.process(list(messages))

    return run


def entities(extractor, text):
    (message,) = extractor(Message.build(text=text))
    return message.get(ENTITIES) or []


SENTENCES = [
    ("mijn zoon van 10 wil voetballen", lambda t: [
        at(t, "audience", "kinderen", "zoon"), at(t, "age", 10, "10"),
        at(t, "category", "sport", "voetballen")]),
    ("ik ben 75 jaar", lambda t: [at(t, "age", 75, "75")]),
    ("iets voor mijn dochter van zes", lambda t: [
        at(t, "audience", "kinderen", "dochter"), at(t, "age", 6, "zes")]),
    ("Tien jaar", lambda t: [at(t, "age", 10, "Tien")]),
    ("mijn vader is vijfenzeventig jaar", lambda t: [at(t, "age", 75, "vijfenzeventig")]),
    ("zoon 10 jaar", lambda t: [at(t, "audience", "kinderen", "zoon"), at(t, "age", 10, "10")]),
    ("Mijn kleinzoon is 8", lambda t: [
        at(t, "audience", "kinderen", "kleinzoon"), at(t, "age", 8, "8")]),
    # The age decides the audience, also for the word that names the person.
    ("mijn dochter van 15 wil dansen", lambda t: [
        at(t, "audience", "jongeren", "dochter"), at(t, "age", 15, "15"),
        at(t, "category", "sport", "dansen")]),
    # Every child's age, not the count; the slot holds the first (search_state.py).
    ("kheb 2 kinderen van 4 en 7", lambda t: [
        at(t, "audience", "kinderen", "kinderen"), at(t, "age", 4, "4"), at(t, "age", 7, "7")]),
    ("de jongste is drie en de oudste is acht", lambda t: [
        at(t, "age", 3, "drie"), at(t, "age", 8, "acht")]),
    ("mijn kinderen zijn 3, 6 en 9", lambda t: [
        at(t, "audience", "kinderen", "kinderen"), at(t, "age", 3, "3"), at(t, "age", 6, "6"),
        at(t, "age", 9, "9")]),
    ("Ik woon in Gent, 4 kinderen van 4 jaar", lambda t: [
        at(t, "audience", "kinderen", "kinderen"), at(t, "age", 4, "4", nth=1)]),
    ("gratis zwemmen op woensdagnamiddag", lambda t: [
        at(t, "category", "zwemmen", "zwemmen"),
        at(t, "part_of_day", "woensdagnamiddag", "woensdagnamiddag")]),
    ("zwemles op woensdag namiddag", lambda t: [
        at(t, "category", "zwemmen", "zwemles"),
        at(t, "part_of_day", "woensdagnamiddag", "woensdag namiddag")]),
    ("ik ben 34 en zoek yoga 's avonds", lambda t: [
        at(t, "age", 34, "34"), at(t, "category", "sport", "yoga"),
        at(t, "part_of_day", "avond", "'s avonds")]),
    # A negated part of day is no part of day; the other one is.
    ("niet 's avonds, liefst in het weekend", lambda t: [
        at(t, "part_of_day", "weekend", "in het weekend")]),
    ("met rolstoel", lambda t: [at(t, "barrier", "rolstoeltoegankelijk", "rolstoel")]),
    ("Ik zoek een crèche", lambda t: [at(t, "barrier", "kinderopvang", "crèche")]),
    ("KEN WEINIG NEDERLANDS", lambda t: [
        at(t, "barrier", "weinig_nederlands", "KEN WEINIG NEDERLANDS")]),
    ("met de kinderen naar het museum", lambda t: [
        at(t, "audience", "gezinnen", "met de kinderen"), at(t, "category", "museum", "museum")]),
    ("iets voor senioren, ik durf niet alleen", lambda t: [
        at(t, "audience", "senioren", "senioren"),
        at(t, "barrier", "begeleiding", "durf niet alleen")]),
    # A compound says both what and for whom.
    ("kindervoorstelling", lambda t: [
        at(t, "category", "podium", "kindervoorstelling"),
        at(t, "audience", "kinderen", "kindervoorstelling")]),
    # "Bos" in the place name is no forest.
    ("Wandelen in Kapelle-op-den-Bos", lambda t: [at(t, "category", "natuur", "Wandelen")]),
    # Numbers that are no age.
    ("mijn postcode is 9000", lambda t: []),
    ("het kost 5 euro", lambda t: []),
    ("max 10 euro voor mijn zoon", lambda t: [at(t, "audience", "kinderen", "zoon")]),
    ("ik heb 2 kinderen", lambda t: [at(t, "audience", "kinderen", "kinderen")]),
    ("zwemles om 3 uur", lambda t: [at(t, "category", "zwemmen", "zwemles")]),
    ("om 3 uur", lambda t: []),
    ("hallo", lambda t: []),
]


@pytest.mark.parametrize("text, expected", SENTENCES, ids=[t for t, _ in SENTENCES])
def test_sentences_give_entities_and_spans(extractor, text, expected):
    found = entities(extractor, text)
    assert found == expected(text)
    for entity in found:
        assert text[entity["start"]:entity["end"]].strip()


@pytest.mark.parametrize("text", [t for t, _ in SENTENCES])
def test_entity_values_are_the_slot_values(extractor, text):
    """The same codes bot/chat/search_state.py puts in the slots, from the same core."""
    slots, found = facet_slots(text), entities(extractor, text)
    ages = [e["value"] for e in found if e["entity"] == "age"]
    if ages:  # the slot holds one of them; a message may name more ("van 4 en 7")
        assert slots["age"] in ages and all(0 <= a <= 110 for a in ages)
    for entity in found:
        name, value = entity["entity"], entity["value"]
        if name == "age":
            continue
        elif name == "barrier":
            assert value in slots["features"] and value in taxonomy.FEATURES
        elif name == "category":
            assert value in vocabulary.extract_facets(text).categories
        else:
            assert slots[name] == value
    assert {e["entity"] for e in found if e["entity"] == "age"} == ({"age"} if "age" in slots else set())


def test_75_plus_says_senior(extractor):
    found = entities(extractor, "75+")
    assert any(e["entity"] == "age" and e["value"] >= 65 or e["value"] == "senioren" for e in found)


def test_years_of_living_somewhere_are_no_age(extractor):
    assert entities(extractor, "ik woon hier al 3 jaar") == []


def test_keeps_other_entities_and_skips_payloads_and_empty_messages(extractor):
    place = {"entity": "municipality", "value": "44021", "start": 22, "end": 26,
             "extractor": "MunicipalityEntityExtractor"}
    typed = Message.build(text="zwemmen voor kinderen in Gent", entities=[place])
    payload = Message.build(text='/inform{"category": "sport"}')
    empty = Message(data={"intent": {"name": "greet"}})
    extractor(typed, payload, empty)
    assert typed.get(ENTITIES) == [
        place, ent("category", "zwemmen", 0, 7), ent("audience", "kinderen", 13, 21)]
    assert payload.get(ENTITIES) in (None, [])
    assert empty.get(TEXT) is None and empty.get(ENTITIES) is None


# --- inside Rasa's graph -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def spacy_model(tmp_path_factory):
    if (PIPELINE_DIR / "meta.json").exists():
        return PIPELINE_DIR
    from bot.nlp.build import build

    return build(tmp_path_factory.mktemp("spacy") / "nl_klik")


def _pipeline(model):
    return [
        {"name": "SpacyNLP", "model": str(model), "case_sensitive": False},
        {"name": "SpacyTokenizer"},
        {"name": "bot.nlp.rasa_component.MunicipalityEntityExtractor"},
        {"name": COMPONENT},
    ]


def test_rasa_graph_runs_it_after_the_tokenizer_and_the_municipalities(spacy_model, tmp_path):
    config = {"recipe": "default.v1", "language": "nl", "pipeline": _pipeline(spacy_model),
              "policies": []}
    model_config = DefaultV1Recipe().graph_config_for_recipe(config, {})
    validation.validate(model_config)
    schema = model_config.predict_schema
    runner = DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "test"))
    target = model_config.nlu_target
    text = "Mijn zoon van 10 wil voetballen in Gent"
    (message,) = runner.run(inputs={"__message__": [UserMessage(text)]}, targets=[target])[target]
    assert [(e["entity"], e["value"], text[e["start"]:e["end"]], e["extractor"])
            for e in message.get(ENTITIES)] == [
        ("municipality", "44021", "Gent", "MunicipalityEntityExtractor"),
        ("audience", "kinderen", "zoon", EXTRACTOR),
        ("age", 10, "10", EXTRACTOR),
        ("category", "sport", "voetballen", EXTRACTOR),
    ]


# --- generated lookup tables and synonyms ------------------------------------------------------


def test_committed_lookups_equal_the_generator():
    """Run `python -m bot.nlp.lookups` after changing a word list in vocabulary.py."""
    assert lookups.LOOKUPS_FILE.read_text(encoding="utf-8") == lookups.render()


def test_generator_writes_what_it_renders(tmp_path):
    target = lookups.write(tmp_path / "lookups.yml")
    assert target.read_text(encoding="utf-8").startswith("# GENERATED by `python -m bot.nlp.lookups`")


@pytest.fixture(scope="module")
def training_data():
    return RasaYAMLReader().reads(lookups.render())


def test_rasa_reads_lookups_and_synonyms(training_data):
    tables = {t["name"]: t["elements"] for t in training_data.lookup_tables}
    assert set(tables) == {"category", "audience", "barrier"}
    assert {"voetballen", "zwemles", "bib"} <= set(tables["category"])
    assert {"zoon", "bomma", "met de kinderen"} <= set(tables["audience"])
    assert {"rolstoel", "geen auto", "creche"} <= set(tables["barrier"])
    synonyms = training_data.entity_synonyms
    assert synonyms["zwemles"] == "zwemmen" and synonyms["bomma"] == "senioren"
    assert synonyms["geen auto"] == "vervoer"
    assert training_data.intent_examples == [] and training_data.entity_examples == []


def test_lookups_and_synonyms_agree_with_the_domain_core(training_data):
    normalize = {"category": vocabulary.normalize_category, "audience": vocabulary.normalize_audience,
                 "barrier": vocabulary.normalize_barrier}
    for table in training_data.lookup_tables:
        for phrase in table["elements"]:
            code = normalize[table["name"]](phrase, strict=True)
            assert training_data.entity_synonyms.get(phrase, phrase) == code, (table["name"], phrase)


def test_synonyms_never_rewrite_a_code(training_data):
    """Rasa's EntitySynonymMapper maps every entity's value, also the codes, NIS codes and ages
    extractors already set: no synonym may start from one of those."""
    codes = {c for table in (taxonomy.CATEGORIES, taxonomy.AUDIENCES, taxonomy.FEATURES,
                             taxonomy.PARTS_OF_DAY, taxonomy.DISCOUNTS) for c in table}
    keys = set(training_data.entity_synonyms)
    assert keys & codes == set()
    assert [k for k in keys if k.isdigit()] == []
    assert set(training_data.entity_synonyms.values()) <= codes


def test_regex_featurizer_patterns_match_what_residents_type(training_data):
    patterns = {p["name"]: re.compile(p["pattern"], re.IGNORECASE)
                for p in _convert_lookup_tables_to_regex(training_data)}
    assert patterns["category"].search("Kzoek een Zwemles voor mijn kleine")
    assert patterns["audience"].search("Kzoek een Zwemles voor mijn kleine")
    assert patterns["barrier"].search("ik heb geen auto")
    assert not patterns["barrier"].search("ik zoek iets leuks")
