"""Text → comparable words, one way for both sides: offerings on import and questions in search.

Lower case, accents stripped, spaCy lookup lemmas, Dutch stop words and filler dropped, so
"Zwemlessen voor kinderen" and "zwemles" meet on "zwemles".
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# Words that say nothing about what someone wants to do ("ik zoek iets leuks om te doen").
FILLER = frozenset(
    """
    activiteit activiteiten iets doen zoeken zoek zoekt graag willen wil leuk leuke leuks ding
    dingen kunnen kan gaan ga mogelijkheid mogelijkheden aanbod hallo hoi dag dank bedankt
    alsjeblieft aub euro eur jaar jarig jarige oud misschien weten weet vinden vind hebben heb
    welke welk wat waar wanneer hoe er zijn is in op bij voor met van de het een en of te om
    buurt stad gemeente ergens tips tip info informatie iemand mij mijn me ik we wij ons onze
    gezellig fijn tof plezant plezier interessant hier daar nog ook eens zo kunt kun mag mogen
    max maximum maximaal hoogstens minder dan tot plus nodig mogelijk per keer zit woon wonen
    woont mensen mens ben bent graag echt heel beetje soort zoiets deze dit die week maand
    """.split()
)


def fold(text: str) -> str:
    """Lower case without accents, with curly quotes made straight ('crèche' → 'creche')."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("’", "'").replace("‘", "'").replace("`", "'")


_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Folded word tokens; hyphens, apostrophes and punctuation split words."""
    return _WORD.findall(fold(text))


def _nlp():
    from bot.nlp import load

    return load()


def _stop_words() -> frozenset[str]:
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(fold(w) for w in STOP_WORDS) | FILLER


_STOP: frozenset[str] | None = None


def _keep(word: str) -> bool:
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    return len(word) >= 3 and not word.isdigit() and word not in _STOP


def terms(text: str) -> list[str]:
    """Distinct content lemmas of a question, in order of appearance."""
    return terms_many([text], surface_forms=False)[0]


def terms_many(texts: Iterable[str], surface_forms: bool = True) -> list[list[str]]:
    """Content lemmas of many texts at once (spaCy's pipe is faster than one call each).

    For offerings the surface forms are kept too, because the lookup lemmatiser knows only
    part of the words: a question's lemma then still meets the offering's word.
    """
    out: list[list[str]] = []
    for doc in _nlp().pipe(fold(t or "") for t in texts):
        seen: dict[str, None] = {}
        for tok in doc:
            if tok.is_punct or tok.is_space:
                continue
            forms = [fold(tok.lemma_ or tok.text)]
            if surface_forms:
                forms.append(fold(tok.text))
            for word in forms:
                for part in _WORD.findall(word):
                    if _keep(part):
                        seen.setdefault(part, None)
        out.append(list(seen))
    return out


def as_index(words: Iterable[str]) -> str:
    """The form stored in Offering.search_terms: space-separated with spaces around."""
    return " " + " ".join(sorted(set(words))) + " "
