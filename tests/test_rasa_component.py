"""MunicipalityEntityExtractor inside Rasa 3.6: Rasa's own SpacyNLP loads the built pipeline."""
from __future__ import annotations

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine import validation
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.io import read_yaml_file

from bot.config import PROJECT_ROOT
from bot.nlp.build import build
from bot.nlp.rasa_component import MunicipalityEntityExtractor

COMPONENT = "bot.nlp.rasa_component.MunicipalityEntityExtractor"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("spacy") / "nl_klik")


@pytest.fixture(scope="session")
def rasa_nodes(built, tmp_path_factory):
    """SpacyNLP, SpacyTokenizer and the extractor, created the way Rasa's graph creates them."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "test")

    def create(cls, name, config):
        return cls.create({**cls.get_default_config(), **config}, storage, Resource(name), context)

    spacy_nlp = create(SpacyNLP, "spacy_nlp", {"model": str(built)})
    return (
        spacy_nlp,
        create(SpacyTokenizer, "tokenizer", {}),
        create(MunicipalityEntityExtractor, "municipalities", {}),
    )


def run(rasa_nodes, *messages):
    spacy_nlp, tokenizer, extractor = rasa_nodes
    model = spacy_nlp.provide()
    messages = list(messages)
    spacy_nlp.process(messages, model)
    tokenizer.process(messages)
    return extractor.process(messages, model)


def municipality(value, start, end):
    return {
        "entity": "municipality",
        "value": value,
        "start": start,
        "end": end,
        "confidence": 1.0,
        "extractor": "MunicipalityEntityExtractor",
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ik woon in Sint-Niklaas", [municipality("46021", 11, 23)]),
        ("wat kan ik doen in antwerpen?", [municipality("11002", 19, 28)]),
        ("SINT NIKLAAS", [municipality("46021", 0, 12)]),
        (
            "Iets voor kinderen in Borgerhout of Ixelles",
            [municipality("11002", 22, 32), municipality("21009", 36, 43)],
        ),
        ("mijn postcode is 9000", [municipality("44021", 17, 21)]),
        ("ik woon in 9000 Gent", [municipality("44021", 11, 20)]),
        ("Ik woon in Boom", [municipality("11005", 11, 15)]),
        ("de boom in de tuin", []),  # the original case decides: SpacyNLP's own doc is lower-cased
        ("Het kost 1000 euro", []),
    ],
)
def test_process_adds_municipality_entities(rasa_nodes, text, expected):
    (message,) = run(rasa_nodes, Message.build(text=text))
    assert message.get(ENTITIES) == expected
    for entity in expected:
        assert text[entity["start"] : entity["end"]]


def test_keeps_entities_of_other_extractors_and_skips_messages_without_text(rasa_nodes):
    other = {"entity": "age", "value": "10", "start": 0, "end": 2, "extractor": "DIETClassifier"}
    with_entities = Message.build(text="10 jaar, in Gent", entities=[other])
    without_text = Message(data={"intent": {"name": "greet"}})
    run(rasa_nodes, with_entities, without_text)
    assert with_entities.get(ENTITIES) == [other, municipality("44021", 12, 16)]
    assert without_text.get(TEXT) is None and without_text.get(ENTITIES) is None


def _config(pipeline):
    return {"recipe": "default.v1", "language": "nl", "pipeline": pipeline, "policies": []}


def test_rasa_graph_runs_the_component_after_spacy_nlp(built, tmp_path):
    pipeline = [
        {"name": "SpacyNLP", "model": str(built), "case_sensitive": False},
        {"name": "SpacyTokenizer"},
        {"name": COMPONENT},
    ]
    model_config = DefaultV1Recipe().graph_config_for_recipe(_config(pipeline), {})
    validation.validate(model_config)
    schema = model_config.predict_schema
    node = next(n for n in schema.nodes.values() if n.uses is MunicipalityEntityExtractor)
    assert node.needs["model"] == "provide_SpacyNLP0"

    runner = DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "test"))
    target = model_config.nlu_target
    inputs = {"__message__": [UserMessage("Ik woon in Kessel-Lo")]}
    result = runner.run(inputs=inputs, targets=[target])
    (message,) = result[target]
    assert message.get(ENTITIES) == [municipality("24062", 11, 20)]


def test_project_config_accepts_the_component():
    """config.yml (without training) names the component after SpacyNLP and SpacyTokenizer."""
    config = read_yaml_file(PROJECT_ROOT / "config.yml")
    names = [c["name"] for c in config["pipeline"]]
    assert names.index("SpacyNLP") < names.index("SpacyTokenizer") < names.index(COMPONENT)
    model_config = DefaultV1Recipe().graph_config_for_recipe(config, {})
    validation.validate(model_config)
