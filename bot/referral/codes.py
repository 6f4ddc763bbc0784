"""Referral codes: the last part of the note's link, /verwijzing/K7Q4MM2XFA3C9PQ.

15 characters drawn with ``secrets`` from the needs alphabet (no 0, O, 1, I, L, Z, S, B,
U): 27**15, about 71 bits, so nobody finds another person's note by trying. Only letters and
digits, so the code is safe in a URL as is. Typed forms ("k7q4m-m2xfa-3c9pq") are read too.
"""
from __future__ import annotations

import math
import re
import secrets

from bot.needs.codes import ALPHABET

LENGTH = 15
BITS = LENGTH * math.log2(len(ALPHABET))
_ALLOWED = frozenset(ALPHABET)
_SEPARATORS = re.compile(r"[\s\-‐–—._]+")
# Typed characters that look like one in the alphabet (as for need codes).
_LOOK_ALIKES = str.maketrans({"B": "8", "S": "5", "Z": "2", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str | None) -> str | None:
    """The canonical code for a typed or linked code, or None when it cannot be one."""
    if not text or len(text) > 40:
        return None
    code = _SEPARATORS.sub("", text.strip()).upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or not set(code) <= _ALLOWED:
        return None
    return code


def format_code(code: str) -> str:
    """How people read a code on paper: three groups of five, "K7Q4M-M2XFA-3C9PQ"."""
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))
