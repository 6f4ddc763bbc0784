"""Examples from Rasa NLU YAML files, and the guard against held-out messages in training."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bot.evaluation import EvaluationError

YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    # Gold entities as Rasa reads them: dicts with entity, start, end, value.
    entities: tuple[dict, ...] = ()
    source: str = field(default="", compare=False)


def yaml_files(path: str | Path) -> list[Path]:
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def load_examples(path: str | Path) -> list[Example]:
    """Intent examples of every YAML file under ``path``, in file order.

    File by file (not Rasa's directory loader) so that a README or other file next to the data
    is never read as data, and each example knows its file.
    """
    from rasa.shared.nlu.training_data.loading import load_data

    files = yaml_files(path)
    if not files:
        raise EvaluationError(f"no NLU YAML files in {path}")
    examples = []
    for file in files:
        for message in load_data(str(file)).intent_examples:
            entities = tuple(
                {k: e[k] for k in ("entity", "start", "end", "value") if k in e}
                for e in message.get("entities") or []
            )
            examples.append(
                Example(message.get("text"), message.get("intent"), entities, str(file))
            )
    return examples


def load_training_data(path: str | Path):
    """Rasa's TrainingData of every YAML file under ``path`` (examples, synonyms, lookups)."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData().merge(*(load_data(str(f)) for f in yaml_files(path)))


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, punctuation removed, runs of spaces as one: "Is da gratis?!" → "is da gratis"."""
    kept = "".join(ch for ch in text.lower() if not unicodedata.category(ch).startswith("P"))
    return _SPACES.sub(" ", kept).strip()


def _key(text: str) -> str:
    # Punctuation-only messages ("???", "?!?!") would all normalise to "": compare those as
    # they are written (lower case, outer spaces removed).
    return normalise(text) or text.strip().lower()


def leaked(holdout: list[Example], training: list[Example]) -> list[tuple[Example, Example]]:
    """Held-out examples whose normalised text is also a training example, with that example."""
    seen = {}
    for example in training:
        seen.setdefault(_key(example.text), example)
    return [(h, seen[_key(h.text)]) for h in holdout if _key(h.text) in seen]


def check_no_leak(holdout: list[Example], training: list[Example]) -> None:
    """Fail loudly: a held-out message that was trained on makes every figure flatter."""
    pairs = leaked(holdout, training)
    if pairs:
        lines = "\n".join(
            f"  {h.text!r} ({h.source}) = training {t.text!r} ({t.source})" for h, t in pairs
        )
        raise EvaluationError(
            f"{len(pairs)} held-out message(s) also in the training data "
            f"(after lower-casing and removing punctuation); remove them from one side:\n{lines}"
        )


def conflicting_labels(examples: list[Example]) -> dict[str, set[str]]:
    """Normalised texts that occur with more than one intent (a data error worth a warning)."""
    intents: dict[str, set[str]] = {}
    for example in examples:
        intents.setdefault(_key(example.text), set()).add(example.intent)
    return {text: labels for text, labels in intents.items() if len(labels) > 1}


def fingerprint(*paths: str | Path) -> str:
    """Short sha256 over the named files (directories: their YAML files), to tie figures to data."""
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        for file in [path] if path.is_file() else yaml_files(path):
            digest.update(str(file).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
