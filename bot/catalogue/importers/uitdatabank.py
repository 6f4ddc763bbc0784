"""UiTdatabank Search API v3 (publiq) JSON-LD documents → records (FACTS.md §6).

Reads events and places from files (one document, a list, or a search result page with
"member") or from the live API with paging, authenticated by an X-Client-Id header.
"""
from __future__ import annotations

import html
import json
import os
import re
import urllib.parse
import urllib.request
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator

from bot import places
from bot.catalogue import taxonomy, vocabulary
from bot.catalogue.importers.records import (
    MAX_SUMMARY_WORDS,
    LocationRecord,
    OfferingRecord,
    OrganisationRecord,
)
from bot.catalogue.importers.writer import Parsed

SOURCE = "uitdatabank"
DEFAULT_BASE_URL = "https://search.uitdatabank.be"
PAGE_SIZE = 50
MAX_WINDOW = 10_000  # the Search API does not page past start + limit = 10,000

# Facility term ids → access features (only those the catalogue has a feature for).
FACILITY_FEATURES = {
    "3.27.0.0.0": "rolstoeltoegankelijk",
    "3.17.1.0.0": "ringleiding",
    "3.9.0.0.0": "kinderopvang",
}
WEEKDAYS = {
    "monday": "ma", "tuesday": "di", "wednesday": "wo", "thursday": "do", "friday": "vr",
    "saturday": "za", "sunday": "zo",
}
DAY_CODES = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS = ("januari februari maart april mei juni juli augustus september oktober november "
          "december").split()
_TAG = re.compile(r"<[^>]+>")


def _text(value, language: str = "nl") -> str | None:
    """A JSON-LD language map ({"nl": …, "fr": …}) or plain string → the Dutch text."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get(language) or value.get("nl") or next(iter(value.values()), None)
    if not isinstance(value, str):
        return None
    value = html.unescape(_TAG.sub(" ", value))
    return " ".join(value.split()) or None


def _last_segment(uri: str | None) -> str | None:
    return uri.rstrip("/").rsplit("/", 1)[-1] if uri else None


def _first(value) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _summary(description: str | None, name: str) -> str:
    """The first sentence of the description, cut to the summary's word limit."""
    if not description:
        return name
    sentence = re.split(r"(?<=[.!?])\s", description, maxsplit=1)[0]
    words = sentence.split()
    if len(words) > MAX_SUMMARY_WORDS:
        words = words[: MAX_SUMMARY_WORDS - 1] + ["…"]
    return " ".join(words)


def _parse_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _part_of_day(hour: int) -> str:
    return "ochtend" if hour < 12 else "middag" if hour < 18 else "avond"


def _hhmm(value: str) -> int:
    hours, _, minutes = value.partition(":")
    return int(hours) * 60 + int(minutes or 0)


def _calendar(doc: dict) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """(schedule text, day codes, parts of day) from dates or opening hours."""
    days: set[str] = set()
    parts: set[str] = set()
    texts: list[str] = []
    starts = []
    for sub in doc.get("subEvent") or []:
        starts.append(_parse_dt(sub.get("startDate")))
    if not starts and doc.get("calendarType") in ("single", "multiple", None):
        starts.append(_parse_dt(doc.get("startDate")))
    starts = sorted(s for s in starts if s)
    for start in starts:
        days.add(DAY_CODES[start.weekday()])
        parts.add(_part_of_day(start.hour))
    if starts:
        if len(starts) <= 3:
            texts += [f"{DAY_CODES[s.weekday()]} {s.day} {MONTHS[s.month - 1]} {s.year} om "
                      f"{s:%H:%M}" for s in starts]
        else:
            first, last = starts[0], starts[-1]
            texts.append(f"{len(starts)} keer, van {first.day} {MONTHS[first.month - 1]} tot "
                         f"{last.day} {MONTHS[last.month - 1]} {last.year}")
    for hours in doc.get("openingHours") or []:
        codes = [WEEKDAYS[d] for d in hours.get("dayOfWeek", []) if d in WEEKDAYS]
        opens, closes = hours.get("opens"), hours.get("closes")
        if not codes or not opens or not closes:
            continue
        days.update(codes)
        o, c = _hhmm(opens), _hhmm(closes)
        if o < 12 * 60:
            parts.add("ochtend")
        if o < 18 * 60 and c > 12 * 60:
            parts.add("middag")
        if c > 18 * 60:
            parts.add("avond")
        texts.append(f"{', '.join(codes)} {opens}-{closes}")
    if "wo" in days and "middag" in parts:
        parts.add("woensdagnamiddag")
    text = "; ".join(texts) or None
    return text, tuple(d for d in DAY_CODES if d in days), tuple(sorted(parts))


def _ages(value: str | None) -> tuple[int | None, int | None]:
    """typicalAgeRange "6-12", "18-", "-" → (6, 12), (18, None), (None, None)."""
    if not value or "-" not in value:
        return None, None
    low, _, high = value.partition("-")
    return (int(low) if low.strip().isdigit() else None,
            int(high) if high.strip().isdigit() else None)


def _cents(value) -> int | None:
    try:
        return int(round(float(value) * 100))
    except (TypeError, ValueError):
        return None


def _prices(doc: dict) -> tuple[int | None, int | None]:
    """(base price, lowest kansentarief price) in cents."""
    base = None
    reduced: list[int] = []
    for info in doc.get("priceInfo") or []:
        cents = _cents(info.get("price"))
        if cents is None:
            continue
        name = (_text(info.get("name")) or "").lower()
        if info.get("category") == "base":
            base = cents
        elif info.get("category") == "uitpas" or "kansentarief" in name:
            reduced.append(cents)
    return base, (min(reduced) if reduced else None)


def _category(doc: dict) -> str:
    """From the event type, then themes, then the name: through the shared vocabulary."""
    terms = doc.get("terms") or []
    ordered = [t for t in terms if t.get("domain") == "eventtype"]
    ordered += [t for t in terms if t.get("domain") == "theme"]
    ordered += [t for t in terms if t.get("domain") not in ("eventtype", "theme", "facility")]
    for term in ordered:
        code = vocabulary.normalize_category(term.get("label"))
        if code and code != vocabulary.ANY:
            return code
    return vocabulary.extract_facets(_text(doc.get("name")) or "").category or ""


def _address(doc: dict) -> dict:
    address = doc.get("address") or {}
    if "nl" in address or (address and isinstance(next(iter(address.values())), dict)):
        address = address.get("nl") or next(iter(address.values()))
    return address


def _status(doc: dict, today: date) -> str:
    if doc.get("workflowStatus") in ("DELETED", "REJECTED"):
        return "inactive"
    if (doc.get("status") or {}).get("type") == "Unavailable":
        return "inactive"
    until = _parse_dt(doc.get("availableTo"))
    if until and until.date() < today:
        return "inactive"
    return "active"


def to_record(doc: dict, today: date | None = None) -> OfferingRecord:
    """One event or place document → a record (problems listed on it, never raised)."""
    today = today or date.today()
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise ValueError("geen JSON-object")
    is_place = doc.get("@type") == "Place" or "/place/" in (doc.get("@id") or "")
    place = doc if is_place else (doc.get("location") or {})
    address = _address(place)
    postal = str(address.get("postalCode") or "").strip()
    municipality = places.by_postal_code(postal) if postal else None
    if not postal:
        problems.append("adres heeft geen postcode")
    elif municipality is None:
        problems.append(f"postcode {postal} ligt niet in Vlaanderen of Brussel")
    geo = place.get("geo") or {}
    name = _text(doc.get("name")) or ""
    description = _text(doc.get("description"))
    low, high = _ages(doc.get("typicalAgeRange"))
    base, kansentarief = _prices(doc)
    schedule, days, parts = _calendar(doc)
    organizer = doc.get("organizer") or {}
    contact = doc.get("contactPoint") or {}
    booking = doc.get("bookingInfo") or {}
    phone = _first(booking.get("phone")) or _first(contact.get("phone"))
    url = _first(booking.get("url")) or _first(contact.get("url"))
    labels = " ".join(doc.get("labels") or []).lower()
    features = tuple(dict.fromkeys(
        FACILITY_FEATURES[t["id"]] for t in doc.get("terms") or [] if t.get("id") in FACILITY_FEATURES
    ))
    modified = _parse_dt(doc.get("modified"))
    record = OfferingRecord(
        source=SOURCE,
        source_id=_last_segment(doc.get("@id")) or "",
        name=name,
        summary=_summary(description, name),
        description=description,
        category=_category(doc),
        audiences=taxonomy.audiences_for_age_range(low, high),
        min_age=low,
        max_age=high,
        status=_status(doc, today),
        last_checked=modified.date() if modified else None,
        organisation=OrganisationRecord(
            source_id=_last_segment(organizer.get("@id")) or "",
            name=_text(organizer.get("name")) or "",
            website=_first(organizer.get("url")),
            email=_first(organizer.get("email")),
            phone=_first(organizer.get("phone")),
        ) if organizer.get("@id") else None,
        location=LocationRecord(
            source_id=_last_segment(place.get("@id")) or f"{postal}|{address.get('streetAddress', '')}",
            municipality_nis=municipality.nis_code if municipality else "",
            name=_text(place.get("name")),
            address=address.get("streetAddress"),
            postal_code=postal or None,
            latitude=geo.get("latitude"),
            longitude=geo.get("longitude"),
        ),
        schedule_text=schedule,
        days=days,
        parts_of_day=parts,
        price_cents=base,
        kansentarief_cents=kansentarief,
        artikel27="artikel 27" in labels or "artikel27" in labels,
        paspartoe="paspartoe" in labels,
        features=features,
        phone=_first(contact.get("phone")),
        email=_first(booking.get("email")) or _first(contact.get("email")),
        website=url,
        how_to_register=f"Tickets of inschrijven: {url}" if url else None,
        register_offline=f"Bel {phone}." if phone else None,
    )
    record.problems = problems
    return record


def documents_in(data) -> list:
    """A search result page ("member"), a list of documents, or one document."""
    if isinstance(data, dict) and isinstance(data.get("member"), list):
        return data["member"]
    if isinstance(data, list):
        return data
    return [data]


def _records(docs: Iterable, label: str) -> Iterator[Parsed]:
    for i, doc in enumerate(docs, start=1):
        where = f"{label}document {i}"
        try:
            record = to_record(doc)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            yield where, None, [f"document niet leesbaar: {exc}"]
            continue
        yield where, record, []


def files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonld"))
    return [path]


def read_files(path: Path) -> Iterator[Parsed]:
    """Every document in a file, or in every .json/.jsonld file of a folder."""
    paths = files(path)
    for p in paths:
        label = f"{p.name}, " if len(paths) > 1 else ""
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield f"{label or p.name + ', '}bestand", None, [f"geen geldige JSON: {exc}"]
            continue
        yield from _records(documents_in(data), label)


def read_documents(docs: Iterable) -> Iterator[Parsed]:
    return _records(docs, "")


def client_id() -> str:
    return os.environ.get("KLIK_UITDATABANK_CLIENT_ID", "").strip()


def base_url() -> str:
    return os.environ.get("KLIK_UITDATABANK_URL", DEFAULT_BASE_URL).rstrip("/")


def fetch(
    params: dict | None = None,
    *,
    client: str | None = None,
    base: str | None = None,
    page_size: int = PAGE_SIZE,
    max_items: int = MAX_WINDOW,
    timeout: float = 30,
) -> Iterator[dict]:
    """Documents from GET /offers/ page by page, with full documents and UiTPAS prices."""
    client = client or client_id()
    if not client:
        raise RuntimeError("Zet KLIK_UITDATABANK_CLIENT_ID om de UiTdatabank te gebruiken.")
    base = (base or base_url()).rstrip("/")
    start = 0
    while start < min(max_items, MAX_WINDOW):
        limit = min(page_size, max_items - start, MAX_WINDOW - start)
        query = dict(params or {}, embed="true", embedUitpasPrices="true", start=start, limit=limit)
        request = urllib.request.Request(
            f"{base}/offers/?{urllib.parse.urlencode(query, doseq=True)}",
            headers={"X-Client-Id": client, "Accept": "application/ld+json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            page = json.loads(response.read().decode("utf-8"))
        members = page.get("member") or []
        yield from members
        start += len(members)
        if not members or start >= int(page.get("totalItems", 0)):
            break
