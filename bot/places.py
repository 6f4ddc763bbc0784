"""Municipalities of Flanders and Brussels (data/reference): look-ups by NIS code, postal code
and name (Dutch, French, aliases), and :func:`resolve` for what a resident types as their place."""
from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from bot.config import PROJECT_ROOT

REFERENCE_CSV = PROJECT_ROOT / "data" / "reference" / "municipalities_flanders_brussels.csv"
BRUSSELS_REGION = "Brussels Hoofdstedelijk Gewest"


@dataclass(frozen=True)
class Municipality:
    nis_code: str
    name_nl: str
    name_fr: str
    province: str  # empty for Brussels
    region: str
    postal_codes: tuple[str, ...]

    @property
    def in_brussels(self) -> bool:
        return self.region == BRUSSELS_REGION


@lru_cache(maxsize=1)
def all_municipalities() -> tuple[Municipality, ...]:
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Municipality(
                nis_code=row["nis_code"],
                name_nl=row["name_nl"],
                name_fr=row["name_fr"],
                province=row["province"],
                region=row["region"],
                postal_codes=tuple(row["postal_codes"].split()),
            )
            for row in csv.DictReader(fh)
        )


@lru_cache(maxsize=1)
def _by_nis() -> dict[str, Municipality]:
    return {m.nis_code: m for m in all_municipalities()}


def by_nis(nis_code: str) -> Municipality | None:
    return _by_nis().get(str(nis_code).strip())


# A few postal codes lie in two municipalities; these go to the one that holds most of the code.
PRIMARY_FOR_SHARED_CODE = {"1040": "21005", "1050": "21009", "1804": "23088"}


@lru_cache(maxsize=1)
def _by_postal_code() -> dict[str, Municipality]:
    table: dict[str, Municipality] = {}
    for m in all_municipalities():
        for code in m.postal_codes:
            table.setdefault(code, m)
    for code, nis in PRIMARY_FOR_SHARED_CODE.items():
        table[code] = _by_nis()[nis]
    return table


def by_postal_code(code: str) -> Municipality | None:
    return _by_postal_code().get(str(code).strip())


# --- names, aliases and spelling ------------------------------------------------------------

ALIASES_CSV = PROJECT_ROOT / "data" / "reference" / "municipality_aliases.csv"


@dataclass(frozen=True)
class NameForm:
    """One way to write a municipality: its Dutch or French name, or an alias."""

    text: str
    nis_code: str
    source: str  # "nl", "fr" or "alias"


@lru_cache(maxsize=1)
def aliases() -> tuple[NameForm, ...]:
    with ALIASES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = tuple(
            NameForm(r["alias"].strip(), r["nis_code"].strip(), "alias") for r in csv.DictReader(fh)
        )
    unknown = sorted({r.nis_code for r in rows} - set(_by_nis()))
    if unknown:
        raise ValueError(f"{ALIASES_CSV.name}: unknown NIS codes {', '.join(unknown)}")
    return rows


@lru_cache(maxsize=1)
def name_forms() -> tuple[NameForm, ...]:
    """Dutch names, then French names that differ, then aliases; in file order (reproducible)."""
    forms = [NameForm(m.name_nl, m.nis_code, "nl") for m in all_municipalities()]
    forms += [
        NameForm(m.name_fr, m.nis_code, "fr")
        for m in all_municipalities()
        if m.name_fr and fold(m.name_fr) != fold(m.name_nl)
    ]
    return tuple(forms) + aliases()


# Abbreviations people type in place names ("St-Niklaas", "St. Truiden", "Ste-Agathe").
_ABBREVIATIONS = {"st": "sint", "ste": "sainte"}


def strip_accents(text: str) -> str:
    """ "Biévène" → "Bievene"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", plain)


def fold(text: str) -> str:
    """Spelling-insensitive form: lower case, no accents, hyphens and punctuation as spaces.

    "SINT-NIKLAAS", "Sint Niklaas" and "St.-Niklaas" all give "sint niklaas".
    """
    words = re.findall(r"[^\W_]+", strip_accents(text).lower())
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, NameForm]:
    """Folded name → first name form with that spelling (Dutch before French before alias)."""
    index: dict[str, NameForm] = {}
    for form in name_forms():
        index.setdefault(fold(form.text), form)
    return index


def display_name(nis_code: str) -> str | None:
    """The Dutch name, as the bot says it; None for an unknown code."""
    m = by_nis(nis_code)
    return m.name_nl if m else None


def province_of(nis_code: str) -> str | None:
    """The province ("Provincie Antwerpen"); the region for Brussels, which has no province."""
    m = by_nis(nis_code)
    if m is None:
        return None
    return m.province or m.region


# --- what a resident types as their place -----------------------------------------------------

EXACT, FUZZY, ASK, NONE = "exact", "fuzzy", "ask", "none"
MAX_CANDIDATES = 3
# A guess is worth asking about only when it is at least this similar (difflib ratio).
ASK_MIN_RATIO = 0.7

# Words around a place name in an answer ("ik woon in ...", "de gemeente ...") and answers
# without a place; never matched against names. spaCy's Dutch stop words are added to these.
FILLER_WORDS = frozenset(
    """
    woon woont wonen gewoond woonachtig gemeente stad stadje dorp deelgemeente district buurt wijk
    omgeving regio provincie centrum thuis kom komen afkomstig zit zitten ergens overal nergens
    weet weten idee maakt uitmaakt uit boeien kan schelen hallo hoi hey dag goeiedag goedemorgen
    ok oke okay nee neen ja jawel sorry bedankt dank merci alstublieft alsjeblieft aub graag
    ken kent zeggen zeg liever wil
    """.split()
)


@dataclass(frozen=True)
class Resolution:
    """The outcome of :func:`resolve`.

    kind: ``exact`` (a name, alias or postal code), ``fuzzy`` (a typo with one clear answer),
    ``ask`` (up to 3 candidates for a "Bedoel je …?" question) or ``none``.
    matched: the spelling that matched, e.g. "Borgerhout" for Antwerpen (empty for ``none``).
    """

    kind: str
    candidates: tuple[Municipality, ...] = ()
    matched: str = ""

    @property
    def municipality(self) -> Municipality | None:
        """The municipality when it is certain enough to use without asking."""
        return self.candidates[0] if self.kind in (EXACT, FUZZY) else None


def resolve(text: str, nlp=None) -> Resolution:
    """Turn a resident's answer ("antwerpn", "9000", "ik woon in Borgerhout") into a municipality.

    ``nlp`` is the Klik spaCy pipeline (default: :func:`bot.nlp.load`).
    """
    text = (text or "").strip()
    if not text:
        return Resolution(NONE)
    found = _mentions(text, nlp)
    if len(found) == 1:
        return Resolution(EXACT, (found[0][0],), found[0][1])
    if found:  # "Gent of Brugge": let the person choose
        return Resolution(ASK, tuple(m for m, _ in found[:MAX_CANDIDATES]))

    words = fold(text).split()
    stripped = _strip_fillers(words)
    for key in (" ".join(words), " ".join(stripped)):
        form = _name_index().get(key)
        if form:
            return Resolution(EXACT, (by_nis(form.nis_code),), form.text)
    return _fuzzy(words)


def _mentions(text: str, nlp) -> list[tuple[Municipality, str]]:
    """Distinct municipalities the pipeline finds, in order of appearance."""
    from bot.nlp import load
    from bot.nlp.municipalities import municipality_spans

    seen: dict[str, tuple[Municipality, str]] = {}
    for span in municipality_spans((nlp or load())(text)):
        # Report the usual spelling: "sint niklaas" → "Sint-Niklaas".
        form = _name_index().get(fold(span.text))
        matched = form.text if form and form.nis_code == span.ent_id_ else span.text
        seen.setdefault(span.ent_id_, (by_nis(span.ent_id_), matched))
    return list(seen.values())


@lru_cache(maxsize=1)
def _fillers() -> frozenset[str]:
    from spacy.lang.nl.stop_words import STOP_WORDS

    return frozenset(fold(w) for w in STOP_WORDS) | FILLER_WORDS


def _strip_fillers(words: list[str]) -> list[str]:
    fillers = _fillers()
    start, end = 0, len(words)
    while start < end and words[start] in fillers:
        start += 1
    while end > start and words[end - 1] in fillers:
        end -= 1
    return words[start:end]


def _allowed_edits(length: int) -> int:
    """Typos tolerated without asking, by the length of the name (short names: fewer)."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


def _typos(a: str, b: str) -> int:
    """Optimal string alignment distance: one typo is one inserted, deleted or changed letter,
    or two swapped neighbours ("gnet"). difflib has no such measure."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


@dataclass(frozen=True, order=True)
class _Guess:
    cost: int  # typos plus the letters of other words in the answer: the name should be most of it
    typos: int
    neg_ratio: float  # difflib similarity, negated so that sorting puts the closest first
    name: str  # the last tie-break keeps the result reproducible
    nis_code: str = field(compare=False)
    limit: int = field(compare=False)
    rest: int = field(compare=False)  # letters of other (non-filler) words
    size: int = field(compare=False)  # letters of the part that matched
    form: str = field(compare=False)


def _fuzzy(words: list[str]) -> Resolution:
    fillers = _fillers()
    letters = [0 if (w in fillers or w.isdigit()) else len(w) for w in words]
    best: dict[str, _Guess] = {}
    matcher = difflib.SequenceMatcher(autojunk=False)
    for n in range(1, 5):
        for i in range(len(words) - n + 1):
            part = words[i : i + n]
            query = " ".join(part)
            if all(w in fillers for w in part) or any(w.isdigit() for w in part) or len(query) < 3:
                continue
            rest = sum(letters) - sum(letters[i : i + n])
            matcher.set_seq2(query)
            for key, form in _name_index().items():
                limit = _allowed_edits(len(key))
                if abs(len(key) - len(query)) > limit + 1:
                    continue
                matcher.set_seq1(key)
                # quick_ratio() bounds ratio() from above: a cheap way to skip most names.
                if matcher.quick_ratio() < ASK_MIN_RATIO:
                    continue
                ratio = matcher.ratio()
                if ratio < ASK_MIN_RATIO:
                    continue
                typos = _typos(query, key)
                guess = _Guess(
                    typos + rest, typos, -ratio, display_name(form.nis_code) or "",
                    form.nis_code, limit, rest, len(query), form.text,
                )
                if form.nis_code not in best or guess < best[form.nis_code]:
                    best[form.nis_code] = guess
    ranked = sorted(best.values())
    if not ranked or ranked[0].typos > ranked[0].limit + 1 or ranked[0].rest > ranked[0].size:
        return Resolution(NONE)
    top = ranked[0]
    clear = len(ranked) == 1 or ranked[1].cost > top.cost
    if clear and top.rest == 0 and top.typos <= top.limit:
        return Resolution(FUZZY, (by_nis(top.nis_code),), top.form)
    askable = [g for g in ranked if g.typos <= g.limit + 1 and g.cost <= top.cost + 1]
    return Resolution(ASK, tuple(by_nis(g.nis_code) for g in askable[:MAX_CANDIDATES]))
