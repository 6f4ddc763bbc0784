"""The staff inbox of needs: a filter read from a URL query, the matching needs sorted and paged,
and the same set as a CSV file for Excel (Belgian settings: UTF-8 with BOM, ";" separator).

The filter lives in the URL, so a view can be bookmarked and the CSV link exports exactly what
the inbox shows. Codes are stored; the Dutch labels come from the code tables, defined once.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from bot import places
from bot.catalogue import taxonomy
from bot.needs import workflow
from bot.needs.model import KINDS, SOURCES, Need

BRUSSELS = ZoneInfo("Europe/Brussels")  # dates people type are Belgian calendar days
MAX_QUERY_VALUE = 100
MAX_SEARCH = 200
SORTS = ("created_at", "status", "municipality", "category")
ORDERS = ("asc", "desc")
NOBODY = "-"  # the "assigned to" filter value for needs nobody has taken


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- labels -----------------------------------------------------------------------------------

def category_label(code: str | None) -> str:
    return _cap(taxonomy.label(taxonomy.CATEGORIES, code)) if code else ""


def barrier_label(code: str) -> str:
    return _cap(taxonomy.label(taxonomy.FEATURES, code))


def audience_label(code: str | None) -> str:
    return _cap(taxonomy.label(taxonomy.AUDIENCES, code)) if code else ""


def municipality_label(nis: str | None) -> str:
    return (places.display_name(nis) or nis) if nis else ""


# Select options for the filter form: code -> Dutch label, in the tables' order.
CHOICES: dict[str, dict[str, str]] = {
    "status": dict(workflow.LABELS),
    "kind": dict(KINDS),
    "source": dict(SOURCES),
    "category": {code: category_label(code) for code in taxonomy.CATEGORIES},
    "barrier": {code: barrier_label(code) for code in taxonomy.FEATURES},
    "audience": {code: audience_label(code) for code in taxonomy.AUDIENCES},
}
FIELD_NAMES = {  # how the form calls each filter, for error messages
    "status": "status", "kind": "soort", "source": "bron", "category": "categorie",
    "barrier": "drempel", "audience": "doelgroep",
}


# --- reading the query ------------------------------------------------------------------------

_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_date(text: str) -> date:
    """'24-11-2026', '24/11/2026' or '2026-11-24'; ValueError with a Dutch message otherwise."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"De datum '{text[:30]}' klopt niet. Schrijf dd-mm-jjjj, "
                     "bijvoorbeeld 24-11-2026.")


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded name (Dutch, French, alias) -> NIS code; the first spelling wins, as in places."""
    index: dict[str, str] = {}
    for form in places.name_forms():
        index.setdefault(places.fold(form.text), form.nis_code)
    return index


def parse_municipality(text: str) -> str:
    """A NIS code, postal code or name ('Gent', 'sint niklaas', '9000') -> NIS code."""
    text = text.strip()
    found = places.by_nis(text) or (places.by_postal_code(text) if text.isdigit() else None)
    if found:
        return found.nis_code
    nis = _names().get(places.fold(text))
    if nis:
        return nis
    message = f"Ik ken geen gemeente '{text[:40]}'."
    close = difflib.get_close_matches(places.fold(text), list(_names()), n=1,
                                    cutoff=places.ASK_MIN_RATIO)
    if close:
        message += f" Bedoel je {places.display_name(_names()[close[0]])}?"
    raise ValueError(message)


@dataclass(frozen=True)
class NeedFilter:
    """Which needs to show and in what order. Empty fields do not filter."""

    status: str = ""
    kind: str = ""
    source: str = ""
    category: str = ""
    barrier: str = ""
    audience: str = ""
    municipality: str = ""  # NIS code
    assigned_to: str = ""  # a username, or NOBODY
    date_from: date | None = None  # first day, inclusive (Brussels calendar day)
    date_to: date | None = None  # last day, inclusive
    q: str = ""  # words in the need's text, or (part of) its code
    sort: str = "created_at"
    order: str = "desc"
    # What could not be read, in Dutch; those parts of the query are left out of the filter.
    errors: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "NeedFilter":
        """Read a URL query (aiohttp's request.query or a dict). Never raises: what cannot
        be read becomes a message in ``errors``."""

        def value(name: str, limit: int = MAX_QUERY_VALUE) -> str:
            raw = query.get(name, "")
            return raw.strip()[:limit] if isinstance(raw, str) else ""

        errors: list[str] = []
        found: dict = {}
        for name, choices in CHOICES.items():
            code = value(name)
            if code and code not in choices:
                errors.append(f"Onbekende {FIELD_NAMES[name]}: '{code[:30]}'.")
            elif code:
                found[name] = code
        if value("municipality"):
            try:
                found["municipality"] = parse_municipality(value("municipality"))
            except ValueError as exc:
                errors.append(str(exc))
        for name in ("date_from", "date_to"):
            if value(name):
                try:
                    found[name] = parse_date(value(name))
                except ValueError as exc:
                    errors.append(str(exc))
        start, end = found.get("date_from"), found.get("date_to")
        if start and end and start > end:
            errors.append("De begindatum ligt na de einddatum.")
            del found["date_from"], found["date_to"]
        if value("assigned_to"):
            found["assigned_to"] = value("assigned_to", 50).lower()
        found["q"] = value("q", MAX_SEARCH)
        sort, order = value("sort"), value("order")
        if sort and sort not in SORTS:
            errors.append(f"Sorteren op '{sort[:30]}' kan niet.")
        elif sort:
            found["sort"] = sort
        if order in ORDERS:
            found["order"] = order
        return cls(**found, errors=tuple(errors))

    def to_query(self) -> dict[str, str]:
        """The filter as URL query values (only what differs from the default), for links."""
        out: dict[str, str] = {}
        default = NeedFilter()
        for f in fields(self):
            if f.name == "errors":
                continue
            current = getattr(self, f.name)
            if current == getattr(default, f.name):
                continue
            out[f.name] = current.strftime("%d-%m-%Y") if isinstance(current, date) else current
        if "sort" in out:  # say the direction too, so a bookmark reads the same to everyone
            out["order"] = self.order
        return out

    def sorted_by(self, sort: str) -> "NeedFilter":
        """The same filter sorted on ``sort``; a second click on the same column flips it."""
        if sort == self.sort:
            return replace(self, order="asc" if self.order == "desc" else "desc")
        return replace(self, sort=sort, order="asc" if sort != "created_at" else "desc")


# --- the query --------------------------------------------------------------------------------

def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BRUSSELS)


def _where(flt: NeedFilter) -> list:
    conditions = []
    for name in ("status", "kind", "source", "category", "audience"):
        if getattr(flt, name):
            conditions.append(getattr(Need, name) == getattr(flt, name))
    if flt.municipality:
        conditions.append(Need.municipality_nis == flt.municipality)
    if flt.barrier:
        # barriers is a JSON list of plain codes: its text holds "code" with the quotes, on
        # SQLite and PostgreSQL alike (codes are ASCII identifiers, nothing to escape).
        conditions.append(cast(Need.barriers, String).contains(f'"{flt.barrier}"'))
    if flt.assigned_to == NOBODY:
        conditions.append(Need.assigned_to.is_(None))
    elif flt.assigned_to:
        conditions.append(Need.assigned_to == flt.assigned_to)
    if flt.date_from:
        conditions.append(Need.created_at >= _start_of(flt.date_from))
    if flt.date_to:
        conditions.append(Need.created_at < _start_of(flt.date_to + timedelta(days=1)))
    if flt.q:
        words = func.lower(Need.text).contains(flt.q.lower(), autoescape=True)
        code = re.sub(r"[\s\-]", "", flt.q).upper()
        if len(code) >= 3 and code.isalnum():
            words = or_(words, Need.code.contains(code, autoescape=True))
        conditions.append(words)
    return conditions


def _sort_key(flt: NeedFilter):
    if flt.sort == "status":  # the workflow's order, not the alphabet
        return case({code: i for i, code in enumerate(workflow.LABELS)}, value=Need.status,
                    else_=len(workflow.LABELS))
    if flt.sort == "municipality":  # by name, unknown and empty last
        names = {m.nis_code: m.name_nl for m in places.all_municipalities()}
        return case(names, value=Need.municipality_nis, else_="\uffff")
    if flt.sort == "category":
        return case(CHOICES["category"], value=Need.category, else_="\uffff")
    return Need.created_at


def query(flt: NeedFilter):
    """The SELECT of the needs that match, in the filter's order (newest first on ties)."""
    key = _sort_key(flt)
    key = key.desc() if flt.order == "desc" else key.asc()
    return (select(Need).where(*_where(flt))
            .order_by(key, Need.created_at.desc(), Need.id.desc()))


def count(session: Session, flt: NeedFilter) -> int:
    return session.execute(
        select(func.count()).select_from(Need).where(*_where(flt))
    ).scalar_one()


def find(session: Session, flt: NeedFilter, page=None) -> list[Need]:
    """The needs that match, sorted; ``page`` is anything with ``offset`` and ``size`` (the
    staff pages' Page), or None for all of them."""
    statement = query(flt)
    if page is not None:
        statement = statement.offset(page.offset).limit(page.size)
    return list(session.execute(statement).scalars())


# --- CSV export -------------------------------------------------------------------------------

def _local(value: datetime | None) -> str:
    return value.astimezone(BRUSSELS).strftime("%d-%m-%Y %H:%M") if value else ""


# Dutch header -> the need's value as text. Everything except the link to the conversation.
COLUMNS = (
    ("Code", lambda n: n.display_code),
    ("Aangemaakt op", lambda n: _local(n.created_at)),
    ("Soort", lambda n: n.kind_label),
    ("Bron", lambda n: SOURCES.get(n.source, n.source)),
    ("Status", lambda n: n.status_label),
    ("Categorie", lambda n: category_label(n.category)),
    ("Drempels", lambda n: ", ".join(barrier_label(b) for b in n.barriers or ())),
    ("Gemeente", lambda n: municipality_label(n.municipality_nis)),
    ("NIS-code", lambda n: n.municipality_nis or ""),
    ("Doelgroep", lambda n: audience_label(n.audience)),
    ("Leeftijd", lambda n: n.age_band or ""),
    ("Tekst", lambda n: n.text),
    ("Publiek antwoord", lambda n: n.public_reply or ""),
    ("Toegewezen aan", lambda n: n.assigned_to or ""),
    ("Dubbel van", lambda n: n.duplicate_of.display_code if n.duplicate_of else ""),
    ("Toestemming op", lambda n: _local(n.consent_at)),
    ("Afgesloten op", lambda n: _local(n.closed_at)),
    ("Geanonimiseerd op", lambda n: _local(n.anonymised_at)),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Excel runs a cell that starts with = + - @ as a formula: residents' words must not."""
    return "'" + value if value.startswith(FORMULA_START) else value


def export_csv(session: Session, flt: NeedFilter) -> str:
    """Every need the filter matches, one row each, in the filter's order: UTF-8 BOM, ";"."""
    out = io.StringIO()
    out.write("\ufeff")  # the BOM makes Excel read UTF-8 (é, ë, …) instead of Windows-1252
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for header, _ in COLUMNS])
    statement = query(flt).options(selectinload(Need.duplicate_of))
    for need in session.execute(statement).scalars():
        writer.writerow([safe_cell(str(value(need))) for _, value in COLUMNS])
    return out.getvalue()
