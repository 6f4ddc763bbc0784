"""``python -m bot.evaluation [all|check|train|holdout|cv]``: see ``bot.evaluation``.

all (the default) runs check, train, holdout and cv in turn; ``make eval`` runs the same steps
with ``rasa train nlu`` for the training.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bot.evaluation import EvaluationError  # noqa: E402

DEFAULT_MODEL = "build/eval/nlu.tar.gz"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.evaluation", description=__doc__)
    parser.add_argument("step", nargs="?", default="all",
                        choices=["all", "check", "train", "holdout", "cv"])
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--nlu", default="data/nlu", help="training data (directory or file)")
    parser.add_argument("--holdout", default="tests/nlu_holdout")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="NLU-only model to evaluate")
    parser.add_argument("--out", default="reports/nlu")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--strict", action="store_true",
                        help="exit with 1 when a held-out figure misses its target")
    return parser


def check(args) -> int:
    from bot.evaluation import data

    holdout = data.load_examples(args.holdout)
    training = data.load_examples(args.nlu)
    data.check_no_leak(holdout, training)
    print(f"check: none of the {len(holdout)} held-out messages is among the "
          f"{len(training)} training examples")
    return 0


def train(args) -> int:
    from pathlib import Path

    from bot.evaluation.parsing import train_nlu_model

    check(args)
    model = Path(args.model)
    started = time.monotonic()
    path = train_nlu_model(args.config, args.nlu, model.parent, model.name.removesuffix(".tar.gz"))
    print(f"train: {path} ({time.monotonic() - started:.0f} s)")
    return 0


def holdout(args) -> int:
    from bot.evaluation import holdout as evaluation
    from bot.evaluation import report

    summary, predictions = evaluation.evaluate(args.model, args.holdout, args.nlu, args.config)
    files = report.write_holdout(args.out, summary, predictions)
    intents, muni = summary["intents"], summary["entities"]["municipality"]
    conf = summary["fallback"]["configured"]
    print(f"holdout: macro F1 {intents['macro_f1']:.3f}, municipality F1 {muni['f1']:.3f}, "
          f"out-of-scope confident {100 * conf['confident_share']:.1f} %, in-scope fallback "
          f"{100 * conf['fallback_share']:.1f} % ({summary['seconds']['parse']:.0f} s parsing)")
    for warning in summary["warnings"]:
        print(f"holdout: warning: {warning}")
    print("holdout: wrote " + ", ".join(str(f) for f in files))
    if args.strict and not all(summary["targets"].values()):
        missed = [name for name, ok in summary["targets"].items() if not ok]
        print(f"holdout: targets missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


def cv(args) -> int:
    from bot.evaluation import crossval, report

    summary = report.load(args.out, report.SUMMARY)
    recommended = None
    if summary:
        r = summary["fallback"]["recommended"]
        recommended = (r["threshold"], r["ambiguity"])
    result = crossval.run(args.config, args.nlu, args.folds, thresholds=recommended)
    files = report.write_cv(args.out, result)
    print(f"cv: macro F1 {result['macro_f1_mean']:.3f} ± {result['macro_f1_std']:.3f} "
          f"({result['seconds'] / 60:.1f} min); wrote " + ", ".join(str(f) for f in files))
    return 0


STEPS = {"check": check, "train": train, "holdout": holdout, "cv": cv}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from bot.evaluation.parsing import quiet_rasa

    if args.step != "check":
        quiet_rasa()
    steps = ["train", "holdout", "cv"] if args.step == "all" else [args.step]
    try:
        for step in steps:
            code = STEPS[step](args)
            if code:
                return code
    except EvaluationError as exc:
        print(f"evaluation stopped: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
