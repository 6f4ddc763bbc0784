"""Rasa 3.6 NLU component: Klik's intent classifier (bot/nlp/intent_model.py).

In config.yml after SpacyNLP and the two entity extractors:
``- name: bot.nlp.intent_classifier.KlikIntentClassifier``. At prediction it reads the
entities those extractors found; in training (where extractors add nothing) it finds them with
the same functions, so both see the same features.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import bot.catalogue.vocabulary
import bot.nlp.facet_extractor
import bot.nlp.intent_features
import bot.nlp.intent_model
import bot.nlp.rasa_component
import bot.needs.codes
from bot.nlp import PIPELINE_DIR
from bot.nlp.facet_extractor import facet_entities
from bot.nlp.intent_features import Lexicon, entity_tags, word_shape
from bot.nlp.intent_model import Features, IntentModel
from bot.nlp.rasa_component import municipality_entities

logger = logging.getLogger(__name__)

FILE_NAME = "intent_model.skops"

# What the trained model depends on besides this class, its config and the training data. Rasa's
# training cache keys a component on those three and on the spaCy model's *name* only, so
# without this a change to the features or to the municipality patterns would reuse a stale model.
_FEATURE_MODULES = (
    bot.nlp.intent_model, bot.nlp.intent_features, bot.nlp.facet_extractor,
    bot.nlp.rasa_component, bot.catalogue.vocabulary, bot.needs.codes,
)
_PIPELINE_FILES = ("config.cfg", "municipality_ruler/patterns.jsonl", "lemmatizer/lookups/lookups.bin")


def code_fingerprint() -> str:
    digest = hashlib.sha256()
    paths = [Path(m.__file__) for m in _FEATURE_MODULES]
    paths += [Path(PIPELINE_DIR) / name for name in _PIPELINE_FILES]
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()


def found_entities(text: str, nlp) -> List[Dict[Text, Any]]:
    """What the pipeline's two extractors find in a text; in training they have not run yet."""
    return municipality_entities(nlp(text)) + facet_entities(text)


def features_of(text: str, entities: List[Dict[Text, Any]], lexicon: Lexicon) -> Features:
    return Features(
        text=text,
        tags=entity_tags((e.get("entity") for e in entities), text),
        shape=word_shape(text, lexicon),
    )


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
    is_trainable=True,
    model_from="SpacyNLP",
)
class KlikIntentClassifier(IntentClassifier, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 30.0, "reject_weight": 2.0, "ranking_length": 10}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        return code_fingerprint()

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[IntentModel] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._lexicon: Optional[Lexicon] = None

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs):
        try:
            with model_storage.read_from(resource) as directory:
                model = IntentModel.load(directory / FILE_NAME)
        except FileNotFoundError:
            # Rasa loads an untrained component too (a model trained without NLU data). A file
            # that is there but holds unexpected types raises: better no model than a guess.
            logger.debug("No intent model in %s.", resource.name)
            model = None
        return cls(config, model_storage, resource, model)

    def _features(self, message: Message, nlp, entities: List[Dict[Text, Any]]) -> Features:
        if self._lexicon is None:
            self._lexicon = Lexicon.from_spacy(nlp)
        return features_of(message.get(TEXT) or "", entities, self._lexicon)

    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        if not examples:
            return self._resource
        features = [
            self._features(m, model.model, found_entities(m.get(TEXT), model.model))
            for m in examples
        ]
        self._model = IntentModel(
            C=self._config["C"], reject_weight=self._config["reject_weight"]
        ).fit(
            features, [m.get(INTENT) for m in examples]
        )
        with self._storage.write_to(self._resource) as directory:
            self._model.save(directory / FILE_NAME)
        return self._resource

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        # Every message gets an intent, the FallbackClassifier after this one expects it: no
        # text (or no trained model) gives none at confidence 0, so Klik says it did not
        # understand, as Rasa's own classifiers do. Button payloads ("/inform{...}") are
        # classified too; RegexMessageHandler overwrites their intent later.
        todo = []
        for message in messages:
            if self._model is not None and (message.get(TEXT) or "").strip():
                todo.append(message)
            else:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if not todo:
            return messages
        features = [self._features(m, model.model, m.get(ENTITIES) or []) for m in todo]
        for message, ranking in zip(todo, self._model.rank(features, self._config["ranking_length"])):
            entries = [{"name": name, "confidence": p} for name, p in ranking]
            message.set(INTENT, entries[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, entries, add_to_output=True)
        return messages
