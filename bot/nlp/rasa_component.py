"""Rasa 3.6 NLU component: municipality entities from Klik's spaCy pipeline.

In config.yml, after SpacyNLP (whose model is build/spacy/nl_klik) and SpacyTokenizer:
``- name: bot.nlp.rasa_component.MunicipalityEntityExtractor``. Each entity is
``{"entity": "municipality", "value": <NIS code>, "start", "end", "confidence": 1.0, ...}``.
Modelled on rasa/nlu/extractors/spacy_entity_extractor.py.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

# Registers the pipeline's context filter with spaCy before SpacyNLP loads the built model
# (Rasa imports every component class of the graph before it runs any of them).
from bot.nlp.municipalities import LABEL, municipality_spans


def municipality_entities(doc) -> List[Dict[Text, Any]]:
    """The municipality entities of a doc of the built pipeline, without the extractor's name."""
    return [
        {
            "entity": LABEL,
            "value": span.ent_id_,
            "start": span.start_char,
            "end": span.end_char,
            "confidence": 1.0,
        }
        for span in municipality_spans(doc)
    ]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    is_trainable=False,
    model_from="SpacyNLP",
)
class MunicipalityEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds a ``municipality`` entity, valued with the NIS code, for each place the ruler finds."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

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

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            # Not the message's own spaCy doc: SpacyNLP lower-cases it, and case matters here
            # ("Boom" the town, "boom" the tree).
            found = self.add_extractor_name(municipality_entities(model.model(text)))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
