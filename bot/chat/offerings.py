"""Offerings as chat messages: a short text per offering for any channel, cards for the widget."""
from __future__ import annotations

import json

from bot.catalogue import OfferingDetails, ResultItem, taxonomy
from bot.menu import Choice


def more_info_payload(offering_id: int) -> str:
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
