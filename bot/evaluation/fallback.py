"""The FallbackClassifier's decision recomputed offline, and the threshold sweep.

Rasa 3.6 (rasa/nlu/classifiers/fallback_classifier.py) falls back when the top intent's
confidence is below ``threshold``, or when the top two confidences of the ranking differ by
less than ``ambiguity_threshold`` (both strict). It then sets the intent to nlu_fallback with
confidence = threshold and inserts that entry at the head of the ranking, leaving the rest.
So removing the nlu_fallback entry gives back the classifier's own ranking.

Components after it (DistressOverride; later perhaps a language override) put their intent at
the head with confidence 1.0, before any nlu_fallback entry. Such a head is final at every
threshold: it is either an override, or a classifier answer of 1.0 that no threshold <= 1 and
no ambiguity (the runner-up is then ~0) would overturn. ``selfcheck`` compares the offline
decision at the model's own thresholds with what the model said, so a new override that
breaks this rule shows up as a mismatch in the report.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.evaluation import FALLBACK_INTENT, REJECT_INTENTS, TARGET_OUT_OF_SCOPE_CONFIDENT
from bot.evaluation.metrics import intent_scores

Ranking = tuple[tuple[str, float], ...]

# Rasa's defaults (rasa/core/constants.py), for a model without a FallbackClassifier config.
DEFAULT_THRESHOLD = 0.3
DEFAULT_AMBIGUITY = 0.1

THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(11))  # 0.30 … 0.80
AMBIGUITIES = tuple(round(0.02 * i, 2) for i in range(11))  # 0.00 … 0.20


def base_ranking(ranking: Ranking) -> Ranking:
    """The ranking without the FallbackClassifier's entry."""
    return tuple(r for r in ranking if r[0] != FALLBACK_INTENT)


def decide(ranking: Ranking, threshold: float, ambiguity: float) -> str:
    """The intent the pipeline would give with these thresholds (``ranking`` as Rasa returned
    it, with or without its nlu_fallback entry)."""
    base = base_ranking(ranking)
    if not base:
        return FALLBACK_INTENT
    name, confidence = base[0]
    if ranking and ranking[0][0] != FALLBACK_INTENT and _is_override(ranking):
        return name
    if confidence >= 1.0:
        return name
    if confidence < threshold:
        return FALLBACK_INTENT
    if len(base) >= 2 and confidence - base[1][1] < ambiguity:
        return FALLBACK_INTENT
    return name


def _is_override(ranking: Ranking) -> bool:
    # An entry before nlu_fallback was put there by a component after the FallbackClassifier.
    names = [r[0] for r in ranking]
    return FALLBACK_INTENT in names and names.index(FALLBACK_INTENT) > 0


@dataclass(frozen=True)
class Rates:
    threshold: float
    ambiguity: float
    rejects: int  # gold out_of_scope + nonsense messages
    rejects_confident: int  # ... that got an in-scope intent instead of falling back
    in_scope: int
    in_scope_fallback: int  # in-scope messages that fell back
    macro_f1: float

    @property
    def confident_share(self) -> float:
        return self.rejects_confident / self.rejects if self.rejects else 0.0

    @property
    def fallback_share(self) -> float:
        return self.in_scope_fallback / self.in_scope if self.in_scope else 0.0

    @property
    def meets_target(self) -> bool:
        return self.confident_share < TARGET_OUT_OF_SCOPE_CONFIDENT

    def to_json(self) -> dict:
        return {
            "threshold": self.threshold,
            "ambiguity": self.ambiguity,
            "rejects": self.rejects,
            "rejects_confident": self.rejects_confident,
            "confident_share": self.confident_share,
            "in_scope": self.in_scope,
            "in_scope_fallback": self.in_scope_fallback,
            "fallback_share": self.fallback_share,
            "macro_f1": self.macro_f1,
        }


def rates_from_predictions(
    golds: list[str], predictions: list[str], threshold: float, ambiguity: float
) -> Rates:
    rejects = [p for g, p in zip(golds, predictions) if g in REJECT_INTENTS]
    in_scope = [p for g, p in zip(golds, predictions) if g not in REJECT_INTENTS]
    return Rates(
        threshold=threshold,
        ambiguity=ambiguity,
        rejects=len(rejects),
        # out_of_scope for a nonsense message (or the other way round) is no confident answer
        rejects_confident=sum(p not in REJECT_INTENTS | {FALLBACK_INTENT} for p in rejects),
        in_scope=len(in_scope),
        in_scope_fallback=sum(p == FALLBACK_INTENT for p in in_scope),
        macro_f1=intent_scores(golds, predictions).macro_f1,
    )


def rates(golds: list[str], rankings: list[Ranking], threshold: float, ambiguity: float) -> Rates:
    predictions = [decide(r, threshold, ambiguity) for r in rankings]
    return rates_from_predictions(golds, predictions, threshold, ambiguity)


def sweep(
    golds: list[str],
    rankings: list[Ranking],
    thresholds=THRESHOLDS,
    ambiguities=AMBIGUITIES,
) -> list[Rates]:
    return [rates(golds, rankings, t, a) for t in thresholds for a in ambiguities]


def recommend(results: list[Rates], current: tuple[float, float] | None = None) -> Rates:
    """The pair that keeps the confident out-of-scope share under the target with the fewest
    in-scope fallbacks (ties: fewer confident rejects, higher macro F1, nearest to ``current``).
    When no pair meets the target: the pair with the smallest confident share."""
    t0, a0 = current or (0.0, 0.0)

    def distance(r: Rates) -> float:
        return abs(r.threshold - t0) + abs(r.ambiguity - a0)

    meeting = [r for r in results if r.meets_target]
    if meeting:
        return min(
            meeting,
            key=lambda r: (r.in_scope_fallback, r.rejects_confident, -r.macro_f1, distance(r)),
        )
    return min(
        results, key=lambda r: (r.rejects_confident, r.in_scope_fallback, -r.macro_f1, distance(r))
    )


def selfcheck(predicted: list[str], rankings: list[Ranking], threshold: float, ambiguity: float):
    """Indices where the offline decision differs from the model's own intent."""
    return [
        i
        for i, (p, r) in enumerate(zip(predicted, rankings))
        if decide(r, threshold, ambiguity) != p
    ]


def thresholds_of(config: dict | None) -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of a FallbackClassifier config; Rasa's defaults for
    keys it leaves out; (0, 0), which never falls back, for a model without the component."""
    if config is None:
        return 0.0, 0.0
    return (
        float(config.get("threshold", DEFAULT_THRESHOLD)),
        float(config.get("ambiguity_threshold", DEFAULT_AMBIGUITY)),
    )
