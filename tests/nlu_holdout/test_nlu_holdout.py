"""The held-out NLU test set (tests/nlu_holdout): complete, clean, and never trained on.

The set only measures; if an example here shows up in data/nlu/ the measurement is worthless,
so the overlap check is the most important one.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rasa.shared.importers.importer import TrainingDataImporter

from bot import places

ROOT = Path(__file__).resolve().parents[2]
HOLDOUT = Path(__file__).resolve().parent
NEW_INTENTS = {"start_over"}  # planned intents the domain may not list yet
ENTITIES = {"municipality", "age"}
BIG = {"search_activity": 80, "inform": 50, "ask_knowledge": 80}


def load_nlu(path: Path):
    """The NLU files of a folder as `rasa test nlu` reads them (README.md and *.py are skipped;
    plain `load_data(folder)` would stop at README.md)."""
    return TrainingDataImporter.load_from_dict(training_data_paths=[str(path)]).get_nlu_data()


def _norm(text: str) -> str:
    # Lower case without punctuation; a message of only punctuation or emoji keeps its text.
    folded = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    return folded or text.strip()


@pytest.fixture(scope="module")
def holdout():
    return load_nlu(HOLDOUT)


@pytest.fixture(scope="module")
def examples(holdout):
    return [(m.get("text"), m.get("intent"), m.get("entities") or []) for m in holdout.intent_examples]


def test_every_file_is_rasa_3_1_nlu():
    files = sorted(HOLDOUT.glob("*.yml"))
    assert len(files) >= 7
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["version"] == "3.1", path
        assert set(data) == {"version", "nlu"}, path


def test_size_and_spread(holdout, examples):
    counts = holdout.number_of_examples_per_intent
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    expected = set(domain["intents"]) | NEW_INTENTS
    assert set(counts) == expected
    assert len(examples) >= 480
    assert min(counts.values()) >= 12, counts
    for intent, least in BIG.items():
        assert counts[intent] >= least, (intent, counts[intent])
    assert counts["out_of_scope"] + counts["nonsense"] >= 70


def test_no_duplicates_and_no_text_under_two_intents(examples):
    seen: dict[str, str] = {}
    for text, intent, _ in examples:
        key = _norm(text)
        assert key not in seen, f"{text!r} ({intent}) repeats an example of {seen[key]}"
        seen[key] = intent


def test_only_municipality_and_age_are_annotated(examples):
    with_place = with_age = 0
    for text, _, entities in examples:
        kinds = {e["entity"] for e in entities}
        assert kinds <= ENTITIES, text
        with_place += "municipality" in kinds
        with_age += "age" in kinds
    assert with_place >= 120
    assert with_age >= 40


def test_every_annotated_place_is_a_municipality(examples):
    unknown = [e["value"] for _, _, entities in examples for e in entities
               if e["entity"] == "municipality" and places.resolve(e["value"]).municipality is None]
    assert not unknown


def test_every_annotated_age_is_a_number():
    words = {"twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf",
             "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien"}
    for path in HOLDOUT.glob("*.yml"):
        for value in re.findall(r"\[([^\]]+)\]\(age\)", path.read_text(encoding="utf-8")):
            assert value.isdigit() or value.lower() in words, (path.name, value)


@pytest.fixture(scope="module")
def training():
    """Normalised texts of data/nlu/, mapped to their original text for the failure message."""
    training_dir = ROOT / "data" / "nlu"
    if not any(training_dir.glob("*.yml")):
        pytest.skip("no training data yet")
    return {_norm(m.get("text")): m.get("text") for m in load_nlu(training_dir).intent_examples}


def test_never_in_the_training_data(examples, training):
    """Written separately from data/nlu/: no held-out text may appear there, under any intent."""
    leaked = [text for text, _, _ in examples if _norm(text) in training]
    assert not leaked, f"{len(leaked)} held-out examples are in data/nlu/: {leaked[:10]}"


_GAP = "\0"  # stands for "any one word" in a swap key; never occurs in a normalised text


def _without_one_word(words: list[str]):
    for i in range(len(words)):
        yield " ".join(words[:i] + words[i + 1:])


def _with_one_word_open(words: list[str]):
    for i in range(len(words)):
        yield " ".join(words[:i] + [_GAP] + words[i + 1:])


def near_copies(held_out: list[str], training: dict[str, str]) -> list[tuple[str, str]]:
    """(held-out text, training text) pairs that differ by at most one word.

    A held-out message of 3+ words may not equal a training example after removing one word
    from either side, nor after swapping one word ("kunnen we herstarten" vs "kunnen we
    herbeginnen"). A 1-2 word message may only not equal one exactly: there are too few short
    answers ("voor jongeren", "voor mezelf") to keep them one word apart. The training side is
    indexed by its one-word-deleted and one-word-open variants, so the check stays linear
    (pairwise edit distances would be ~650 x ~2,000 comparisons).
    """
    shorter: dict[str, str] = {}  # training minus one word -> training text
    swapped: dict[str, str] = {}  # training with one word open -> training text
    for norm, text in training.items():
        words = norm.split()
        for key in _without_one_word(words):
            shorter.setdefault(key, text)
        for key in _with_one_word_open(words):
            swapped.setdefault(key, text)
    found = []
    for text in held_out:
        norm = _norm(text)
        words = norm.split()
        match = training.get(norm)
        if match is None and len(words) >= 3:
            match = (shorter.get(norm)
                     or next((training[k] for k in _without_one_word(words) if k in training), None)
                     or next((swapped[k] for k in _with_one_word_open(words) if k in swapped), None))
        if match is not None:
            found.append((text, match))
    return found


def test_near_copies_are_caught():
    training = {_norm(t): t for t in ["ik ben de draad kwijt kunnen we herbeginnen",
                                      "zoek iets om te zwemmen in gent", "voor mezelf", "ja"]}
    held_out = ["ik ben de draad kwijt, kunnen we herstarten",  # one word swapped
                "zoek iets om te zwemmen in gent aub",  # one word added
                "zoek iets te zwemmen in gent",  # one word removed
                "Voor mezelf!",  # short: exact
                "voor jongeren", "ja ja",  # short: one word apart is allowed
                "kan ik ergens zwemmen in gent"]  # really different
    assert [h for h, _ in near_copies(held_out, training)] == held_out[:4]


def test_no_near_copy_in_the_training_data(examples, training):
    """A held-out text one word away from a training example measures recall, not understanding."""
    near = near_copies([text for text, _, _ in examples], training)
    assert not near, f"{len(near)} held-out examples are one word from data/nlu/: " + "; ".join(
        f"{h!r} ~ {t!r}" for h, t in near[:10])
