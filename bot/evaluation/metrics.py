"""Intent and entity scores from gold labels and predictions (plain data, no model needed)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.evaluation import FALLBACK_INTENT, REJECT_INTENTS


def scored_intent(gold: str, predicted: str) -> str:
    """The prediction as it is scored: falling back is right for out-of-scope and nonsense
    messages (the bot then says it did not understand), wrong for every other message."""
    if predicted == FALLBACK_INTENT and gold in REJECT_INTENTS:
        return gold
    return predicted


@dataclass(frozen=True)
class IntentScores:
    labels: tuple[str, ...]  # the gold intents, sorted; the macro average is over these
    per_intent: dict  # intent -> {"precision", "recall", "f1-score", "support", "confused_with"}
    macro_f1: float
    macro_precision: float
    macro_recall: float
    accuracy: float
    weighted_f1: float

    def report(self) -> dict:
        """Rasa/sklearn style: one entry per intent plus the averages."""
        return {
            **self.per_intent,
            "accuracy": self.accuracy,
            "macro avg": {
                "precision": self.macro_precision,
                "recall": self.macro_recall,
                "f1-score": self.macro_f1,
                "support": sum(v["support"] for v in self.per_intent.values()),
            },
            "weighted avg": {"f1-score": self.weighted_f1},
        }


def intent_scores(golds: list[str], predictions: list[str]) -> IntentScores:
    """Precision, recall and F1 per gold intent; ``predictions`` are raw (nlu_fallback kept).

    A prediction of an intent that is not in the gold set (nlu_fallback among them) costs the
    gold intent's recall and no intent's precision; the macro F1 is over the gold intents only.
    """
    from sklearn.metrics import precision_recall_fscore_support

    if len(golds) != len(predictions) or not golds:
        raise ValueError("need as many predictions as gold labels, and at least one")
    scored = [scored_intent(g, p) for g, p in zip(golds, predictions)]
    labels = sorted(set(golds))
    precision, recall, f1, support = precision_recall_fscore_support(
        golds, scored, labels=labels, zero_division=0
    )
    # Most frequent confusion first.
    confusions = Counter((g, p) for g, p in zip(golds, scored) if g != p).most_common()
    per_intent = {
        label: {
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1-score": float(f1[i]),
            "support": int(support[i]),
            "confused_with": {p: n for (g, p), n in confusions if g == label},
        }
        for i, label in enumerate(labels)
    }
    total = sum(int(s) for s in support)
    return IntentScores(
        labels=tuple(labels),
        per_intent=per_intent,
        macro_f1=float(f1.mean()),
        macro_precision=float(precision.mean()),
        macro_recall=float(recall.mean()),
        accuracy=sum(g == s for g, s in zip(golds, scored)) / len(golds),
        weighted_f1=float(sum(f1[i] * support[i] for i in range(len(labels))) / total),
    )


def confusion(golds: list[str], predictions: list[str]) -> tuple[list, list, list[list[int]]]:
    """Rows (gold intents), columns (gold intents, then other predictions such as nlu_fallback)
    and counts of the scored predictions."""
    scored = [scored_intent(g, p) for g, p in zip(golds, predictions)]
    rows = sorted(set(golds))
    columns = rows + sorted(set(scored) - set(rows))
    counts = Counter(zip(golds, scored))
    return rows, columns, [[counts[(r, c)] for c in columns] for r in rows]


# --- entities --------------------------------------------------------------------------------


def overlaps(a: dict, b: dict) -> int:
    """Characters two spans share (0: they do not overlap)."""
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def match_entities(gold: list[dict], predicted: list[dict], entity: str) -> list[tuple[dict, dict]]:
    """Pairs (gold, predicted) of type ``entity`` whose spans overlap, each span used once
    (largest overlap first), so one long prediction cannot count for two gold spans."""
    gold = [g for g in gold if g["entity"] == entity]
    predicted = [p for p in predicted if p.get("entity") == entity]
    candidates = sorted(
        ((overlaps(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_gold, used_pred, pairs = set(), set(), []
    for size, i, j in candidates:
        if size > 0 and i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((gold[i], predicted[j]))
    return pairs


@dataclass
class EntityScore:
    entity: str
    gold: int = 0
    predicted: int = 0
    matched: int = 0  # type right and spans overlap
    value_checked: int = 0  # matched pairs whose gold value is known
    value_right: int = 0
    unresolved: list = None  # gold texts whose value could not be known

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value_accuracy(self) -> float | None:
        return self.value_right / self.value_checked if self.value_checked else None

    def to_json(self) -> dict:
        return {
            "entity": self.entity,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "value_checked": self.value_checked,
            "value_right": self.value_right,
            "value_accuracy": self.value_accuracy,
            "unresolved": self.unresolved or [],
        }


def entity_scores(
    messages: list[tuple[str, list[dict], list[dict]]], entity: str, gold_value=None
) -> EntityScore:
    """F1 of one entity type over ``messages`` = [(text, gold entities, predicted entities)].

    ``gold_value(text, gold_entity)`` gives the value the gold span stands for (None: unknown);
    a matched prediction's value is compared with it as strings.
    """
    score = EntityScore(entity, unresolved=[])
    for text, gold, predicted in messages:
        score.gold += sum(g["entity"] == entity for g in gold)
        score.predicted += sum(p.get("entity") == entity for p in predicted)
        for g, p in match_entities(gold, predicted, entity):
            score.matched += 1
            if gold_value is None:
                continue
            expected = gold_value(text, g)
            if expected is None:
                score.unresolved.append(text[g["start"]:g["end"]])
                continue
            score.value_checked += 1
            score.value_right += str(p.get("value")) == str(expected)
    return score


def municipality_value(text: str, gold: dict) -> str | None:
    """The NIS code of a gold municipality span: its annotated value when that is a NIS code,
    else what the project's own place look-up (bot.places.resolve) makes of the span's text."""
    from bot.places import resolve

    value = str(gold.get("value") or "")
    if value.isdigit() and len(value) == 5:
        return value
    place = resolve(text[gold["start"]:gold["end"]]).municipality
    return place.nis_code if place else None


def age_value(text: str, gold: dict) -> int | None:
    """The age of a gold age span ("10", "tien", "75 jaar"), read by the domain core, which
    also gives the age extractor's values."""
    from bot.catalogue.vocabulary import normalize_age

    return normalize_age(gold.get("value") or text[gold["start"]:gold["end"]])


GOLD_VALUES = {"municipality": municipality_value, "age": age_value}


# --- errors ----------------------------------------------------------------------------------


def worst_errors(rows: list[dict], limit: int = 20) -> list[dict]:
    """The wrongly classified messages with the highest confidence first.

    ``rows``: dicts with text, gold, predicted, confidence (and anything else to keep).
    """
    wrong = [r for r in rows if scored_intent(r["gold"], r["predicted"]) != r["gold"]]
    return sorted(wrong, key=lambda r: (-r["confidence"], r["text"]))[:limit]
