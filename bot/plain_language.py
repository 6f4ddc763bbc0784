"""Plain-language checks (klare taal) for everything Klik says.

Rules (FACTS.md §5, Wablieft): no sentence over 20 words, and a Dutch Flesch-Douma reading ease
(textstat with language "nl") of at least 50 per text; the average over all texts above 65.
``python -m bot.plain_language`` prints every text that breaks a rule, worst first.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT

MAX_SENTENCE_WORDS = 20
MIN_READING_EASE = 50.0
MIN_AVERAGE_READING_EASE = 65.0
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"

_TEMPLATE_VAR = re.compile(r"\{[^{}]*\}")
# A sentence ends at . ! ? or a line break; "zelfmoord1813.be" and "€1,50" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*")
_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(frozen=True)
class Problem:
    name: str  # where the text comes from, e.g. "domain.yml utter_greet" or "knowledge uitpas_what"
    text: str
    message: str


def prepare(text: str) -> str:
    """The text as a reader sees it: template variables out, list marks out."""
    text = _TEMPLATE_VAR.sub("", text)
    return "\n".join(_LIST_MARK.sub("", line) for line in text.splitlines())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(prepare(text)) if _WORD.search(s)]


def words(sentence: str) -> list[str]:
    return _WORD.findall(sentence)


@lru_cache(maxsize=1)
def _textstat():
    import textstat

    textstat.set_lang("nl")
    return textstat


def reading_ease(text: str) -> float:
    """Flesch-Douma reading ease; every line or list item counts as a sentence."""
    punctuated = " ".join(s if s[-1] in ".!?" else s + "." for s in sentences(text))
    return float(_textstat().flesch_reading_ease(punctuated))


def check_text(name: str, text: str) -> list[Problem]:
    problems = []
    for sentence in sentences(text):
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            problems.append(Problem(name, text, f"{count} words: {sentence!r}"))
    if sentences(text):
        ease = reading_ease(text)
        if ease < MIN_READING_EASE:
            message = f"reading ease {ease:.0f} < {MIN_READING_EASE:.0f}"
            problems.append(Problem(name, text, message))
    return problems


def domain_texts(path: Path = DOMAIN_FILE) -> list[tuple[str, str]]:
    """Every response text in a Rasa domain file (none when the file does not exist)."""
    if not Path(path).exists():
        return []
    domain = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    texts = []
    for name, variations in (domain.get("responses") or {}).items():
        for variation in variations or []:
            if isinstance(variation, dict) and isinstance(variation.get("text"), str):
                texts.append((f"domain.yml {name}", variation["text"]))
    return texts


def knowledge_texts() -> list[tuple[str, str]]:
    from bot import knowledge

    return [(f"knowledge {e.id}", e.answer) for e in knowledge.entries()]


def safety_texts() -> list[tuple[str, str]]:
    from bot import safety

    return [(f"safety {kind.value}", text) for kind, text in safety.all_help_texts()]


def all_texts() -> list[tuple[str, str]]:
    return domain_texts() + knowledge_texts() + safety_texts()


def average_reading_ease(texts: list[tuple[str, str]]) -> float:
    scores = [reading_ease(text) for _, text in texts if sentences(text)]
    return sum(scores) / len(scores) if scores else 100.0


def main() -> int:
    texts = all_texts()
    problems = [p for name, text in texts for p in check_text(name, text)]
    for problem in problems:
        print(f"{problem.name}: {problem.message}")
    average = average_reading_ease(texts)
    print(f"{len(texts)} texts, {len(problems)} problems, average reading ease {average:.1f}")
    return 1 if problems or average <= MIN_AVERAGE_READING_EASE else 0


if __name__ == "__main__":
    sys.exit(main())
