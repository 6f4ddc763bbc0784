"""Reference codes for needs: 8 characters, read aloud easily, shown as "K7Q4-M2XF".

The alphabet leaves out characters people mix up (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), and a typed
look-alike is read as the character it resembles. Codes are random (``secrets``), so counting
does not find other people's codes. Every code has at least two letters and two digits: then
it never looks like a phone number to the redaction, and Dutch words never look like a code.
"""
from __future__ import annotations

import re
import secrets

LENGTH = 8
ALPHABET = "23456789ACDEFGHJKMNPQRTVWXY"
_DIGITS = frozenset("23456789")
_ALLOWED = frozenset(ALPHABET)
# Typed characters that look like one in the alphabet.
_LOOK_ALIKES = str.maketrans({"B": "8", "S": "5", "Z": "2", "U": "V"})
_SEPARATORS = re.compile(r"[\s\-‐–—._/]+")
# Two groups of four, or eight in a row, with at most a few separators between (overlapping,
# so "ab12 k7q4 m2xf" still finds the second pair).
_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?=([0-9A-Za-z]{4})[\s\-‐–—._/]{0,3}([0-9A-Za-z]{4})(?![0-9A-Za-z]))"
)


def _well_formed(code: str) -> bool:
    if len(code) != LENGTH or not set(code) <= _ALLOWED:
        return False
    digits = sum(c in _DIGITS for c in code)
    return 2 <= digits <= LENGTH - 2


def new_code() -> str:
    """A fresh random code in canonical form (8 characters, no dash)."""
    while True:  # rejection sampling keeps every allowed code equally likely
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if _well_formed(code):
            return code


def normalise(text: str | None) -> str | None:
    """The canonical code for what someone typed ("k7q4 m2xf", "K7Q4-M2XF"), or None."""
    if not text:
        return None
    code = _SEPARATORS.sub("", text.strip()).upper().translate(_LOOK_ALIKES)
    return code if _well_formed(code) else None


def format_code(code: str) -> str:
    """How people see a code: "K7Q4-M2XF"."""
    return f"{code[:4]}-{code[4:]}"


def parse_code(text: str | None) -> str | None:
    """The first well-formed code inside a message, in canonical form, or None."""
    if not text:
        return None
    for match in _IN_TEXT.finditer(text):
        typed = match.group(1) + match.group(2)
        # Real digits, not mapped look-alikes: "deze zaak" must not read as DE2E-2AAK.
        if sum(c.isdigit() for c in typed) < 2:
            continue
        code = normalise(typed)
        if code:
            return code
    return None
