"""How an offering is shown: prices, place and time in short Dutch, and where the facts come from."""
from __future__ import annotations

from bot import places
from bot.catalogue import taxonomy
from bot.catalogue.models import Offering

SOURCE_LABELS = {taxonomy.SAMPLE_SOURCE: "voorbeeldgegevens", "uitdatabank": "UiTdatabank",
                 taxonomy.ADMIN_SOURCE: "de gemeente"}


def euro(cents: int) -> str:
    """1500 → '€15', 150 → '€1,50' (Belgian notation)."""
    whole, rest = divmod(cents, 100)
    return f"€{whole}" if rest == 0 else f"€{whole},{rest:02d}"


def price_text(o: Offering) -> str:
    if o.is_free:
        return "gratis"
    if o.price_cents is None:
        return "prijs niet bekend"
    return euro(o.price_cents)


def kansentarief_text(o: Offering) -> str | None:
    """'met kansentarief €1,50', or the percentage when no price is known."""
    if o.is_free:
        return None
    if o.reduced_price_cents is not None:
        return f"met kansentarief {euro(o.reduced_price_cents)}"
    if o.kansentarief_percent:
        return f"met kansentarief {o.kansentarief_percent}% korting"
    return None


def discount_texts(o: Offering) -> list[str]:
    out = []
    k = kansentarief_text(o)
    if k:
        out.append(k)
    if o.artikel27:
        out.append("Artikel 27")
    if o.paspartoe:
        out.append("Paspartoe")
    if o.other_discount:
        out.append(o.other_discount)
    return out


def municipality_name(nis: str) -> str:
    m = places.by_nis(nis)
    return m.name_nl if m else nis


def where_text(o: Offering) -> str:
    town = municipality_name(o.location.municipality_nis)
    return f"{o.location.name}, {town}" if o.location.name else town


def when_text(o: Offering) -> str:
    return o.schedule_text or "vraag naar de dagen en uren"


def ages_text(o: Offering) -> str | None:
    if o.min_age is not None and o.max_age is not None:
        return f"{o.min_age} tot {o.max_age} jaar"
    if o.min_age is not None:
        return f"vanaf {o.min_age} jaar"
    if o.max_age is not None:
        return f"tot {o.max_age} jaar"
    return None


def source_label(o: Offering) -> str:
    return SOURCE_LABELS.get(o.source, o.source)
