"""Why the intent model is configured as it is: a 5-fold cross-validation of the training data
(data/nlu only, never the held-out set) of the model with and without its out-of-scope aids.

Prints, per variant, at the FallbackClassifier thresholds of config.yml: the share of
out-of-scope and nonsense examples that get a confident in-scope answer, the share of in-scope
examples that fall back, and the macro F1. A script, not a test (about 6 minutes on 2 cores):
    .venv/bin/python benchmarks/intent_variants.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# No block_tensorflow(): the features come from the Rasa components' own functions, whose
# modules import Rasa's extractor base, which imports TensorFlow.
import numpy as np  # noqa: E402
import spacy  # noqa: E402
import yaml  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402

import bot.nlp.municipalities  # noqa: E402,F401  (registers the pipeline's spaCy component)
from bot.evaluation import FALLBACK_INTENT  # noqa: E402
from bot.evaluation.data import load_examples  # noqa: E402
from bot.evaluation.fallback import decide, rates_from_predictions, thresholds_of  # noqa: E402
from bot.nlp import PIPELINE_DIR  # noqa: E402
from bot.nlp.intent_classifier import features_of, found_entities  # noqa: E402
from bot.nlp.intent_features import Lexicon  # noqa: E402
from bot.nlp.intent_model import IntentModel  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class WithoutUnknownWords(IntentModel):
    """The same model with the unknown-word columns held at zero (so they carry nothing)."""

    def _unknown(self, examples):
        return np.zeros((len(examples), 2))

    def _unknown_out_of_fold(self, examples, intents):
        return np.zeros((len(examples), 2))


VARIANTS = {
    "words, entities, Dutch share (no aids)": lambda: WithoutUnknownWords(reject_weight=1.0),
    "+ unknown-word shares": lambda: IntentModel(reject_weight=1.0),
    "+ out-of-scope weight x2 (configured)": lambda: IntentModel(reject_weight=2.0),
    "+ out-of-scope weight x3": lambda: IntentModel(reject_weight=3.0),
}


def main() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    fallback = next((c for c in config["pipeline"] if c["name"] == "FallbackClassifier"), None)
    threshold, ambiguity = thresholds_of(fallback)
    nlp = spacy.load(PIPELINE_DIR)
    lexicon = Lexicon.from_spacy(nlp)
    examples = load_examples(ROOT / "data" / "nlu")
    features = [features_of(e.text, found_entities(e.text, nlp), lexicon) for e in examples]
    golds = [e.intent for e in examples]
    folds = list(StratifiedKFold(5, shuffle=True, random_state=42).split(features, golds))
    print(f"{len(examples)} training examples, 5 folds, threshold {threshold:.2f}, "
          f"ambiguity {ambiguity:.2f}\n")
    print(f"{'variant':42s} {'confident out of scope':>22s} {'in-scope fallback':>18s} "
          f"{'macro F1':>9s} {'s':>5s}")
    for name, make in VARIANTS.items():
        started = time.perf_counter()
        predictions = [FALLBACK_INTENT] * len(golds)
        for rest, fold in folds:
            model = make().fit([features[i] for i in rest], [golds[i] for i in rest])
            for i, ranking in zip(fold, model.rank([features[i] for i in fold])):
                predictions[i] = decide(ranking, threshold, ambiguity)
        r = rates_from_predictions(golds, predictions, threshold, ambiguity)
        print(f"{name:42s} {r.confident_share * 100:21.1f}% {r.fallback_share * 100:17.1f}% "
              f"{r.macro_f1:9.3f} {time.perf_counter() - started:5.0f}")


if __name__ == "__main__":
    main()
