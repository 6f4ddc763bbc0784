"""The QR code on a referral note: its own link, so the client opens the note on a phone."""
from __future__ import annotations

import io

import segno

# Error correction M survives a folded or slightly smudged print; scale 8 gives about 3 cm at
# 300 dpi and stays sharp on screen.
ERROR = "m"
SCALE = 8
BORDER = 4  # the quiet zone scanners need


def qr_png(url: str) -> bytes:
    """A PNG of a QR code that holds ``url``."""
    out = io.BytesIO()
    segno.make(url, error=ERROR, micro=False).save(out, kind="png", scale=SCALE, border=BORDER)
    return out.getvalue()
