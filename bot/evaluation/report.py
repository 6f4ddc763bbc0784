"""The files in reports/nlu/: README.md, intent_report.json, errors.md, fallback.md,
cross_validation.md, confusion_matrix.png, and summary.json / cross_validation.json /
predictions.jsonl from which they are made (README.md is rebuilt after each step)."""
from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation import (
    TARGET_MACRO_F1,
    TARGET_MUNICIPALITY_F1,
    TARGET_OUT_OF_SCOPE_CONFIDENT,
)
from bot.evaluation.fallback import AMBIGUITIES, THRESHOLDS

SUMMARY = "summary.json"
CV_JSON = "cross_validation.json"


def write_holdout(out_dir: str | Path, summary: dict, predictions: list[dict]) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _json(out / SUMMARY, summary)
    _json(out / "intent_report.json", summary["intents"]["report"])
    with (out / "predictions.jsonl").open("w", encoding="utf-8") as fh:
        for row in predictions:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "errors.md").write_text(errors_md(summary), encoding="utf-8")
    (out / "fallback.md").write_text(fallback_md(summary), encoding="utf-8")
    confusion_png(summary["confusion"], out / "confusion_matrix.png")
    return [*write_readme(out), out / "intent_report.json", out / "errors.md", out / "fallback.md",
            out / "confusion_matrix.png"]


def write_cv(out_dir: str | Path, cv: dict) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _json(out / CV_JSON, cv)
    (out / "cross_validation.md").write_text(cross_validation_md(cv), encoding="utf-8")
    return [*write_readme(out), out / "cross_validation.md"]


def load(out_dir: str | Path, name: str) -> dict | None:
    path = Path(out_dir) / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _pct(share: float) -> str:
    return f"{100 * share:.1f} %"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**NO**"


# --- README ----------------------------------------------------------------------------------


def write_readme(out: Path) -> list[Path]:
    (out / "README.md").write_text(readme_md(load(out, SUMMARY), load(out, CV_JSON)), "utf-8")
    return [out / "README.md"]


def readme_md(summary: dict | None, cv: dict | None) -> str:
    lines = [
        "# NLU evaluation",
        "",
        "Written by `make eval` (`python -m bot.evaluation`); do not edit, run it again. The",
        "model is trained on `data/nlu` only and scored on `tests/nlu_holdout`, which is never",
        "trained on.",
        "",
    ]
    if summary:
        lines += _readme_holdout(summary)
    else:
        lines += ["No held-out evaluation yet (`python -m bot.evaluation holdout`).", ""]
    lines += ["## Cross-validation", ""]
    if cv:
        lines += [
            f"{cv['k']}-fold stratified cross-validation of the {cv['examples']} training examples "
            f"({cv['intents']} intents), one fresh model per fold: macro F1 "
            f"**{cv['macro_f1_mean']:.3f} ± {cv['macro_f1_std']:.3f}** (mean ± std over folds; "
            f"pooled {cv['pooled_macro_f1']:.3f}). {cv['generated_at'][:10]}, training data "
            f"`{cv['training_sha256']}`, {cv['seconds'] / 60:.0f} min. "
            "See [cross_validation.md](cross_validation.md).",
            "",
        ]
        if summary and cv["training_sha256"] != summary["data"]["training_sha256"]:
            lines += [
                "**The cross-validation ran on other training data than the model above.**",
                "",
            ]
    else:
        lines += ["Not run yet (`python -m bot.evaluation cv`).", ""]
    lines += [
        "## Files",
        "",
        "- [intent_report.json](intent_report.json): precision, recall, F1, confusions per intent",
        "- [confusion_matrix.png](confusion_matrix.png): gold intent (rows) against prediction",
        "- [errors.md](errors.md): the 20 most confident wrong intents",
        "- [fallback.md](fallback.md): out-of-scope handling and the threshold sweep",
        "- [cross_validation.md](cross_validation.md): the folds",
        "- summary.json, cross_validation.json, predictions.jsonl: the data behind these pages",
        "",
    ]
    return "\n".join(lines)


def _readme_holdout(s: dict) -> list[str]:
    counts, intents, ents = s["counts"], s["intents"], s["entities"]
    conf = s["fallback"]["configured"]
    rec = s["fallback"]["recommended"]
    muni, age = ents["municipality"], ents["age"]
    value = muni["value_accuracy"]
    lines = [
        f"{s['generated_at'][:10]} · model `{s['model']['sha256']}` (sha256 of "
        f"`{s['model']['path']}`, Rasa model id `{s['model']['model_id']}`) · training data "
        f"`{s['data']['training_sha256']}` ({counts['training_examples']} examples, "
        f"{counts['training_intents']} intents) · held-out set `{s['data']['holdout_sha256']}` "
        f"({counts['holdout_messages']} messages, {len(counts['holdout_by_intent'])} intents, "
        f"{muni['gold']} municipality and {age['gold']} age spans)",
        "",
        "No held-out message occurs in the training data (compared after lower-casing and removing "
        "punctuation; the evaluation stops when one does).",
        "",
        "| Figure (held-out set) | Value | Target | Met |",
        "|---|---|---|---|",
        f"| Intent macro F1 | **{intents['macro_f1']:.3f}** | ≥ {TARGET_MACRO_F1} | "
        f"{_yes(s['targets']['macro_f1'])} |",
        f"| Municipality entity F1 (type right, spans overlap) | **{muni['f1']:.3f}** | "
        f"≥ {TARGET_MUNICIPALITY_F1} | {_yes(s['targets']['municipality_f1'])} |",
        f"| Out-of-scope and nonsense messages that get a confident in-scope answer "
        f"(threshold {conf['threshold']:.2f}, ambiguity {conf['ambiguity']:.2f}) | "
        f"**{_pct(conf['confident_share'])}** ({conf['rejects_confident']}/{conf['rejects']}) | "
        f"< {_pct(TARGET_OUT_OF_SCOPE_CONFIDENT)} | "
        f"{_yes(s['targets']['out_of_scope_confident'])} |",
        f"| In-scope messages that fall back | {_pct(conf['fallback_share'])} "
        f"({conf['in_scope_fallback']}/{conf['in_scope']}) | as few as possible | |",
        f"| Intent accuracy | {intents['accuracy']:.3f} | | |",
        f"| Municipality: right NIS code among found spans | "
        f"{'n/a' if value is None else f'{value:.3f}'} "
        f"({muni['value_right']}/{muni['value_checked']}) | | |",
        f"| Age entity F1 | {age['f1']:.3f} (precision {age['precision']:.3f}, recall "
        f"{age['recall']:.3f}) | | |",
        "",
        f"Threshold sweep: threshold {rec['threshold']:.2f} with ambiguity {rec['ambiguity']:.2f} "
        + (
            f"keeps the confident out-of-scope share at {_pct(rec['confident_share'])} with "
            f"{rec['in_scope_fallback']} in-scope fallbacks ({_pct(rec['fallback_share'])}); "
            if s["fallback"]["recommended_meets_target"]
            else "comes closest, and still misses the out-of-scope target; "
        )
        + "tuned on this same set, so see the out-of-fold check in cross_validation.md.",
        "",
        "A message that falls back (nlu_fallback) counts as right only when it is out of scope or "
        "nonsense. Macro F1 is the unweighted mean over the intents of the held-out set.",
        "",
        "| Intent | Precision | Recall | F1 | Held-out messages |",
        "|---|---|---|---|---|",
    ]
    for label, row in intents["report"].items():
        if isinstance(row, dict) and "support" in row and label not in ("macro avg",):
            lines.append(
                f"| {label} | {row['precision']:.2f} | {row['recall']:.2f} | "
                f"{row['f1-score']:.2f} | {row['support']} |"
            )
    lines.append("")
    if s["warnings"]:
        lines += ["Warnings:", ""] + [f"- {_cell(w)}" for w in s["warnings"]] + [""]
    return lines


# --- errors and fallback ---------------------------------------------------------------------


def errors_md(s: dict) -> str:
    lines = [
        "# The most confident wrong intents",
        "",
        f"Held-out set, model `{s['model']['sha256']}`, {s['generated_at'][:10]}. For a fallback "
        "the confidence is the threshold; \"classifier's top\" is what the classifier itself "
        "thought.",
        "",
        "| # | Message | Gold | Predicted | Confidence | Classifier's top |",
        "|---|---|---|---|---|---|",
    ]
    for number, e in enumerate(s["errors"], 1):
        top = e.get("classifier_top")
        lines.append(
            f"| {number} | {_cell(e['text'])} | {e['gold']} | {e['predicted']} | "
            f"{e['confidence']:.3f} | {f'{top[0]} {top[1]:.3f}' if top else ''} |"
        )
    if not s["errors"]:
        lines.append("| | no wrong intents | | | | |")
    return "\n".join(lines) + "\n"


def _grid(sweep: list[dict], key: str, configured: dict, recommended: dict) -> list[str]:
    cells = {(r["threshold"], r["ambiguity"]): r for r in sweep}
    lines = [
        "| threshold \\ ambiguity | " + " | ".join(f"{a:.2f}" for a in AMBIGUITIES) + " |",
        "|---" * (len(AMBIGUITIES) + 1) + "|",
    ]
    for t in THRESHOLDS:
        row = []
        for a in AMBIGUITIES:
            r = cells.get((t, a))
            text = "" if r is None else f"{100 * r[key]:.1f}"
            if (t, a) == (recommended["threshold"], recommended["ambiguity"]):
                text = f"**{text}**"
            if (t, a) == (configured["threshold"], configured["ambiguity"]):
                text += " (now)"
            row.append(text)
        lines.append(f"| {t:.2f} | " + " | ".join(row) + " |")
    return lines


def fallback_md(s: dict) -> str:
    f = s["fallback"]
    conf, rec = f["configured"], f["recommended"]
    lines = [
        "# Knowing what it does not know",
        "",
        f"Held-out set, model `{s['model']['sha256']}`, {s['generated_at'][:10]}: "
        f"{conf['rejects']} out-of-scope and nonsense messages, {conf['in_scope']} in-scope ones.",
        "",
        f"## As configured (threshold {conf['threshold']:.2f}, ambiguity {conf['ambiguity']:.2f})",
        "",
        f"- out-of-scope and nonsense messages with a confident in-scope answer: "
        f"**{_pct(conf['confident_share'])}** ({conf['rejects_confident']}/{conf['rejects']}), "
        f"target < {_pct(TARGET_OUT_OF_SCOPE_CONFIDENT)}",
        f"- in-scope messages that fall back: **{_pct(conf['fallback_share'])}** "
        f"({conf['in_scope_fallback']}/{conf['in_scope']})",
        "",
        "## Sweep",
        "",
        "Computed offline from each message's intent ranking with the FallbackClassifier's entry "
        "removed: Rasa 3.6 falls back when the top confidence is below the threshold or the top "
        "two differ by less than the ambiguity threshold. An intent set by a component after it "
        "(the distress override, confidence 1.0) stays at every setting.",
        "",
    ]
    mismatches = f["selfcheck_mismatches"]
    if mismatches:
        lines += [
            "**Self-check failed**: at the configured thresholds the offline decision differs "
            f"from the model's for {len(mismatches)} message(s), so the sweep below is not exact: "
            + ", ".join(repr(_cell(m)) for m in mismatches[:10]),
            "",
        ]
    else:
        lines += ["Self-check: at the configured thresholds the offline decision equals the "
                  "model's own for every message.", ""]
    if f["recommended_meets_target"]:
        lines += [
            f"**Recommended: threshold {rec['threshold']:.2f}, ambiguity {rec['ambiguity']:.2f}**: "
            f"{_pct(rec['confident_share'])} confident out-of-scope ({rec['rejects_confident']}/"
            f"{rec['rejects']}), {_pct(rec['fallback_share'])} in-scope fallbacks "
            f"({rec['in_scope_fallback']}/{rec['in_scope']}), macro F1 {rec['macro_f1']:.3f}. "
            "The pair under the target with the fewest in-scope fallbacks (ties: fewer confident "
            "out-of-scope answers, higher macro F1, nearest to the current pair).",
        ]
    else:
        lines += [
            f"**No pair reaches the target.** Closest: threshold {rec['threshold']:.2f}, ambiguity "
            f"{rec['ambiguity']:.2f} with {_pct(rec['confident_share'])} confident out-of-scope "
            "answers: more out-of-scope and nonsense training examples are needed, thresholds "
            "alone will not do it.",
        ]
    lines += [
        "",
        "It is tuned on the held-out set, so its figures here flatter a little; "
        "cross_validation.md checks the same pair on out-of-fold predictions of the training data.",
        "",
        "### Out-of-scope and nonsense messages with a confident in-scope answer (%)",
        "",
        *_grid(f["sweep"], "confident_share", conf, rec),
        "",
        "### In-scope messages that fall back (%)",
        "",
        *_grid(f["sweep"], "fallback_share", conf, rec),
        "",
    ]
    return "\n".join(lines)


# --- cross-validation ------------------------------------------------------------------------


def cross_validation_md(cv: dict) -> str:
    lines = [
        "# Cross-validation of the training data",
        "",
        f"{cv['generated_at'][:10]}, training data `{cv['training_sha256']}`: {cv['k']} stratified "
        f"folds (seed {cv['seed']}) of {cv['examples']} examples, {cv['intents']} intents. "
        "Each fold trains a fresh NLU-only model on the other folds and parses its own examples "
        "once.",
        "",
        f"Macro F1 **{cv['macro_f1_mean']:.3f} ± {cv['macro_f1_std']:.3f}** (mean ± population "
        f"standard deviation over the folds); pooled over all out-of-fold predictions "
        f"{cv['pooled_macro_f1']:.3f}.",
        "",
        "| Fold | Trained on | Tested on | Macro F1 | Accuracy | Minutes |",
        "|---|---|---|---|---|---|",
    ]
    for f in cv["folds"]:
        lines.append(
            f"| {f['fold']} | {f['train']} | {f['test']} | {f['macro_f1']:.3f} | "
            f"{f['accuracy']:.3f} | {f['seconds'] / 60:.1f} |"
        )
    lines += ["", "## Out-of-scope handling on out-of-fold predictions", ""]
    names = {"configured": "as configured", "recommended": "recommended by the held-out sweep"}
    for name, r in cv["fallback"].items():
        lines.append(
            f"- {names.get(name, name)} (threshold {r['threshold']:.2f}, ambiguity {r['ambiguity']:.2f}): "
            f"{_pct(r['confident_share'])} of {r['rejects']} out-of-scope and nonsense examples "
            f"get a confident in-scope answer; {_pct(r['fallback_share'])} of {r['in_scope']} "
            "in-scope examples fall back"
        )
    lines += [
        "",
        "## Per intent (pooled out-of-fold predictions)",
        "",
        "| Intent | Precision | Recall | F1 | Examples | Most confused with |",
        "|---|---|---|---|---|---|",
    ]
    for label, row in cv["pooled"].items():
        if isinstance(row, dict) and "confused_with" in row:
            confused = ", ".join(f"{k} ({v})" for k, v in list(row["confused_with"].items())[:3])
            lines.append(
                f"| {label} | {row['precision']:.2f} | {row['recall']:.2f} | "
                f"{row['f1-score']:.2f} | {row['support']} | {confused} |"
            )
    return "\n".join(lines) + "\n"


# --- confusion matrix ------------------------------------------------------------------------


def confusion_png(confusion: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows, columns = confusion["rows"], confusion["columns"]
    counts = np.array(confusion["counts"], dtype=float)
    # Colour by the share of the gold row, so small intents are as visible as large ones.
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    size = max(8.0, 0.42 * len(columns) + 3)
    fig, ax = plt.subplots(figsize=(size, max(5.0, 0.42 * len(rows) + 2.5)), dpi=110)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=60, ha="right", fontsize=9)
    ax.set_yticks(range(len(rows)), rows, fontsize=9)
    ax.set_xlabel("predicted (a fallback counts as right for out_of_scope and nonsense)")
    ax.set_ylabel("gold intent")
    ax.set_title("Held-out intents: counts; colour = share of the gold row", fontsize=11)
    for i in range(len(rows)):
        for j in range(len(columns)):
            if counts[i, j]:
                ax.text(j, i, int(counts[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if shares[i, j] > 0.5 else "black")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
