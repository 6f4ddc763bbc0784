"""Folding of what residents type: case, accents, Flemish spoken forms, stretched letters.

Shared by knowledge retrieval and the distress safety net, so "kheb", "'k wil" and "nie" mean
the same thing to both.
"""
from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")  # "dooood" -> "dood", "heeelp" -> "heelp"

# Verbs that Flemish speakers glue to a clitic "k" ("kheb", "kwil", "kzie").
_CLITIC_VERBS = (
    "heb|had|hem|zie|zag|wil|wou|ben|was|weet|wist|ga|ging|voel|kan|kon|moet|zit|slaap|sliep|"
    "denk|krijg|hoor|ken|zoek|woon|spreek|durf|schaam|lig|eet|word|werd|mag|kom|snap|begrijp|"
    "vind|mis|zou|sta|leef|lees"
)
_REPLACEMENTS = (
    (re.compile(rf"\bk(?=(?:{_CLITIC_VERBS})\b)"), "ik "),
    (re.compile(r"(?:(?<=\s)|^)'?k(?=\s)"), "ik"),
    (re.compile(r"(?:(?<=\s)|^)'t\b"), "het"),
    (re.compile(r"\bm'n\b|\bmn\b|\bmijne\b"), "mijn"),
    (re.compile(r"\bz'n\b"), "zijn"),
    (re.compile(r"\bzo'n\b"), "zo een"),
    (re.compile(r"\bnie\b|\bni\b"), "niet"),
    (re.compile(r"\bda\b"), "dat"),
    (re.compile(r"\bwa\b"), "wat"),
    (re.compile(r"\bnen\b|\bne\b"), "een"),
    (re.compile(r"\bgene\b|\bgenen\b"), "geen"),
    (re.compile(r"\bvrije\s+tijd\b"), "vrijetijd"),
    (re.compile(r"\bhoelang\b"), "hoe lang"),
    (re.compile(r"\buit[\s-]?pass?\b"), "uitpas"),
    (re.compile(r"\b(?:artikel|article|art)\.?\s*27\b"), "artikel 27"),
    (re.compile(r"\bco[\s-]creatie\b"), "cocreatie"),
    (re.compile(r"\bsociaal\s+huis\b"), "sociaalhuis"),
    (re.compile(r"\bkansen\s+tarief\b"), "kansentarief"),
    (re.compile(r"\b(?:het|t)\s+klikt\b"), "hetklikt"),  # the project, not the verb
    (re.compile(r"(?<=\w)'s\b"), ""),  # plural "cio's", "ocmw's"
)


def fold(text: str) -> str:
    """Lower-case, accent-free text with Flemish spoken forms written out."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _STRETCHED.sub(r"\1\1", text)
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    text = text.replace("'", "")
    return " ".join(text.split())
