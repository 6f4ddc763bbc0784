"""Keeping the catalogue by hand: create, edit, switch off offerings, and import uploads.

An offering is edited as one row of the catalogue CSV (docs/catalogue-csv.md): the values are
keyed by the CSV column names, read by the CSV importer's own reader and checked by the
importers' ``validate``, and written by the importers' ``upsert``. So a form, a sheet and an
API feed obey the same rules and become rows the same way. The column names are also the keys
in the audit log, so staff see one vocabulary everywhere.

Offerings made here get the source ``ADMIN_SOURCE``; importers write only their own source, so
they never overwrite them. Every change writes an audit row in the caller's transaction; the
caller commits.
"""
from __future__ import annotations

import csv
import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit, places
from bot.catalogue import importers, taxonomy
from bot.catalogue.display import euro
from bot.catalogue.importers import csvfile
from bot.catalogue.importers.records import OfferingRecord, validate
from bot.catalogue.importers.report import ImportReport
from bot.catalogue.importers.writer import upsert
from bot.catalogue.models import Location, Offering, Organisation, utcnow
from bot.catalogue.terms import fold

ADMIN_SOURCE = taxonomy.ADMIN_SOURCE
TEXT_LIMIT = 5000  # for Text columns, which have no length of their own
_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


@dataclass(frozen=True)
class Field:
    key: str  # the CSV column; also the form field name and the audit key
    label: str  # Dutch, shown next to the field
    column: object = None  # the model column that stores it: its length is the limit
    kind: str = "text"  # text, textarea, number, date, codes, flag, municipality, category


# Every field of the form, in the order it is shown. Codes come from taxonomy.py.
FIELDS = (
    Field("naam", "Naam", Offering.name),
    Field("samenvatting", "Samenvatting (eenvoudige taal, max. 30 woorden)", Offering.summary,
          "textarea"),
    Field("beschrijving", "Beschrijving", Offering.description, "textarea"),
    Field("categorie", "Categorie", Offering.category, "category"),
    Field("doelgroep", "Doelgroep", None, "codes"),
    Field("min_leeftijd", "Minimumleeftijd (jaar)", None, "number"),
    Field("max_leeftijd", "Maximumleeftijd (jaar)", None, "number"),
    Field("organisatie", "Organisatie", Organisation.name),
    Field("organisatie_website", "Website van de organisatie", Organisation.website),
    Field("organisatie_email", "E-mail van de organisatie", Organisation.email),
    Field("organisatie_telefoon", "Telefoon van de organisatie", Organisation.phone),
    Field("nis_code", "Gemeente", Location.municipality_nis, "municipality"),
    Field("postcode", "Postcode", Location.postal_code),
    Field("locatie_naam", "Naam van de plaats", Location.name),
    Field("adres", "Adres (straat en nummer)", Location.address),
    Field("openbaar_vervoer", "Met bus, tram of trein", Location.transport_note, "textarea"),
    Field("wanneer", "Wanneer (in gewone woorden)", Offering.schedule_text),
    Field("dagen", "Dagen", None, "codes"),
    Field("dagdelen", "Dagdelen", None, "codes"),
    Field("prijs", "Prijs in euro (0 is gratis, leeg is onbekend)", None, "number"),
    Field("kansentarief_prijs", "Prijs met kansentarief in euro", None, "number"),
    Field("kansentarief_korting", "Korting met kansentarief in procent", None, "number"),
    Field("artikel27", "Artikel 27-tickets aanvaard", None, "flag"),
    Field("paspartoe", "Paspartoe aanvaard", None, "flag"),
    Field("andere_korting", "Andere korting", Offering.other_discount),
    Field("kenmerken", "Kenmerken (toegankelijkheid en drempelverlagers)", None, "codes"),
    Field("telefoon", "Telefoon", Offering.phone),
    Field("email", "E-mail", Offering.email),
    Field("website", "Website", Offering.website),
    Field("inschrijven", "Zo schrijf je in", Offering.how_to_register, "textarea"),
    Field("inschrijven_zonder_internet", "Zo schrijf je in zonder internet",
          Offering.register_offline, "textarea"),
    Field("laatst_gecontroleerd", "Laatst nagekeken op", Offering.last_checked, "date"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
LABELS = {f.key: f.label for f in FIELDS}
# Multi-valued fields and the code table each value must come from.
CODE_TABLES = {
    "doelgroep": taxonomy.AUDIENCES,
    "dagen": taxonomy.DAYS,
    "dagdelen": taxonomy.PARTS_OF_DAY,
    "kenmerken": taxonomy.FEATURES,
}
_LOCATION_KEYS = ("nis_code", "postcode", "locatie_naam", "adres", "openbaar_vervoer")
GENERAL = "_algemeen"  # errors that belong to no one field

# The importers' messages name no field; this maps them to the field they are about. Messages
# of the CSV reader start with the column name itself (e.g. "prijs 'abc' is geen bedrag").
_MESSAGE_FIELDS = (
    (re.compile(r"^onbekende categorie|^categorie"), "categorie"),
    (re.compile(r"doelgroep"), "doelgroep"),
    (re.compile(r"^onbekende kenmerk"), "kenmerken"),
    (re.compile(r"^onbekende dagdeel"), "dagdelen"),
    (re.compile(r"^onbekende dag "), "dagen"),
    (re.compile(r"^minimumleeftijd"), "min_leeftijd"),
    (re.compile(r"^maximumleeftijd"), "max_leeftijd"),
    (re.compile(r"^gemeente|^NIS-code"), "nis_code"),
    (re.compile(r"^kansentarief-korting"), "kansentarief_korting"),
    (re.compile(r"^kansentarief "), "kansentarief_prijs"),
    (re.compile(r"^organisatie"), "organisatie"),
)


class OfferingNotFound(LookupError):
    pass


class OfferingInvalid(ValueError):
    """The values cannot be saved; ``errors`` maps a field key (or GENERAL) to Dutch messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


class UploadRefused(ValueError):
    """An uploaded file that no importer can read, with the reason in Dutch."""


# --- values: an offering as one CSV row ---------------------------------------------------------

def _cents(cents: int | None) -> str:
    return "" if cents is None else euro(cents).lstrip("€")


def _text(value) -> str:
    return "" if value is None else str(value)


def values_of(o: Offering) -> dict:
    """The offering as form values: strings, a list of codes for the multi-valued fields."""
    org, loc = o.organisation, o.location
    return {
        "naam": o.name,
        "samenvatting": o.summary,
        "beschrijving": _text(o.description),
        "categorie": o.category,
        "doelgroep": list(o.audiences),
        "min_leeftijd": _text(o.min_age),
        "max_leeftijd": _text(o.max_age),
        "organisatie": org.name if org else "",
        "organisatie_website": _text(org.website) if org else "",
        "organisatie_email": _text(org.email) if org else "",
        "organisatie_telefoon": _text(org.phone) if org else "",
        "nis_code": loc.municipality_nis,
        "postcode": _text(loc.postal_code),
        "locatie_naam": _text(loc.name),
        "adres": _text(loc.address),
        "openbaar_vervoer": _text(loc.transport_note),
        "wanneer": _text(o.schedule_text),
        "dagen": (o.schedule_days or "").split(),
        "dagdelen": list(o.parts_of_day),
        "prijs": _cents(o.price_cents),
        "kansentarief_prijs": _cents(o.kansentarief_cents),
        "kansentarief_korting": _text(o.kansentarief_percent),
        "artikel27": "ja" if o.artikel27 else "",
        "paspartoe": "ja" if o.paspartoe else "",
        "andere_korting": _text(o.other_discount),
        "kenmerken": list(o.features),
        "telefoon": _text(o.phone),
        "email": _text(o.email),
        "website": _text(o.website),
        "inschrijven": _text(o.how_to_register),
        "inschrijven_zonder_internet": _text(o.register_offline),
        "laatst_gecontroleerd": o.last_checked.isoformat() if o.last_checked else "",
    }


def empty_values() -> dict:
    """Values for a new offering: nothing filled in, checked today."""
    values = {f.key: [] if f.kind == "codes" else "" for f in FIELDS}
    values["laatst_gecontroleerd"] = utcnow().date().isoformat()
    return values


def clean_values(values: dict) -> dict:
    """Only known keys; text stripped; code lists as lists; flags as "ja" or ""."""
    out: dict = {}
    for f in FIELDS:
        if f.key not in values:
            continue
        value = values[f.key]
        if f.kind == "codes":
            items = value if isinstance(value, (list, tuple)) else str(value or "").split(";")
            out[f.key] = list(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))
        elif f.kind == "flag":
            out[f.key] = "ja" if str(value or "").strip().lower() in ("ja", "on", "1", "true") else ""
        else:
            out[f.key] = str(value or "").strip()
    return out


# --- checking -----------------------------------------------------------------------------------

def field_of(message: str) -> str:
    """The form field an importer message is about, GENERAL when it names none."""
    first = message.split(" ", 1)[0]
    if first in LABELS:
        return first
    for pattern, key in _MESSAGE_FIELDS:
        if pattern.search(message):
            return key
    return GENERAL


def _sentence(message: str) -> str:
    message = message.strip()
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."


def _own_checks(values: dict) -> list[tuple[str, str]]:
    """Checks the importers leave out: field lengths, code lists, postal code against place."""
    problems: list[tuple[str, str]] = []
    for f in FIELDS:
        value = values.get(f.key)
        if f.kind == "codes":
            table = CODE_TABLES[f.key]
            for code in value or []:
                if code not in table:
                    problems.append((f.key, f"onbekende keuze '{code}'"))
            continue
        limit = getattr(getattr(f.column, "type", None), "length", None) or TEXT_LIMIT
        if value and len(value) > limit:
            problems.append((f.key, f"te lang: {len(value)} tekens (max. {limit})"))
    postal, nis = values.get("postcode", ""), values.get("nis_code", "")
    if postal:
        found = places.by_postal_code(postal)
        home = places.by_nis(nis) if nis else None
        if found is None:
            problems.append(("postcode", f"postcode {postal} ligt niet in Vlaanderen of Brussel"))
        elif home is not None and postal not in home.postal_codes:
            problems.append(("postcode", f"postcode {postal} hoort niet bij {home.name_nl}"))
    return problems


def _record(values: dict, source: str, source_id: str, status: str) -> OfferingRecord:
    """The CSV importer reads the values as one row of a sheet."""
    row = {key: ";".join(value) if isinstance(value, list) else value
           for key, value in values.items()}
    row.update({"id": source_id, "bron": source, "status": status})
    return csvfile.to_record(row, source)


def _check(values: dict, record: OfferingRecord) -> None:
    errors: dict[str, list[str]] = {}
    found = [(key, _sentence(text)) for key, text in _own_checks(values)]
    # Messages about a single field the form already named are dropped in favour of ours.
    named = {key for key, _ in found}
    for message in validate(record):
        key = field_of(message)
        if key not in named:
            found.append((key, _sentence(message)))
    for key, message in found:
        errors.setdefault(key, [])
        if message not in errors[key]:
            errors[key].append(message)
    if errors:
        raise OfferingInvalid(errors)


def _location_key(record: OfferingRecord) -> str:
    """One place per municipality, name, address and postal code (a hash: bounded length)."""
    loc = record.location
    raw = "|".join((loc.municipality_nis, fold(loc.name or ""), fold(loc.address or ""),
                    loc.postal_code or ""))
    return "beheer-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def _keep_coordinates(session: Session, record: OfferingRecord) -> None:
    # The form has no coordinates: keep those the place already has instead of wiping them.
    row = session.execute(
        select(Location).where(Location.source == record.source,
                               Location.source_id == record.location.source_id)
    ).scalar_one_or_none()
    if row is not None:
        record.location.latitude, record.location.longitude = row.latitude, row.longitude


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in FIELD_KEYS if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def get(session: Session, offering_id: int) -> Offering:
    row = session.get(Offering, offering_id)
    if row is None:
        raise OfferingNotFound(offering_id)
    return row


# --- the changes ------------------------------------------------------------------------------

def create_offering(session: Session, values: dict, *, by: str) -> Offering:
    """A new offering of source ADMIN_SOURCE; raises OfferingInvalid with errors per field."""
    values = {**empty_values(), **clean_values(values)}
    record = _record(values, ADMIN_SOURCE, uuid.uuid4().hex[:16], "active")
    _check(values, record)
    record.location.source_id = _location_key(record)
    _keep_coordinates(session, record)
    upsert(session, record)
    row = session.execute(
        select(Offering).where(Offering.source == record.source,
                               Offering.source_id == record.source_id)
    ).scalar_one()
    after = {k: v for k, v in values_of(row).items() if v not in ("", [])}
    audit.record(session, by, "offering.create", target_type="offering", target_id=row.id,
                 after={**after, "bron": row.source, "status": row.status})
    return row


def update_offering(session: Session, offering_id: int, values: dict, *, by: str) -> tuple[Offering, dict]:
    """Change the given fields (the others stay); returns the row and {key: new value} changed.

    The offering keeps its source. An imported one can be changed back by the next import of a
    changed file: the source stays the master of its own data.
    """
    row = get(session, offering_id)
    before = values_of(row)
    values = {**before, **clean_values(values)}
    if values == before:
        return row, {}
    record = _record(values, row.source, row.source_id, row.status)
    _check(values, record)
    if all(values[k] == before[k] for k in _LOCATION_KEYS):
        record.location.source_id = row.location.source_id
    else:
        # A new place for this offering only: other offerings at the old place stay there.
        record.location.source_id = _location_key(record)
    if record.organisation and row.organisation and values["organisatie"] == before["organisatie"]:
        record.organisation.source_id = row.organisation.source_id
    _keep_coordinates(session, record)
    upsert(session, record)
    session.refresh(row)
    old, new = _changes(before, values_of(row))
    if new:
        audit.record(session, by, "offering.update", target_type="offering", target_id=row.id,
                     before=old, after=new)
    return row, new


def set_status(session: Session, offering_id: int, status: str, *, by: str) -> Offering:
    """Switch an offering off ("inactive": the bot no longer shows it) or on again."""
    if status not in taxonomy.STATUSES:
        raise OfferingInvalid({"status": ["Kies actief of inactief."]})
    row = get(session, offering_id)
    if row.status != status:
        audit.record(session, by, "offering.status", target_type="offering", target_id=row.id,
                     before={"status": row.status}, after={"status": status})
        row.status = status
        row.updated_at = utcnow()
        session.flush()
    return row


# --- uploads ------------------------------------------------------------------------------------

def _csv_uses_admin_source(text: str, source: str) -> bool:
    return any(record is not None and record.source == ADMIN_SOURCE
               for _, record, _ in csvfile.read(text, source))


def import_upload(session: Session, data: bytes, filename: str, *, by: str,
                  source: str | None = None) -> ImportReport:
    """An uploaded CSV or UiTdatabank JSON through the importers, with an audit row.

    ``source`` names a CSV's source (default "csv"); raises UploadRefused when the file cannot
    be read at all. Bad rows do not raise: they are in the report.
    """
    name = PurePath(filename.replace("\\", "/")).name[:200] or "upload"
    source = (source or "").strip().lower() or None
    if source is not None and (not _SOURCE_NAME.match(source) or source == ADMIN_SOURCE):
        raise UploadRefused(
            "Gebruik als bron 2 tot 40 kleine letters, cijfers of streepjes, "
            f"maar niet '{ADMIN_SOURCE}'."
        )
    if not data.strip():
        raise UploadRefused("Het bestand is leeg.")
    try:
        if name.lower().endswith(".csv"):
            if _csv_uses_admin_source(csvfile.decode(data), source or csvfile.DEFAULT_SOURCE):
                raise UploadRefused(
                    f"De kolom bron gebruikt '{ADMIN_SOURCE}'. Die bron is voor aanbod dat "
                    "je in Klik zelf beheert. Kies een andere bron."
                )
        report = importers.import_bytes(session, data, name, source)
    except importers.ImportFormatError as exc:
        raise UploadRefused(str(exc)) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UploadRefused(
            "Dit bestand kan ik niet lezen. Bewaar het als CSV (UTF-8) of als JSON."
        ) from exc
    audit.record(session, by, "catalogue.import", target_type="import", target_id=name,
                 after={"bestand": name, "bron": report.source, "nieuw": len(report.added),
                        "gewijzigd": len(report.changed), "ongewijzigd": len(report.unchanged),
                        "geweigerd": len(report.rejected)})
    return report
