"""What a referral note shows: a snapshot of each chosen offering, made when the note is made.

The snapshot copies the catalogue's facts the client needs (what, where, when, price with their
discount, what to bring, who to call), so the note still reads right when the catalogue changes
or the offering is removed. Only catalogue data goes in; nothing about the client.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.catalogue import get_offering
from bot.catalogue.models import Offering
from bot.referral import codes
from bot.referral.eligibility import EID, Hint, discounts_for
from bot.referral.profile import ClientProfile

ACTIVE, EXPIRED, UNKNOWN = "active", "expired", "unknown"


class UnknownOffering(ValueError):
    """An offering id that is not (or no longer) an active offering of the catalogue."""


def snapshot(session: Session, offering_id: int, profile: ClientProfile,
             found_hints: list[Hint]) -> dict:
    """The note's copy of one offering. Raises UnknownOffering for a missing or inactive one."""
    details = get_offering(session, offering_id)
    if details is None or not details.active:
        raise UnknownOffering(f"no active offering with id {offering_id!r}")
    o = session.get(Offering, details.item.id)
    discounts = discounts_for(o, profile, found_hints)
    bring = [EID] + [b for d in discounts for b in d.bring]
    item = details.item
    return {
        "id": item.id,
        "name": item.name,
        "summary": item.summary,
        "description": details.description,
        "category_label": item.category_label,
        "organisation": details.organisation,
        "place": o.location.name,
        "address": details.address,
        "postal_code": details.postal_code,
        "municipality": details.municipality,
        "municipality_nis": o.location.municipality_nis,
        "transport_note": details.transport_note,
        "when": item.when,
        "ages": details.ages,
        "price": item.price,
        "discounts": [d.to_dict() for d in discounts],
        "bring": list(dict.fromkeys(bring)),
        "features": details.features,
        "phone": details.phone,
        "email": details.email,
        "website": details.website,
        "how_to_register": details.how_to_register,
        "register_offline": details.register_offline,
        "is_sample": item.is_sample,
        "source": item.source,
        "last_checked": details.last_checked,
    }


@dataclass(frozen=True)
class Note:
    """An active note, ready for the page."""

    code: str
    created_at: datetime
    expires_at: datetime
    municipality: str
    offerings: tuple[dict, ...]
    hints: tuple[dict, ...]  # the hints meant for the client
    local_door: dict | None

    @property
    def display_code(self) -> str:
        return codes.format_code(self.code)

    @property
    def has_sample(self) -> bool:
        return any(o.get("is_sample") for o in self.offerings)


@dataclass(frozen=True)
class NoteLookup:
    """The answer to "show me the note with this code": active, expired or unknown."""

    state: str  # ACTIVE, EXPIRED or UNKNOWN
    note: Note | None = None  # only when active
    expired_at: datetime | None = None  # only when expired

    @property
    def found(self) -> bool:
        return self.state == ACTIVE
