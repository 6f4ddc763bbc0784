"""What Klik's intent classifier reads in a message, besides its words.

Three signals that words alone miss (reports/nlu, cross-validation of the training data):

- **Which kinds of entity the domain core found** (municipality, age, audience, category,
  barrier, part of day), **whether there is a number** ("twaalf", "75") and **whether there is
  a need's reference code** ("K7Q4-M2XF"). "Lokeren" and "Zonhoven" are different words but the
  same answer to "In welke gemeente?"; an unseen town name, number word or code otherwise looks
  like keyboard noise.
- **How much of the message is Dutch** by the lemmatiser's word list: "sdfkj qwe" has no known
  word, "ik wil zwemmen" only known ones. This separates nonsense from short answers.
- **How much of the message no training example uses** (TrainingVocabulary): in "mijn laptop
  blijft hangen" no in-scope example has "laptop" or "hangen", so "mijn ... wil" alone should
  not make it a confident request. Out-of-scope messages are about anything; this tells the
  model that words it has never seen point away from what Klik does.

Plain functions on plain data, so the features are the same at training and at prediction.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable

from bot.catalogue.vocabulary import number_value
from bot.needs.codes import parse_code

# Gold intents for which "I can't help with that" or falling back is the right answer.
REJECT_INTENTS = frozenset({"out_of_scope", "nonsense"})

# The entity names the NLU pipeline's own extractors give (domain.yml).
ENTITY_KINDS = ("municipality", "age", "audience", "category", "barrier", "part_of_day")
NO_ENTITY = "ent_none"

_WORD = re.compile(r"\w+")
_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")  # letters only, 3 or more: skips "k", "da", "12"
_MAX_WORDS = 30  # longer messages count as this long
_MAX_AGE = 120


def plain_text(text: str) -> str:
    """Lower case without accents: "Ça coûte?" → "ca coute?" (typed accents vary a lot)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def entity_tags(entity_names: Iterable[str], text: str = "") -> str:
    """The kinds of entity found, and the signals of ``text``, as tokens for a vectoriser:
    "ent_age ent_municipality sig_number"."""
    kinds = sorted({name for name in entity_names if name in ENTITY_KINDS})
    tags = [f"ent_{kind}" for kind in kinds] + signal_tags(text)
    return " ".join(tags) or NO_ENTITY


def signal_tags(text: str) -> list[str]:
    """"sig_number" for a number that could be an age, other than "een" (an article far more
    often than a count); "sig_code" for a need's reference code. The entity extractors leave
    both alone: a bare number is an age only as the answer to "Hoe oud?", which the form knows,
    not the NLU. "111111" is no age: typed noise."""
    tags = []
    words = _WORD.findall(text.lower())
    if any(w != "een" and (number_value(w) or 0) in range(1, _MAX_AGE + 1) for w in words):
        tags.append("sig_number")
    if parse_code(text):
        tags.append("sig_code")
    return tags


def word_shape(text: str, is_known: Callable[[str], bool]) -> list[float]:
    """[share of known words, 1 if there is no word at all, length in words up to 30 / 30]."""
    words = _WORD.findall(text.lower())
    if not words:
        return [0.0, 1.0, 0.0]
    known = sum(1 for w in words if w.isdigit() or is_known(w))
    return [known / len(words), 0.0, min(len(words), _MAX_WORDS) / _MAX_WORDS]


class Lexicon:
    """Dutch word forms and lemmas of the lookup lemmatiser (spacy-lookups-data). Not the
    training vocabulary: that holds the nonsense examples' "words" too."""

    def __init__(self, lemma_table=None) -> None:
        self._table = lemma_table
        # The table's keys are inflected forms; its lemmas ("gaan", "museum") are values only.
        self._lemmas = set(lemma_table.values()) if lemma_table is not None else set()

    @classmethod
    def from_spacy(cls, nlp) -> "Lexicon":
        table = None
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups
            if lookups.has_table("lemma_lookup"):
                table = lookups.get_table("lemma_lookup")
        return cls(table)

    def __call__(self, word: str) -> bool:
        word = word.lower()
        if word in self._lemmas:
            return True
        return self._table is not None and word in self._table


class TrainingVocabulary:
    """The words of the training examples: of all of them, and of the in-scope ones."""

    def __init__(self, words: Iterable[str] = (), in_scope_words: Iterable[str] = ()) -> None:
        self.words = frozenset(words)
        self.in_scope_words = frozenset(in_scope_words)

    @classmethod
    def of(cls, texts: Iterable[str], intents: Iterable[str]) -> "TrainingVocabulary":
        words: set[str] = set()
        in_scope: set[str] = set()
        for text, intent in zip(texts, intents):
            found = _CONTENT_WORD.findall(plain_text(text))
            words.update(found)
            if intent not in REJECT_INTENTS:
                in_scope.update(found)
        return cls(words, in_scope)

    def unknown_shares(self, text: str) -> list[float]:
        """[share of the message's words in no example, share in no in-scope example]."""
        found = _CONTENT_WORD.findall(plain_text(text))
        if not found:
            return [0.0, 0.0]
        return [
            sum(w not in self.words for w in found) / len(found),
            sum(w not in self.in_scope_words for w in found) / len(found),
        ]
