"""Finds the knowledge entry that answers a question: spaCy lemmas + BM25, with an honest "no".

Two BM25 indexes over the same words: one document per question phrasing (a close phrasing
wins) and one per entry (topic, questions and answer together, for questions nobody wrote
down). A question whose own weighty words the best entry does not contain gets no answer,
so "hoe bak ik een taart" is not answered with the nearest thing about money.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from functools import lru_cache

from rank_bm25 import BM25Okapi

from bot.knowledge.model import REGIONS, Entry, KnowledgeBase
from bot.knowledge.text import fold

# Weight of the whole-entry score next to the best single phrasing.
ENTRY_WEIGHT = 0.5
# An answer needs at least this share of the question's weight (idf) in the entry's words ...
MIN_COVERAGE = 0.5
# ... and is called confident from this share on, when it also stands out from the next one.
CONFIDENT_COVERAGE = 0.6
CONFIDENT_MARGIN = 1.15
MIN_SCORE = 2.5
# A word the knowledge base never uses counts as this share of the rarest known word.
UNKNOWN_WEIGHT = 0.6
FUZZY_CUTOFF = 0.85
# Regional entries (Artikel 27 in Brussels) rank a little lower for someone elsewhere.
OTHER_REGION_FACTOR = 0.8

# spaCy's list drops words that carry the meaning of a barrier question ("alleen", "weinig").
_KEEP = {
    "alleen", "weinig", "buiten", "pas", "vrij", "iemand", "niets", "ander", "andere",
    "opnieuw", "lang",
}
# Words that say how someone asks, not what about ("wat betekent …", "leg eens uit").
_FILLER = """
    aub alstublieft alsjeblieft bedankt dank eigenlijk graag zou zouden willen wil wilt weten
    weet vraag vraagje hallo dag hoi ok oke euh kunnen kun kunt moeten moet mogen gaan ga gaat
    ging komen kom komt doen doe krijgen krijg krijgt kreeg hebben heb zijn worden ge gij gie
    jou beetje allemaal precies eens genoeg echt heel erg zo zon iets niks nik hier daar
    uitleg uitleggen leg betekent betekenen betekenis bedoelen bedoelt bedoel werkt gebeurt
    gebeuren zeg zeggen vind vindt denk weer nu dus toch bv bijvoorbeeld soms gewoon via tonen
    toon ergens bestaat bestaan laatste uur laten blijft blijven zoek zoeken halen haal
    werk werken job staat staan
"""


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    # Imported here: spaCy (and with it TensorFlow, when Rasa is installed) loads only when a
    # question is analysed, not when the gateway imports bot.safety, which shares bot.knowledge.
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(fold(w) for w in STOP_WORDS if fold(w) not in _KEEP) | frozenset(
        _FILLER.split()
    )


@dataclass(frozen=True)
class KnowledgeHit:
    entry: Entry
    score: float  # combined BM25 score (only comparable within one question)
    coverage: float  # 0..1: idf-weighted share of the question's words this entry knows
    confident: bool  # answer it; otherwise ask "Bedoel je …?" with the hit as a button


class Analyzer:
    """Text -> index terms: fold, lemmatise, map synonyms, drop stop words, stem."""

    def __init__(self, synonyms: dict[str, tuple[str, ...]]):
        self._canonical = {}
        for canonical, words in synonyms.items():
            for word in (canonical, *words):
                self._canonical[fold(word)] = fold(canonical)
        from nltk.stem.snowball import SnowballStemmer

        self._stemmer = SnowballStemmer("dutch")
        self._stop = _stop_words()

    def terms(self, text: str) -> list[str]:
        from bot.nlp import load

        terms = []
        words = [
            (t.text, (t.lemma_ or t.text).lower())
            for t in load()(fold(text))
            if not (t.is_punct or t.is_space)
        ]
        for word, lemma in words + _separable_verbs([w for w, _ in words]):
            canonical = self._canonical.get(word) or self._canonical.get(lemma)
            if canonical is None:
                canonical = lemma
                if canonical in self._stop or word in self._stop:
                    continue
            terms.append(self._stem(canonical))
        return terms

    @lru_cache(maxsize=4096)
    def _stem(self, word: str) -> str:
        if any(ch.isdigit() for ch in word) or word in self._canonical.values():
            return word
        stem = self._stemmer.stem(word)
        # NLTK leaves "kennen" as "kenn"; Dutch spelling undoubles it ("ken").
        if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
            stem = stem[:-1]
        return stem


# Dutch splits verbs: "vraag het kansentarief aan" means "aanvragen".
_SEPARABLE = {
    ("vraag", "aan"): "aanvragen", ("vraagt", "aan"): "aanvragen",
    ("vroeg", "aan"): "aanvragen", ("breng", "mee"): "meebrengen",
    ("brengt", "mee"): "meebrengen", ("neem", "mee"): "meebrengen",
    ("neemt", "mee"): "meebrengen", ("schrijf", "in"): "inschrijven",
    ("schrijft", "in"): "inschrijven", ("betaalt", "mee"): "meebetalen",
    ("betaal", "mee"): "meebetalen", ("doe", "aan"): "aandoen", ("trek", "aan"): "aantrekken",
}


def _separable_verbs(words: list[str]) -> list[tuple[str, str]]:
    found = []
    for i, word in enumerate(words):
        for particle in ("aan", "mee", "in"):  # the particle comes later in the sentence
            verb = _SEPARABLE.get((word, particle))
            if verb and particle in words[i + 1 :]:
                found.append((verb, verb))
    return found


def _key(text: str) -> str:
    """Exact-match key for a question: folded, without punctuation."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())


class Retriever:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.analyzer = Analyzer(kb.synonyms)
        entries = kb.entries
        self._question_owner: list[int] = []
        question_docs: list[list[str]] = []
        entry_docs: list[list[str]] = []
        self._exact: dict[object, int] = {}  # folded text, or its set of terms -> entry
        for index, entry in enumerate(entries):
            topic = self.analyzer.terms(entry.topic)
            # Naming just the topic ("wat betekent kansentarief?") asks for this entry.
            if topic:
                self._exact.setdefault(frozenset(topic), index)
            doc = list(topic)
            for question in entry.questions:
                terms = self.analyzer.terms(question)
                question_docs.append(topic + terms)
                self._question_owner.append(index)
                self._exact.setdefault(_key(question), index)
                doc.extend(terms)
            doc.extend(self.analyzer.terms(entry.answer))
            entry_docs.append(doc)
        self._question_bm25 = BM25Okapi(question_docs)
        self._entry_bm25 = BM25Okapi(entry_docs)
        self._entry_vocab = [frozenset(doc) for doc in entry_docs]
        self._vocab = sorted(set().union(*self._entry_vocab))
        self._vocab_set = frozenset(self._vocab)
        idf = self._entry_bm25.idf
        self._idf = idf
        self._unknown_idf = max(idf.values()) if idf else 1.0

    # -- query side -----------------------------------------------------------------------

    @lru_cache(maxsize=4096)
    def _correct(self, term: str) -> str:
        """Typos ("kansetarief") and compounds ("voetbalclub") become indexed words."""
        if term in self._vocab_set or len(term) < 6 or term.isdigit():
            return term
        close = difflib.get_close_matches(term, self._vocab, n=1, cutoff=FUZZY_CUTOFF)
        if close:
            return close[0]
        # The head of a Dutch compound is its last part: "voetbalclub" is a kind of "club".
        # A head longer than half the word is rarely one ("overzicht" is no "zicht").
        for size in range(len(term) // 2, 3, -1):
            if term[-size:] in self._vocab_set:
                return term[-size:]
        return term

    def _query_terms(self, text: str) -> list[str]:
        return [self._correct(t) for t in self.analyzer.terms(text)]

    def search(self, text: str, *, region: str | None = None, limit: int = 3) -> list[KnowledgeHit]:
        """The best entries for ``text``, best first; only those that pass the honesty bar.

        ``region`` ("vlaanderen" or "brussel", from the person's municipality) ranks entries
        for the other region a little lower; they stay reachable.
        """
        if region is not None and region not in REGIONS:
            raise ValueError(f"region must be one of {', '.join(REGIONS)} or None, not {region!r}")
        # A number the knowledge base does not use (an hour, an age) says nothing about topic.
        typed = [
            t for t in dict.fromkeys(self.analyzer.terms(text))
            if not t.isdigit() or t in self._vocab_set
        ]
        guessed = {t: self._correct(t) for t in typed}
        terms = list(dict.fromkeys(guessed.values()))
        exact = self._exact.get(_key(text))
        if exact is None and terms:
            exact = self._exact.get(frozenset(terms))
        if not terms and exact is None:
            return []
        by_question = self._question_bm25.get_scores(terms)
        best_phrasing = [0.0] * len(self.kb.entries)
        for owner, score in zip(self._question_owner, by_question):
            best_phrasing[owner] = max(best_phrasing[owner], float(score))
        by_entry = self._entry_bm25.get_scores(terms)

        # How much of the question an entry explains: each word weighs its idf, a word the
        # knowledge base never uses UNKNOWN_WEIGHT times the rarest. A typo explains half its
        # weight, the head of a compound nothing ("ziekenhuis" is not about "huis").
        weights: dict[str, float] = {}
        credit: dict[str, float] = {}
        for original, term in guessed.items():
            weight = self._idf.get(term, UNKNOWN_WEIGHT * self._unknown_idf)
            if term == original:
                share = 1.0
            elif original.endswith(term):
                share = 0.0
            else:
                share = 0.5
            weights[term] = max(weights.get(term, 0.0), weight)
            credit[term] = max(credit.get(term, 0.0), weight * share)
        total = sum(weights.values()) or 1.0

        scored = []
        for index, entry in enumerate(self.kb.entries):
            score = best_phrasing[index] + ENTRY_WEIGHT * float(by_entry[index])
            if not entry.applies_in(region):
                score *= OTHER_REGION_FACTOR
            vocab = self._entry_vocab[index]
            coverage = 1.0 if index == exact else sum(
                c for t, c in credit.items() if t in vocab
            ) / total
            rank_key = math.inf if index == exact else score * coverage
            scored.append((rank_key, score, coverage, index))
        scored.sort(key=lambda item: (-item[0], item[3]))

        hits = []
        for rank, (rank_key, score, coverage, index) in enumerate(scored[:limit]):
            is_exact = index == exact
            if not is_exact and (coverage < MIN_COVERAGE or score < MIN_SCORE):
                continue
            runner_up = scored[rank + 1][0] if rank + 1 < len(scored) else 0.0
            confident = rank == 0 and (
                is_exact
                or (coverage >= CONFIDENT_COVERAGE and rank_key >= CONFIDENT_MARGIN * runner_up)
            )
            hits.append(
                KnowledgeHit(self.kb.entries[index], round(score, 3), round(coverage, 3), confident)
            )
        return hits

    def answer(self, text: str, *, region: str | None = None) -> KnowledgeHit | None:
        """The best entry, or None when Klik should say honestly that it does not know."""
        hits = self.search(text, region=region, limit=1)
        return hits[0] if hits else None
