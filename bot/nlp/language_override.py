"""Rasa 3.6 NLU component: a message in another language gets the intent ``other_language``.

Runs after the classifiers (and the FallbackClassifier) and before DistressOverride, so the
distress safety net still has the last word. When bot.language finds French, Arabic, Turkish,
..., the intent becomes ``other_language`` with full confidence and an entity ``language``
carries the code; action_other_language answers in that language. Dutch and undecidable
messages pass untouched. No training, no model files: lingua's models ship in its wheel.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import language, safety

INTENT_NAME = "other_language"
ENTITY_NAME = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageOverride(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GraphComponent:
        language.detect("warm up")  # builds the detector now, not on a person's first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            # Distress wins (DistressOverride runs later too; checking here keeps that true
            # whatever the pipeline order).
            if not text or text.startswith("/") or safety.check(text) is not None:
                continue
            code = language.detect(text)
            if code is None:
                continue
            top = {"name": INTENT_NAME, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INTENT_NAME]
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
            entity = {
                "entity": ENTITY_NAME,
                "value": code,
                "start": 0,
                "end": len(text),
                "confidence": 1.0,
                "extractor": self.__class__.__name__,
            }
            others = [e for e in message.get(ENTITIES) or [] if e.get("entity") != ENTITY_NAME]
            message.set(ENTITIES, [*others, entity], add_to_output=True)
        return messages
