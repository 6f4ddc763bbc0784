"""Offerings as chat messages: a short text per offering for any channel, cards for the widget."""
from __future__ import annotations

import json
import re

from bot.catalogue import OfferingDetails, ResultItem, taxonomy
from bot.menu import Choice


def more_info_payload(offering_id: int | str) -> str:
    return "/more_info" + json.dumps({"offering_id": str(offering_id)})


def _card(item: ResultItem) -> dict:
    card = item.to_dict()
    card["more_payload"] = more_info_payload(item.id)
    return card


def _line(item: ResultItem) -> str:
    price = item.price + (f" ({item.kansentarief})" if item.kansentarief else "")
    parts = [f"**{item.name}**: {item.summary}", f"{price}. {item.where}. {item.when}."]
    if item.reasons:
        parts.append("Past omdat: " + ", ".join(item.reasons) + ".")
    return "\n".join(parts)


def offerings_message(items: list[ResultItem], buttons: list[Choice] = ()) -> dict:
    """One message: a text list (for any channel) and the same offerings as cards."""
    return {
        "text": "\n\n".join(_line(i) for i in items),
        "custom": {"type": "offerings", "offerings": [_card(i) for i in items]},
        "buttons": [b.as_button() for b in buttons],
    }


def shown(items: list[ResultItem]) -> list[dict]:
    """What the shown_offerings slot keeps of the offerings on screen: enough to point at one."""
    return [{"id": str(i.id), "name": i.name} for i in items]


_ORDINALS = {"eerste": 0, "tweede": 1, "derde": 2, "vierde": 3, "vijfde": 4, "laatste": -1}
_ORDINAL = re.compile(r"\b(eerste|tweede|derde|vierde|vijfde|laatste)\b"
                      r"|\b(?:nummer|nr\.?)\s*([1-9])\b|\b([1-9])(?:ste|de|e)\b")
# Words of an offering's name that say nothing about which one is meant (many names share
# who it is for).
_COMMON = frozenset("""voor met naar over meer info deze die dat welke bij van het een de in op
    kinderen kind jongeren volwassenen senioren gezin gezinnen ouders iedereen""".split())


def _name_words(text: str) -> set[str]:
    from bot.knowledge.text import fold

    return {w for w in re.findall(r"\w+", fold(text)) if len(w) >= 4 and w not in _COMMON}


def offering_asked_about(text: str, on_screen: list[dict]) -> str | None:
    """The id of the shown offering a typed question points at, or None when it is unclear.

    "wat kost de tweede", "meer over nummer 3" point by place; "info over die zwemles" by a
    word of one offering's name; with one offering on screen, "is dat gratis" means that one.
    """
    if not on_screen:
        return None
    if len(on_screen) == 1:
        return on_screen[0]["id"]
    match = _ORDINAL.search(text.lower())
    if match:
        index = _ORDINALS[match[1]] if match[1] else int(match[2] or match[3]) - 1
        return on_screen[index]["id"] if -len(on_screen) <= index < len(on_screen) else None
    words = _name_words(text)
    named = [o for o in on_screen if words & _name_words(o["name"])]
    return named[0]["id"] if len(named) == 1 else None


def which_offering_buttons(on_screen: list[dict]) -> list[dict]:
    return [{"title": o["name"], "payload": more_info_payload(o["id"])} for o in on_screen]


SHOW_MORE = Choice("Toon meer", "/show_more")
SEARCH_OTHER = Choice("Iets anders zoeken", "/search_other")


def category_choices() -> list[Choice]:
    return [Choice(c.button, "/inform" + json.dumps({"category": c.code}))
            for c in taxonomy.CATEGORIES.values()] + [ANY_CATEGORY]


ANY_CATEGORY = Choice("Maakt niet uit", '/inform{"category": "any"}')


def audience_choices() -> list[Choice]:
    return [
        Choice("Voor mezelf", '/inform{"audience": "volwassenen"}'),
        Choice("Voor een kind", '/inform{"audience": "kinderen"}'),
        Choice("Voor een jongere", '/inform{"audience": "jongeren"}'),
        Choice("Voor het gezin", '/inform{"audience": "gezinnen"}'),
        Choice("Voor een senior", '/inform{"audience": "senioren"}'),
        Choice("Maakt niet uit", '/inform{"audience": "any"}'),
    ]


def municipality_choices(nis_codes: list[str]) -> list[Choice]:
    from bot import places

    return [Choice(places.display_name(nis) or nis, "/inform" + json.dumps({"municipality": nis}))
            for nis in nis_codes] + [Choice("Overal", '/inform{"municipality": "any"}')]


def details_text(d: OfferingDetails) -> str:
    """Everything for "Meer info", the way to register without internet first."""
    lines = [f"**{d.item.name}**"]
    if d.description:
        lines.append(d.description)
    lines.append(f"Prijs: {d.item.price}" + (f" ({d.item.kansentarief})" if d.item.kansentarief else "") + ".")
    where = ", ".join(x for x in (d.address, d.postal_code, d.municipality) if x)
    lines.append(f"Waar: {where}.")
    if d.transport_note:
        lines.append(f"Vervoer: {d.transport_note}")
    lines.append(f"Wanneer: {d.item.when}.")
    if d.register_offline:
        lines.append(f"Inschrijven zonder internet: {d.register_offline}")
    if d.how_to_register:
        lines.append(f"Inschrijven: {d.how_to_register}")
    for label, value in (("Telefoon", d.phone), ("E-mail", d.email), ("Website", d.website)):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)
