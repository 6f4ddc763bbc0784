"""k-fold cross-validation of the training data: a fresh NLU-only model per fold."""
from __future__ import annotations

import gc
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bot.evaluation import data, fallback
from bot.evaluation.metrics import intent_scores
from bot.evaluation.parsing import Model, Progress, train_nlu_model

SEED = 42


def folds(intents: list[str], k: int = 5, seed: int = SEED) -> list[tuple[list[int], list[int]]]:
    """Stratified folds: (training indices, test indices), each example tested exactly once."""
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [
        (list(train), list(test)) for train, test in splitter.split([[0]] * len(intents), intents)
    ]


def _free_models() -> None:
    # Five models in one process: let TensorFlow drop the previous fold's graphs.
    import tensorflow as tf

    tf.keras.backend.clear_session()
    gc.collect()


def run(
    config: str | Path,
    nlu_dir: str | Path,
    k: int = 5,
    thresholds: tuple[float, float] | None = None,
    work_dir: str | Path | None = None,
) -> dict:
    """Train and test k models; returns per-fold and pooled figures.

    ``thresholds``: a (threshold, ambiguity) pair to check on the out-of-fold predictions too,
    e.g. the one the held-out sweep recommends (tuned on the held-out set, so worth a check on
    data it was not tuned on).
    """
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.training_data import TrainingData

    full = data.load_training_data(nlu_dir)
    examples = [m for m in full.training_examples if m.get("intent")]
    rest = [m for m in full.training_examples if not m.get("intent")]  # in every training part
    intents = [m.get("intent") for m in examples]
    splits = folds(intents, k)

    out_of_fold: dict[int, object] = {}
    per_fold = []
    configured = None
    with tempfile.TemporaryDirectory(prefix="klik-cv-", dir=work_dir) as tmp:
        for number, (train, test) in enumerate(splits, 1):
            started = time.monotonic()
            label = f"cv fold {number}/{k}"
            fold_dir = Path(tmp) / f"fold{number}"
            fold_dir.mkdir()
            part = TrainingData(
                [examples[i] for i in train] + rest,
                entity_synonyms=full.entity_synonyms,
                regex_features=full.regex_features,
                lookup_tables=full.lookup_tables,
                responses=full.responses,
            )
            RasaYAMLWriter().dump(fold_dir / "nlu.yml", part)
            print(f"{label}: training on {len(train)} examples …", flush=True)
            archive = train_nlu_model(config, fold_dir / "nlu.yml", fold_dir, "fold", cache=False)
            trained = time.monotonic()
            model = Model(archive)
            if configured is None:
                configured = fallback.thresholds_of(model.component_config("FallbackClassifier"))
            texts = [examples[i].get("text") for i in test]
            parses = model.parse_all(texts, Progress(f"{label}: parsed"))
            del model
            _free_models()
            for i, parse in zip(test, parses):
                out_of_fold[i] = parse
            scores = intent_scores([intents[i] for i in test], [p.intent for p in parses])
            per_fold.append(
                {
                    "fold": number,
                    "train": len(train),
                    "test": len(test),
                    "macro_f1": scores.macro_f1,
                    "accuracy": scores.accuracy,
                    "train_seconds": round(trained - started, 1),
                    "seconds": round(time.monotonic() - started, 1),
                }
            )
            print(
                f"{label}: macro F1 {scores.macro_f1:.3f} "
                f"({per_fold[-1]['seconds']:.0f} s)",
                flush=True,
            )

    order = sorted(out_of_fold)
    golds = [intents[i] for i in order]
    predicted = [out_of_fold[i].intent for i in order]
    rankings = [out_of_fold[i].ranking for i in order]
    pooled = intent_scores(golds, predicted)
    f1s = [f["macro_f1"] for f in per_fold]
    checks = {"configured": fallback.rates_from_predictions(golds, predicted, *configured)}
    if thresholds and tuple(thresholds) != tuple(configured):
        checks["recommended"] = fallback.rates(golds, rankings, *thresholds)
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "k": k,
        "seed": SEED,
        "examples": len(examples),
        "intents": len(set(intents)),
        "training_sha256": data.fingerprint(config, nlu_dir),
        "folds": per_fold,
        "macro_f1_mean": statistics.fmean(f1s),
        # Population standard deviation over the folds (numpy's default).
        "macro_f1_std": statistics.pstdev(f1s),
        "pooled": pooled.report(),
        "pooled_macro_f1": pooled.macro_f1,
        "fallback": {name: r.to_json() for name, r in checks.items()},
        "seconds": round(sum(f["seconds"] for f in per_fold), 1),
    }
