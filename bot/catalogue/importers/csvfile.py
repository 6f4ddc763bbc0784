"""Reads the catalogue CSV that a municipality can fill in a spreadsheet (docs/catalogue-csv.md)."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Iterator

from bot import places
from bot.catalogue import vocabulary
from bot.catalogue.importers.records import LocationRecord, OfferingRecord, OrganisationRecord
from bot.catalogue.importers.writer import Parsed
from bot.catalogue.terms import fold, tokens

# Column → what it holds. docs/catalogue-csv.md documents each one (a test keeps them in step).
COLUMNS = {
    "id": "vaste, unieke code van het aanbod binnen de bron (verplicht)",
    "naam": "naam van het aanbod (verplicht)",
    "samenvatting": "één zin in eenvoudige taal, max. 30 woorden (verplicht)",
    "beschrijving": "langere uitleg",
    "categorie": "één categorie, code of naam (verplicht)",
    "doelgroep": "een of meer doelgroepen (verplicht)",
    "min_leeftijd": "minimumleeftijd in jaren",
    "max_leeftijd": "maximumleeftijd in jaren",
    "status": "actief of inactief (standaard actief)",
    "laatst_gecontroleerd": "datum waarop iemand de gegevens naging (JJJJ-MM-DD)",
    "bron": "wie de gegevens levert (standaard de bron van de import)",
    "organisatie": "naam van de organisator",
    "organisatie_website": "website van de organisator",
    "organisatie_email": "e-mailadres van de organisator",
    "organisatie_telefoon": "telefoonnummer van de organisator",
    "locatie_id": "vaste code van de plaats (anders gemaakt uit naam, adres en postcode)",
    "locatie_naam": "naam van de plaats",
    "adres": "straat en huisnummer",
    "postcode": "postcode (verplicht, tenzij nis_code ingevuld is)",
    "nis_code": "NIS-code van de gemeente",
    "lat": "breedtegraad",
    "lon": "lengtegraad",
    "openbaar_vervoer": "hoe je er met bus, tram of trein komt",
    "wanneer": "wanneer het doorgaat, in gewone woorden",
    "dagen": "dagen: ma, di, wo, do, vr, za, zo",
    "dagdelen": "ochtend, middag, avond, weekend, woensdagnamiddag",
    "prijs": "gewone prijs in euro; 0 of 'gratis' is gratis; leeg is onbekend",
    "kansentarief_prijs": "prijs in euro met UiTPAS-kansentarief",
    "kansentarief_korting": "korting in procent met UiTPAS-kansentarief",
    "artikel27": "ja als Artikel 27-tickets aanvaard worden",
    "paspartoe": "ja als Paspartoe aanvaard wordt",
    "andere_korting": "andere korting, in gewone woorden",
    "kenmerken": "toegankelijkheid en drempelverlagers (zie lijst)",
    "telefoon": "telefoonnummer voor dit aanbod",
    "email": "e-mailadres voor dit aanbod",
    "website": "webpagina van dit aanbod",
    "inschrijven": "hoe je inschrijft",
    "inschrijven_zonder_internet": "hoe je inschrijft zonder internet",
}
REQUIRED = ("id", "naam", "samenvatting", "categorie", "doelgroep")
DEFAULT_SOURCE = "csv"

_LIST_SPLIT = re.compile(r"[;,|/]")
_CURRENCY = re.compile(r"€|\beuro\b|\beur\b")
_TRUE = {"ja", "j", "yes", "y", "true", "1", "x", "waar"}
_FALSE = {"nee", "n", "no", "false", "0", "", "onwaar"}


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel on Windows writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


def _header(name: str) -> str:
    return "_".join(tokens(name))


class _Row:
    """Typed access to one row; every parse problem is collected, not raised."""

    def __init__(self, values: dict[str, str]):
        self.values = values
        self.problems: list[str] = []

    def text(self, key: str) -> str | None:
        value = (self.values.get(key) or "").strip()
        return value or None

    def int(self, key: str) -> int | None:
        raw = self.text(key)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:
            self.problems.append(f"{key} '{raw}' is geen geheel getal")
            return None

    def float(self, key: str) -> float | None:
        raw = self.text(key)
        if raw is None:
            return None
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            self.problems.append(f"{key} '{raw}' is geen getal")
            return None

    def cents(self, key: str) -> int | None:
        raw = self.text(key)
        if raw is None:
            return None
        cleaned = _CURRENCY.sub("", fold(raw)).replace(" ", "")
        if cleaned == "gratis":
            return 0
        try:
            return int(round(float(cleaned.replace(",", ".")) * 100))
        except ValueError:
            self.problems.append(f"{key} '{raw}' is geen bedrag in euro")
            return None

    def percent(self, key: str) -> int | None:
        raw = self.text(key)
        if raw is None:
            return None
        try:
            return int(round(float(raw.replace("%", "").replace(",", ".").strip())))
        except ValueError:
            self.problems.append(f"{key} '{raw}' is geen percentage")
            return None

    def bool(self, key: str) -> bool:
        raw = fold(self.text(key) or "")
        if raw in _TRUE:
            return True
        if raw not in _FALSE:
            self.problems.append(f"{key} '{self.text(key)}' is geen ja of nee")
        return False

    def date(self, key: str) -> date | None:
        raw = self.text(key)
        if raw is None:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        self.problems.append(f"{key} '{raw}' is geen datum (gebruik JJJJ-MM-DD)")
        return None

    def codes(self, key: str, normalize) -> tuple[str, ...]:
        """A list cell: each value through the vocabulary; unknown values kept for the report."""
        out: list[str] = []
        for part in _LIST_SPLIT.split(self.text(key) or ""):
            part = part.strip()
            if not part:
                continue
            code = normalize(part, strict=True)
            out.append(code if code and code != vocabulary.ANY else part)
        return tuple(dict.fromkeys(out))

    def code(self, key: str, normalize) -> str:
        raw = self.text(key) or ""
        code = normalize(raw, strict=True) if raw else None
        return code if code and code != vocabulary.ANY else raw


def _day(value: str) -> str | None:
    value = fold(value).strip()[:2]
    return value if value in ("ma", "di", "wo", "do", "vr", "za", "zo") else None


def _municipality(row: _Row) -> str:
    nis = row.text("nis_code")
    if nis:
        return nis
    postal = row.text("postcode")
    if not postal:
        return ""
    found = places.by_postal_code(postal)
    if found is None:
        row.problems.append(f"postcode {postal} ligt niet in Vlaanderen of Brussel")
        return ""
    return found.nis_code


def _status(row: _Row) -> str:
    raw = fold(row.text("status") or "actief")
    return {"actief": "active", "active": "active", "inactief": "inactive",
            "inactive": "inactive"}.get(raw, raw)


def to_record(values: dict[str, str], default_source: str) -> OfferingRecord:
    row = _Row(values)
    source = row.text("bron") or default_source
    org_name = row.text("organisatie")
    organisation = (
        OrganisationRecord(
            source_id=fold(org_name), name=org_name, website=row.text("organisatie_website"),
            email=row.text("organisatie_email"), phone=row.text("organisatie_telefoon"),
        )
        if org_name
        else None
    )
    nis = _municipality(row)
    location = LocationRecord(
        # Without a place name, address or postal code the municipality tells places apart,
        # so two such rows never move each other to another municipality.
        source_id=row.text("locatie_id") or _location_key(row, nis),
        municipality_nis=nis,
        name=row.text("locatie_naam"),
        address=row.text("adres"),
        postal_code=row.text("postcode"),
        latitude=row.float("lat"),
        longitude=row.float("lon"),
        transport_note=row.text("openbaar_vervoer"),
    )
    days = []
    for part in _LIST_SPLIT.split(row.text("dagen") or ""):
        if part.strip():
            days.append(_day(part) or part.strip())
    record = OfferingRecord(
        source=source,
        source_id=row.text("id") or "",
        name=row.text("naam") or "",
        summary=row.text("samenvatting") or "",
        description=row.text("beschrijving"),
        category=row.code("categorie", vocabulary.normalize_category),
        audiences=row.codes("doelgroep", vocabulary.normalize_audience),
        min_age=row.int("min_leeftijd"),
        max_age=row.int("max_leeftijd"),
        status=_status(row),
        last_checked=row.date("laatst_gecontroleerd"),
        organisation=organisation,
        location=location,
        schedule_text=row.text("wanneer"),
        days=tuple(dict.fromkeys(days)),
        parts_of_day=row.codes("dagdelen", vocabulary.normalize_part_of_day),
        price_cents=row.cents("prijs"),
        kansentarief_cents=row.cents("kansentarief_prijs"),
        kansentarief_percent=row.percent("kansentarief_korting"),
        artikel27=row.bool("artikel27"),
        paspartoe=row.bool("paspartoe"),
        other_discount=row.text("andere_korting"),
        features=row.codes("kenmerken", vocabulary.normalize_barrier),
        phone=row.text("telefoon"),
        email=row.text("email"),
        website=row.text("website"),
        how_to_register=row.text("inschrijven"),
        register_offline=row.text("inschrijven_zonder_internet"),
    )
    record.problems = row.problems
    return record


def read(text: str, default_source: str = DEFAULT_SOURCE) -> Iterator[Parsed]:
    """(where, record, problems) per data row; a header problem rejects the whole file."""
    reader = csv.reader(io.StringIO(text), delimiter=_dialect(text))
    try:
        header = [_header(h) for h in next(reader)]
    except StopIteration:
        yield "regel 1", None, ["het bestand is leeg"]
        return
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        yield "regel 1", None, [f"kolom ontbreekt: {', '.join(missing)}"]
        return
    last_line = reader.line_num
    for cells in reader:
        where = f"regel {last_line + 1}"
        last_line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            yield where, None, [f"{len(cells)} cellen, maar de kop heeft er {len(header)}"]
            continue
        yield where, to_record(dict(zip(header, cells)), default_source), []


def _location_key(row, nis: str | None) -> str:
    key = "|".join(fold(row.text(k) or "") for k in ("locatie_naam", "adres", "postcode"))
    return f"{key}|{nis}" if key == "||" and nis else key
