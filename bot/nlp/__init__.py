"""The Dutch spaCy pipeline: built by ``python -m bot build-nlp`` into build/spacy/nl_klik.

Everything that needs lemmas or municipality entities (Rasa through SpacyNLP, knowledge
retrieval, catalogue search) uses this one pipeline.
"""
from __future__ import annotations

from functools import lru_cache

from bot.config import PROJECT_ROOT

PIPELINE_DIR = PROJECT_ROOT / "build" / "spacy" / "nl_klik"


@lru_cache(maxsize=1)
def load():
    """The built pipeline; built in memory when ``make`` has not built it yet (tests, tools)."""
    import spacy

    import bot.nlp.municipalities  # noqa: F401  (registers the factory the built pipeline names)

    if (PIPELINE_DIR / "meta.json").exists():
        return spacy.load(PIPELINE_DIR)
    from bot.nlp.build import create_pipeline

    return create_pipeline()


def lemmas(text: str) -> list[str]:
    """Lower-case lemmas of the words in ``text`` (punctuation and spaces dropped)."""
    doc = load()(text)
    return [(t.lemma_ or t.text).lower() for t in doc if not (t.is_punct or t.is_space)]
