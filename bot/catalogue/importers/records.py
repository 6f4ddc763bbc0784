"""The neutral shape every importer produces, and the checks it must pass before it is written."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from bot import places
from bot.catalogue import taxonomy

MAX_SUMMARY_WORDS = 30
# Bump when the way records become rows changes, so the next import rewrites every row.
RECORD_VERSION = 1


@dataclass
class OrganisationRecord:
    source_id: str
    name: str
    website: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass
class LocationRecord:
    source_id: str
    municipality_nis: str
    name: str | None = None
    address: str | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    transport_note: str | None = None


@dataclass
class OfferingRecord:
    source: str
    source_id: str
    name: str
    summary: str
    category: str
    location: LocationRecord
    audiences: tuple[str, ...] = ()
    description: str | None = None
    organisation: OrganisationRecord | None = None
    min_age: int | None = None
    max_age: int | None = None
    status: str = "active"
    last_checked: date | None = None
    schedule_text: str | None = None
    days: tuple[str, ...] = ()
    parts_of_day: tuple[str, ...] = ()
    price_cents: int | None = None
    kansentarief_cents: int | None = None
    kansentarief_percent: int | None = None
    artikel27: bool = False
    paspartoe: bool = False
    other_discount: str | None = None
    features: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    how_to_register: str | None = None
    register_offline: str | None = None
    # Problems found while reading the source (e.g. "prijs 'abc' is geen bedrag").
    problems: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        data = asdict(self)
        data.pop("problems")
        data["_version"] = RECORD_VERSION
        raw = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @property
    def all_parts_of_day(self) -> tuple[str, ...]:
        """Parts of day given, plus what the days imply (za/zo → weekend)."""
        parts = set(self.parts_of_day)
        if {"za", "zo"} & set(self.days):
            parts.add("weekend")
        if "wo" in self.days and "middag" in parts:
            parts.add("woensdagnamiddag")
        return tuple(sorted(parts))

    @property
    def reduced_price_cents(self) -> int | None:
        """The lowest price with the kansentarief, when it is known."""
        options = []
        if self.kansentarief_cents is not None:
            options.append(self.kansentarief_cents)
        if self.kansentarief_percent and self.price_cents is not None:
            options.append(round(self.price_cents * (100 - self.kansentarief_percent) / 100))
        return min(options) if options else None


def _check_codes(values, table, what: str) -> list[str]:
    return [f"onbekende {what} '{v}'" for v in values if v not in table]


def validate(record: OfferingRecord) -> list[str]:
    """Reasons (Dutch) why the record cannot be written; empty when it is fine."""
    errors = list(record.problems)
    if not record.source_id:
        errors.append("id ontbreekt")
    if not record.name:
        errors.append("naam ontbreekt")
    elif len(record.name) > 200:
        errors.append("naam is langer dan 200 tekens")
    if not record.summary:
        errors.append("samenvatting ontbreekt")
    else:
        words = len(record.summary.split())
        if words > MAX_SUMMARY_WORDS:
            errors.append(f"samenvatting heeft {words} woorden (max. {MAX_SUMMARY_WORDS})")
        if len(record.summary) > 400:
            errors.append("samenvatting is langer dan 400 tekens")
    if record.category not in taxonomy.CATEGORIES:
        errors.append(
            f"onbekende categorie '{record.category}'" if record.category else "categorie ontbreekt"
        )
    if not record.audiences:
        errors.append("doelgroep ontbreekt")
    errors += _check_codes(record.audiences, taxonomy.AUDIENCES, "doelgroep")
    errors += _check_codes(record.features, taxonomy.FEATURES, "kenmerk")
    errors += _check_codes(record.days, taxonomy.DAYS, "dag")
    errors += _check_codes(record.parts_of_day, taxonomy.PARTS_OF_DAY, "dagdeel")
    for age, what in ((record.min_age, "minimumleeftijd"), (record.max_age, "maximumleeftijd")):
        if age is not None and not 0 <= age <= 120:
            errors.append(f"{what} {age} ligt niet tussen 0 en 120")
    if record.min_age is not None and record.max_age is not None and record.min_age > record.max_age:
        errors.append("minimumleeftijd is groter dan maximumleeftijd")
    if record.status not in taxonomy.STATUSES:
        errors.append(f"onbekende status '{record.status}'")
    if not record.location.municipality_nis:
        errors.append("gemeente ontbreekt (geef een postcode of NIS-code)")
    elif places.by_nis(record.location.municipality_nis) is None:
        errors.append(f"NIS-code {record.location.municipality_nis} is geen gemeente in Vlaanderen of Brussel")
    for cents, what in ((record.price_cents, "prijs"), (record.kansentarief_cents, "kansentarief")):
        if cents is not None and cents < 0:
            errors.append(f"{what} is negatief")
    if record.kansentarief_percent is not None and not 0 < record.kansentarief_percent <= 100:
        errors.append("kansentarief-korting moet tussen 1 en 100 procent liggen")
    if record.organisation is not None and not record.organisation.name:
        errors.append("organisatie heeft geen naam")
    # Websites become links on the chat cards and the referral note: web addresses only.
    for url, what in ((record.website, "website"),
                      (record.organisation.website if record.organisation else None,
                       "website van de organisatie")):
        scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", url or "")
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            errors.append(f"{what} moet een webadres zijn (http:// of https://)")
    return errors
