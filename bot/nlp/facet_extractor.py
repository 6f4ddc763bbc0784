"""Rasa 3.6 NLU component: age, audience, category, barrier and part-of-day entities.

In config.yml after the tokenizer (and after the MunicipalityEntityExtractor):
``- name: bot.nlp.facet_extractor.FacetEntityExtractor``. The domain core reads the message
once (bot.catalogue.vocabulary.locate_facets, i.e. extract_facets plus where it found what), so
the entities carry the same codes the search slots get:

    "mijn zoon van 10 wil voetballen" → audience "kinderen" on "zoon", age 10 on "10",
                                         category "sport" on "voetballen"

Values: ``age`` an int of years; ``category``, ``audience``, ``part_of_day`` codes from
bot/catalogue/taxonomy.py; ``barrier`` a code of taxonomy.FEATURES (the access feature that
takes the barrier away: "rolstoel" → "rolstoeltoegankelijk").
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.vocabulary import locate_facets

# The domain core's kind of facet → the entity name in domain.yml.
ENTITY_NAMES = {
    "age": "age",
    "audience": "audience",
    "category": "category",
    "feature": "barrier",
    "part_of_day": "part_of_day",
}


def facet_entities(text: str) -> List[Dict[Text, Any]]:
    """The entities of one text, without the extractor's name (Rasa adds it)."""
    return [
        {
            "entity": ENTITY_NAMES[span.kind],
            "value": span.value,
            "start": span.start,
            "end": span.end,
            "confidence": 1.0,
        }
        for span in locate_facets(text).spans
        if span.kind in ENTITY_NAMES
    ]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    is_trainable=False,
)
class FacetEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds the facets the domain core finds in a message as entities, valued with codes."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            # Button payloads ("/inform{...}") get their entities from RegexMessageHandler.
            if not text or text.startswith("/"):
                continue
            found = self.add_extractor_name(facet_entities(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
