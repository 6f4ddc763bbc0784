"""The held-out evaluation: parse every held-out message once, then score it all offline."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from bot.evaluation import (
    ENTITY_TYPES,
    FALLBACK_INTENT,
    TARGET_MACRO_F1,
    TARGET_MUNICIPALITY_F1,
)
from bot.evaluation import data, fallback, metrics
from bot.evaluation.parsing import Model, Parse, Progress, file_hash


def evaluate(
    model_path: str | Path,
    holdout_dir: str | Path,
    nlu_dir: str | Path,
    config_path: str | Path,
) -> tuple[dict, list[dict]]:
    """Guard, parse and score; returns the summary (see :func:`summarise`) and one row per
    held-out message (see :func:`prediction_rows`)."""
    holdout = data.load_examples(holdout_dir)
    training = data.load_examples(nlu_dir)
    data.check_no_leak(holdout, training)
    print(f"holdout: {len(holdout)} messages, training: {len(training)} examples; no overlap")

    started = time.monotonic()
    model = Model(model_path)
    loaded = time.monotonic()
    parses = model.parse_all([e.text for e in holdout], Progress("holdout: parsed"))
    parsed = time.monotonic()
    thresholds = fallback.thresholds_of(model.component_config("FallbackClassifier"))
    summary = summarise(holdout, parses, thresholds)
    summary["model"] = {
        "path": str(model_path),
        "sha256": file_hash(model_path),
        "model_id": model.metadata.model_id,
        "trained_at": model.metadata.trained_at.isoformat(timespec="seconds"),
        "rasa": model.metadata.rasa_open_source_version,
    }
    summary["data"] = {
        "config": str(config_path),
        "training": str(nlu_dir),
        "holdout": str(holdout_dir),
        # The model's own fingerprint covers config and training data; this one is readable.
        "training_sha256": data.fingerprint(config_path, nlu_dir),
        "holdout_sha256": data.fingerprint(holdout_dir),
    }
    summary["counts"]["training_examples"] = len(training)
    summary["counts"]["training_intents"] = len({e.intent for e in training})
    summary["seconds"] = {"load": round(loaded - started, 1), "parse": round(parsed - loaded, 1)}
    newest = max(f.stat().st_mtime for f in [Path(config_path), *data.yaml_files(nlu_dir)])
    if model.metadata.trained_at.timestamp() < newest:
        summary["warnings"].insert(
            0, f"the model is older than {config_path} or {nlu_dir}: the figures may not be "
            "those of the current training data (make eval retrains when they change)"
        )
    return summary, prediction_rows(holdout, parses)


def prediction_rows(holdout: list[data.Example], parses: list[Parse]) -> list[dict]:
    """Gold and predicted, per held-out message (predictions.jsonl: to look things up)."""
    return [
        {
            "text": e.text,
            "gold": e.intent,
            "predicted": p.intent,
            "confidence": p.confidence,
            "ranking": [list(r) for r in p.ranking[:5]],
            "gold_entities": list(e.entities),
            "entities": list(p.entities),
            "source": e.source,
        }
        for e, p in zip(holdout, parses)
    ]


def summarise(
    holdout: list[data.Example], parses: list[Parse], thresholds: tuple[float, float]
) -> dict:
    """Every figure of the held-out report, from gold examples and the model's parses."""
    golds = [e.intent for e in holdout]
    predicted = [p.intent for p in parses]
    rankings = [p.ranking for p in parses]
    scores = metrics.intent_scores(golds, predicted)
    rows, columns, counts = metrics.confusion(golds, predicted)

    entities = {}
    messages = [(e.text, list(e.entities), list(p.entities)) for e, p in zip(holdout, parses)]
    for entity in ENTITY_TYPES:
        entities[entity] = metrics.entity_scores(
            messages, entity, metrics.GOLD_VALUES.get(entity)
        ).to_json()

    error_rows = []
    for example, parse in zip(holdout, parses):
        # For a fallback, what the classifier itself thought is the useful part.
        underlying = fallback.base_ranking(parse.ranking)[:1]
        error_rows.append(
            {
                "text": example.text,
                "gold": example.intent,
                "predicted": parse.intent,
                "confidence": parse.confidence,
                "classifier_top": list(underlying[0]) if underlying else None,
                "source": example.source,
            }
        )

    threshold, ambiguity = thresholds
    configured = fallback.rates_from_predictions(golds, predicted, threshold, ambiguity)
    mismatches = fallback.selfcheck(predicted, rankings, threshold, ambiguity)
    results = fallback.sweep(golds, rankings)
    best = fallback.recommend(results, thresholds)

    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "counts": {
            "holdout_messages": len(holdout),
            "holdout_by_intent": {label: golds.count(label) for label in scores.labels},
            "holdout_files": sorted({e.source for e in holdout}),
        },
        "intents": {
            "macro_f1": scores.macro_f1,
            "macro_precision": scores.macro_precision,
            "macro_recall": scores.macro_recall,
            "accuracy": scores.accuracy,
            "report": scores.report(),
            "fallbacks": predicted.count(FALLBACK_INTENT),
        },
        "confusion": {"rows": rows, "columns": columns, "counts": counts},
        "entities": entities,
        "errors": metrics.worst_errors(error_rows, 20),
        "fallback": {
            "configured": configured.to_json(),
            # Offline recomputation at the model's own thresholds vs. what the model said.
            "selfcheck_mismatches": [holdout[i].text for i in mismatches],
            "sweep": [r.to_json() for r in results],
            "recommended": best.to_json(),
            "recommended_meets_target": best.meets_target,
        },
        "targets": {
            "macro_f1": scores.macro_f1 >= TARGET_MACRO_F1,
            "municipality_f1": entities["municipality"]["f1"] >= TARGET_MUNICIPALITY_F1,
            "out_of_scope_confident": configured.meets_target,
        },
        "warnings": _warnings(holdout, entities),
    }


def _warnings(holdout: list[data.Example], entities: dict) -> list[str]:
    found = []
    for text, labels in sorted(data.conflicting_labels(holdout).items()):
        found.append(
            f"held-out text {text!r} has more than one intent: {', '.join(sorted(labels))}"
        )
    for entity, score in entities.items():
        if score["gold"] and not score["predicted"]:
            found.append(
                f"{score['gold']} gold {entity} spans, but the model found no {entity} at all"
            )
        if score["unresolved"]:
            found.append(
                f"{len(score['unresolved'])} gold {entity} span(s) without a known value: "
                + ", ".join(repr(t) for t in score["unresolved"][:10])
            )
    return found
