"""The intent model: logistic regression on TF-IDF of words and character n-grams, plus the
signals of bot/nlp/intent_features.py.

Why not DIET: on Klik's 2-3 thousand examples, with no pretrained Dutch word vectors we may
download, this linear model scored a higher held-out macro F1 and a higher cross-validated F1
than DIET did, its probabilities are better calibrated for the fallback threshold (DIET gave
wrong answers at 0.99), it trains in seconds and predicts in about a millisecond
(reports/nlu, benchmarks/RESULTS.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from bot.nlp.intent_features import REJECT_INTENTS, TrainingVocabulary, plain_text


@dataclass(frozen=True)
class Features:
    """One message as the model reads it."""

    text: str  # as typed
    tags: str  # intent_features.entity_tags(...)
    shape: list[float]  # intent_features.word_shape(...)


DEFAULTS = {
    "C": 30.0,
    # Balanced: intents with few examples count as much (macro F1). Then the out-of-scope and
    # nonsense examples count double: a confident answer to something Klik does not do costs
    # more than a fallback, and their balanced weight is the smallest (the largest, most varied
    # class). Chosen by cross-validation of the training data (reports/nlu).
    "class_weight": "balanced",
    "reject_weight": 2.0,
    # Folds for the training examples' unknown-word shares (see fit).
    "vocabulary_folds": 5,
    "word_ngrams": (1, 2),
    "char_ngrams": (1, 5),
    "max_iter": 5000,
}


class IntentModel:
    def __init__(self, **config) -> None:
        self.config = {**DEFAULTS, **config}
        self.words = TfidfVectorizer(
            analyzer="word",
            ngram_range=tuple(self.config["word_ngrams"]),
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w+\b",  # one-letter words count: "k", "u", "5"
        )
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.config["char_ngrams"]), sublinear_tf=True
        )
        # Presence of each kind of entity, 0 or 1.
        self.tags = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", use_idf=False, norm=None, binary=True
        )
        self.classifier = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"])
        self.vocabulary = TrainingVocabulary()
        self._weights = None  # coef_ transposed, contiguous (see _probabilities)

    def _matrix(self, examples: list[Features], unknown: np.ndarray, fit: bool) -> csr_matrix:
        texts = [plain_text(e.text) for e in examples]
        tags = [e.tags for e in examples]
        shapes = csr_matrix(np.array([e.shape for e in examples], dtype=float))
        if fit:
            parts = [self.words.fit_transform(texts), self.chars.fit_transform(texts),
                     self.tags.fit_transform(tags)]
        else:
            parts = [self.words.transform(texts), self.chars.transform(texts),
                     self.tags.transform(tags)]
        return hstack([*parts, shapes, csr_matrix(unknown)]).tocsr()

    def _unknown(self, examples: list[Features]) -> np.ndarray:
        return np.array([self.vocabulary.unknown_shares(e.text) for e in examples], dtype=float)

    def _unknown_out_of_fold(self, examples: list[Features], intents: list[str]) -> np.ndarray:
        """Each training example's unknown-word shares against the vocabulary of the other
        folds. Against the full vocabulary every training word is known, and the model would
        never learn what an unseen word means."""
        shares = np.zeros((len(examples), 2))
        folds = min(self.config["vocabulary_folds"], len(examples))
        if folds < 2:
            return shares
        for rest, fold in KFold(folds, shuffle=True, random_state=0).split(examples):
            vocabulary = TrainingVocabulary.of(
                (examples[i].text for i in rest), (intents[i] for i in rest)
            )
            shares[fold] = [vocabulary.unknown_shares(examples[i].text) for i in fold]
        return shares

    def _class_weights(self, intents: list[str]) -> dict[str, float] | str:
        if self.config["class_weight"] != "balanced":
            return self.config["class_weight"]
        names, counts = np.unique(intents, return_counts=True)
        weights = len(intents) / (len(names) * counts)
        return {
            str(name): float(w) * (self.config["reject_weight"] if name in REJECT_INTENTS else 1)
            for name, w in zip(names, weights)
        }

    def fit(self, examples: list[Features], intents: list[str]) -> "IntentModel":
        if len(set(intents)) < 2:
            raise ValueError("the intent model needs examples of at least two intents")
        intents = list(intents)
        unknown = self._unknown_out_of_fold(examples, intents)
        self.vocabulary = TrainingVocabulary.of((e.text for e in examples), intents)
        self.classifier.set_params(class_weight=self._class_weights(intents))
        self.classifier.fit(self._matrix(examples, unknown, fit=True), intents)
        self._weights = None
        return self

    @property
    def intents(self) -> list[str]:
        return list(self.classifier.classes_)

    def rank(self, examples: list[Features], top: int = 10) -> list[list[tuple[str, float]]]:
        """Per message the ``top`` intents with their probability, most likely first."""
        if not examples:
            return []
        matrix = self._matrix(examples, self._unknown(examples), fit=False)
        probabilities = self._probabilities(matrix)
        names = self.classifier.classes_
        return [
            [(str(names[i]), float(row[i])) for i in np.argsort(-row, kind="stable")[:top]]
            for row in probabilities
        ]

    def _probabilities(self, matrix: csr_matrix) -> np.ndarray:
        """predict_proba of the multinomial model (softmax of the linear scores), computed with
        the weights laid out once for this product: sklearn's own copies the 25 x 36,000 weight
        matrix on every call, 0.7 ms of a worker's CPU per message."""
        if len(self.classifier.classes_) == 2:  # sklearn's binary model has one row of weights
            return self.classifier.predict_proba(matrix)
        if self._weights is None:
            self._weights = np.ascontiguousarray(self.classifier.coef_.T)
        return softmax(matrix @ self._weights + self.classifier.intercept_, axis=1)

    # Stored with skops, which loads only the types it is told to trust (no pickle).
    def save(self, path: Path) -> None:
        import skops.io as sio

        sio.dump(
            {"config": self.config, "words": self.words, "chars": self.chars,
             "tags": self.tags, "classifier": self.classifier,
             "vocabulary": sorted(self.vocabulary.words),
             "in_scope_vocabulary": sorted(self.vocabulary.in_scope_words)},
            path,
        )

    @classmethod
    def load(cls, path: Path) -> "IntentModel":
        import skops.io as sio

        untrusted = sio.get_untrusted_types(file=path)
        unexpected = [t for t in untrusted if t not in TRUSTED_TYPES]
        if unexpected:
            raise ValueError(f"unexpected types in {path}: {unexpected}")
        state = sio.load(path, trusted=untrusted)
        if "vocabulary" not in state:
            # Its matrix lacks the unknown-word columns: it cannot rank today's features.
            raise ValueError(f"{path} was saved by an older Klik; retrain it (make train)")
        model = cls(**state["config"])
        model.words, model.chars = state["words"], state["chars"]
        model.tags, model.classifier = state["tags"], state["classifier"]
        model.vocabulary = TrainingVocabulary(state["vocabulary"], state["in_scope_vocabulary"])
        return model


# What a saved IntentModel holds beyond skops' default trusted types.
TRUSTED_TYPES = {
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "scipy.sparse._csr.csr_matrix",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "builtins.tuple",
}
