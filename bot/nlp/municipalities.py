"""Municipality entities in the Dutch pipeline: entity-ruler patterns and a context filter.

The entity ruler (label ``municipality``, ``ent_id_`` = NIS code) finds every Dutch and French
name, alias and postal code of bot.places. The filter after it keeps what the words around a
match allow: names that are also everyday words ("boom", "peer") count only when capitalised
or after a preposition, and a number like "1000 euro" is no postal code.
Import this module before loading a built pipeline: it registers the filter's factory.
"""

from typing import List

from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.places import all_municipalities, by_postal_code, fold, name_forms, strip_accents

LABEL = "municipality"
RULER_NAME = "municipality_ruler"
CONTEXT_NAME = "municipality_context"

# Prepositions that make a lower-case place name unambiguous ("ik woon in mol"). Not "te":
# it comes before verbs too ("ik zit te balen"); "te Lier" is found by its capital.
PREPOSITIONS = ("bij", "in", "naar", "nabij", "richting", "rond", "rondom", "uit", "vanuit")

# Names and aliases that are everyday Dutch words (folded, see bot.places.fold). They are a
# municipality only when capitalised ("Boom") or after a preposition ("in boom"), and not as the
# first word of a longer message ("Peer is lekker"). Hove, Putte, Bree, Zele, Lille, Niel are
# not everyday words, so they need no guard.
GUARDED = (
    "as", "balen", "bever", "boom", "de haan", "de panne", "essen", "geel", "hal", "halen",
    "ham", "haren", "heffen", "laken", "landen", "leest", "lier", "lint", "malle", "meeuwen",
    "mol", "muizen", "peer", "schoten", "vorst", "wellen",
)

# Words around a 4-digit number that make it a price, a year or a count, not a postal code.
# (No "$": spaCy's config writer mangles it, and these lists are stored in config.cfg.)
NOT_POSTAL_BEFORE = (
    "€", "eur", "euro", "x", "nr", "nummer", "huisnummer", "bus", "tel", "gsm", "sinds",
    "sedert", "anno", "jaar", "vanaf", "tot", "geboren", "ongeveer", "circa", "ca", "±",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)
NOT_POSTAL_AFTER = (
    "€", "%", "eur", "euro", "euros", "frank", "dollar", "procent", "jaar", "jaren", "keer",
    "mensen", "personen", "kinderen", "deelnemers", "leden", "km", "kilometer", "m", "meter",
    "cm", "kg", "gram", "g", "liter", "l", "ml", "stuks", "punten", "woorden", "dagen", "uur",
    "minuten", "seconden", "stappen", "kcal", "calorieën", "volgers",
)


def spelling_variants(name: str) -> list[str]:
    """The ways people write ``name``: hyphens or spaces, "St"/"St." for "Sint"/"Saint",
    with or without accents (case is left to the matcher)."""
    forms = {name, name.replace("-", " ")}
    for prefix in ("Sint-", "Saint-"):
        if name.startswith(prefix):
            rest = name[len(prefix):]
            spaced = rest.replace("-", " ")
            forms |= {f"St-{rest}", f"St.-{rest}", f"St {spaced}", f"St. {spaced}"}
    forms |= {strip_accents(f) for f in forms}
    return sorted(forms)


def ruler_patterns(make_doc) -> list[dict]:
    """Entity-ruler patterns for all names, aliases and postal codes, in a fixed order.

    ``make_doc`` is the pipeline's tokenizer; guarded names need token patterns.
    """
    patterns: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for form in name_forms():
        for variant in spelling_variants(form.text):
            if (variant.lower(), form.nis_code) in seen:
                continue
            seen.add((variant.lower(), form.nis_code))
            if fold(variant) in GUARDED:
                patterns += _guarded_patterns(variant, form.nis_code, make_doc)
            else:
                patterns.append({"label": LABEL, "pattern": variant, "id": form.nis_code})
    codes = sorted({code for m in all_municipalities() for code in m.postal_codes})
    patterns += [
        {"label": LABEL, "pattern": code, "id": by_postal_code(code).nis_code} for code in codes
    ]
    return patterns


def _guarded_patterns(name: str, nis_code: str, make_doc) -> list[dict]:
    # ``name`` is written as in the reference data: "Boom", "De Haan".
    words = [t.text for t in make_doc(name)]
    capitalised = [{"LOWER": w.lower()} for w in words[:-1]] + [{"ORTH": words[-1]}]
    after_preposition = [{"LOWER": {"IN": list(PREPOSITIONS)}}]
    after_preposition += [{"LOWER": w.lower()} for w in words]
    return [
        {"label": LABEL, "pattern": capitalised, "id": nis_code},
        {"label": LABEL, "pattern": after_preposition, "id": nis_code},
    ]


class MunicipalityContext:
    """Keeps the ruler's municipality spans that their context allows (see module docstring)."""

    def __init__(self, prepositions, guarded, not_postal_before, not_postal_after):
        self.prepositions = frozenset(prepositions)
        self.guarded = frozenset(guarded)
        self.not_postal_before = frozenset(not_postal_before)
        self.not_postal_after = frozenset(not_postal_after)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for span in doc.ents:
            if span.label_ == LABEL:
                span = self._without_preposition(span)
                if self._is_number_not_place(span) or self._is_leading_word(span):
                    continue
            spans.append(span)
        doc.ents = _merge_same_place(spans)
        return doc

    def _without_preposition(self, span: Span) -> Span:
        # Only the guarded patterns start with a preposition; the entity is the name alone.
        if len(span) > 1 and span[0].lower_ in self.prepositions:
            return Span(span.doc, span.start + 1, span.end, label=LABEL, span_id=span.ent_id_)
        return span

    def _is_number_not_place(self, span: Span) -> bool:
        if not (len(span) == 1 and span[0].is_digit):
            return False
        doc = span.doc
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        if any(
            (tok.lower_ in words or tok.like_num)
            for tok, words in ((before, self.not_postal_before), (after, self.not_postal_after))
            if tok is not None
        ):
            return True
        # "in 2018 woonde ik ...": a code that could be a year counts only at the end of a
        # sentence, before a place name ("2000 Antwerpen") or after "postcode".
        after_postcode = before is not None and before.lower_ == "postcode"
        if 1900 <= int(span.text) <= 2099 and not after_postcode:
            return after is not None and not after.is_punct and after.ent_type_ != LABEL
        return False

    def _is_leading_word(self, span: Span) -> bool:
        # "Peer is lekker": a capital at the start of a message says nothing. "Peer." does.
        if span.start != 0 or len(span) != 1 or span[0].lower_ not in self.guarded:
            return False
        return any(not (t.is_punct or t.is_space) for t in span.doc[span.end:])


def _merge_same_place(spans: list[Span]) -> list[Span]:
    """"9000 Gent" is one mention, not two."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.label_ == LABEL == span.label_
            and last.end == span.start
            and last.ent_id_ == span.ent_id_
        ):
            merged[-1] = Span(span.doc, last.start, span.end, label=LABEL, span_id=span.ent_id_)
        else:
            merged.append(span)
    return merged


@Language.factory(
    "klik_municipality_context",
    default_config={
        "prepositions": list(PREPOSITIONS),
        "guarded": list(GUARDED),
        "not_postal_before": list(NOT_POSTAL_BEFORE),
        "not_postal_after": list(NOT_POSTAL_AFTER),
    },
)
def make_municipality_context(
    nlp: Language,
    name: str,
    prepositions: List[str],
    guarded: List[str],
    not_postal_before: List[str],
    not_postal_after: List[str],
):
    # The annotations make spaCy validate config.cfg when it loads the built pipeline.
    return MunicipalityContext(prepositions, guarded, not_postal_before, not_postal_after)


def add_to(nlp: Language) -> None:
    """Add the entity ruler and its context filter to ``nlp``."""
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        config={"phrase_matcher_attr": "LOWER", "validate": True, "overwrite_ents": False},
    )
    with nlp.select_pipes(enable=[]):  # phrase patterns only need the tokenizer
        ruler.add_patterns(ruler_patterns(nlp.make_doc))
    nlp.add_pipe("klik_municipality_context", name=CONTEXT_NAME, after=RULER_NAME)


def municipality_spans(doc: Doc) -> list[Span]:
    """The municipality mentions in ``doc``; ``span.ent_id_`` is the NIS code."""
    return [ent for ent in doc.ents if ent.label_ == LABEL]
