"""/staff/catalogue: list, search, create, edit and switch off offerings; import a file.

Administrators only. The rules live in bot/catalogue/admin.py (the same checks and writer as
the importers); this module reads forms and renders pages. Work that loads spaCy or reads a
whole file runs in a thread, so chat requests on the same gateway keep flowing.
"""
from __future__ import annotations

import asyncio
import functools
import re
from datetime import date

from aiohttp import web
from sqlalchemy import func, or_, select

from bot import audit, places
from bot.catalogue import admin, taxonomy
from bot.catalogue.display import SOURCE_LABELS, price_text
from bot.catalogue.models import Location, Offering
from bot.catalogue.terms import tokens
from bot.db import session_scope
from bot.web.staff.auth import PREFIX, admin_only
from bot.web.staff.common import USER, flash, page_from, render, see_other
from bot.web.staff.filters import localtime

BASE = f"{PREFIX}/catalogue"
UPLOAD_PATH = f"{BASE}/import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# The body limit of the upload route: the file plus the form around it. A file between
# MAX_UPLOAD_BYTES and this limit gets our own message; above it aiohttp answers 413.
UPLOAD_BODY_LIMIT = MAX_UPLOAD_BYTES + 1024 * 1024
FORM_BODY_LIMIT = 256 * 1024
REPORT_ROWS = 500  # per list on the import report; the counts stay exact

STATUS_LABELS = {"active": "Actief", "inactive": "Inactief"}
# The form in parts, so a long form stays easy to scan. Keys are admin.FIELDS keys.
GROUPS = (
    ("Wat", ("naam", "samenvatting", "beschrijving", "categorie")),
    ("Voor wie", ("doelgroep", "min_leeftijd", "max_leeftijd")),
    ("Waar", ("nis_code", "postcode", "locatie_naam", "adres", "openbaar_vervoer")),
    ("Wanneer", ("wanneer", "dagen", "dagdelen")),
    ("Prijs en kortingen", ("prijs", "kansentarief_prijs", "kansentarief_korting", "artikel27",
                            "paspartoe", "andere_korting", "kenmerken")),
    ("Inschrijven en contact", ("inschrijven", "inschrijven_zonder_internet", "telefoon", "email",
                                "website")),
    ("Organisatie", ("organisatie", "organisatie_website", "organisatie_email",
                     "organisatie_telefoon")),
    ("Controle", ("laatst_gecontroleerd",)),
)
REQUIRED = ("naam", "samenvatting", "categorie", "doelgroep", "nis_code")
CHOICES = {
    "categorie": taxonomy.CATEGORIES,
    "doelgroep": taxonomy.AUDIENCES,
    "dagen": taxonomy.DAYS,
    "dagdelen": taxonomy.PARTS_OF_DAY,
    "kenmerken": taxonomy.FEATURES,
}


# Bodies these routes may send, above the app's 16 KB: a file, or a long offering form whose
# every field may be near its limit (so a long text gets a message by its field, not a 413).
_BODY_LIMITS = (
    (re.compile(rf"^{re.escape(UPLOAD_PATH)}$"), UPLOAD_BODY_LIMIT),
    (re.compile(rf"^{re.escape(BASE)}/(new|\d+/edit)$"), FORM_BODY_LIMIT),
)


@web.middleware
async def body_limits(request: web.Request, handler):
    """A bigger body limit for the upload and offering forms only; the rest keeps 16 KB.

    Must run before anything reads the body (the staff middleware reads every POST form), so
    it belongs right after errors_middleware in bot/web/app.py. The staff middleware refuses a
    request without a session before it reads the body, so only signed-in staff get the room.
    """
    if request.method == "POST":
        for pattern, limit in _BODY_LIMITS:
            if pattern.match(request.path):
                return await handler(request.clone(client_max_size=limit))
    return await handler(request)


def source_label(source: str) -> str:
    if source == admin.ADMIN_SOURCE:
        return "Klik-beheer"
    if source == taxonomy.SAMPLE_SOURCE:
        return "Voorbeeld"
    return SOURCE_LABELS.get(source, source)


def _municipality_name(nis: str) -> str:
    found = places.by_nis(nis)
    return found.name_nl if found else nis


@functools.lru_cache(maxsize=1)
def _all_municipalities() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((m.nis_code, m.name_nl) for m in places.all_municipalities()),
                        key=lambda item: item[1]))


async def _in_thread(fn, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(fn, *args, **kwargs))


async def _not_found(request: web.Request) -> web.Response:
    return await render(request, "staff/error.html",
                        {"title": "Niet gevonden", "message": "Dit aanbod bestaat niet.",
                         "section": "catalogue"}, status=404)


async def _bad_request(request: web.Request, message: str) -> web.Response:
    return await render(request, "staff/error.html",
                        {"title": "Dat lukt niet", "message": message, "section": "catalogue"},
                        status=400)


def _offering_id(request: web.Request) -> int | None:
    raw = request.match_info["id"]
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


# --- list -------------------------------------------------------------------------------------

def _filters(query) -> tuple[dict, str | None]:
    """The list filters from the URL, and a Dutch message when one of them is wrong."""
    wanted = {key: query.get(key, "").strip()[:200] for key in ("q", "gemeente", "categorie",
                                                                 "status", "bron")}
    if wanted["gemeente"] and places.by_nis(wanted["gemeente"]) is None:
        return wanted, "Deze gemeente ken ik niet. Kies een gemeente uit de lijst."
    if wanted["categorie"] and wanted["categorie"] not in taxonomy.CATEGORIES:
        return wanted, "Deze categorie bestaat niet. Kies een categorie uit de lijst."
    if wanted["status"] and wanted["status"] not in taxonomy.STATUSES:
        return wanted, "Kies als status actief of inactief."
    return wanted, None


def _conditions(wanted: dict) -> list:
    conditions = []
    for word in tokens(wanted["q"])[:10]:
        # search_terms holds folded words of name, summary, description and organiser.
        conditions.append(or_(Offering.search_terms.contains(word),
                              func.lower(Offering.name).contains(word)))
    if wanted["gemeente"]:
        conditions.append(Location.municipality_nis == wanted["gemeente"])
    if wanted["categorie"]:
        conditions.append(Offering.category == wanted["categorie"])
    if wanted["status"]:
        conditions.append(Offering.status == wanted["status"])
    if wanted["bron"]:
        conditions.append(Offering.source == wanted["bron"])
    return conditions


@admin_only
async def list_page(request: web.Request) -> web.Response:
    wanted, problem = _filters(request.query)
    if problem:
        return await _bad_request(request, problem)
    conditions = _conditions(wanted)
    with session_scope() as db:
        total = db.execute(
            select(func.count(Offering.id)).join(Location, Offering.location_id == Location.id)
            .where(*conditions)
        ).scalar_one()
        page = page_from(request.query, total)
        rows = db.execute(
            select(Offering).join(Location, Offering.location_id == Location.id)
            .where(*conditions).order_by(func.lower(Offering.name), Offering.id)
            .offset(page.offset).limit(page.size)
        ).scalars().all()
        offerings = [
            {"id": o.id, "name": o.name, "category": taxonomy.label(taxonomy.CATEGORIES, o.category),
             "municipality": _municipality_name(o.location.municipality_nis),
             "source": source_label(o.source), "is_sample": o.is_sample,
             "status": o.status, "status_label": STATUS_LABELS.get(o.status, o.status),
             "updated_at": o.updated_at}
            for o in rows
        ]
        in_use = db.execute(select(Location.municipality_nis).join(
            Offering, Offering.location_id == Location.id).distinct()).scalars().all()
        sources = db.execute(select(Offering.source).distinct()).scalars().all()
    municipalities = sorted(((nis, _municipality_name(nis)) for nis in in_use),
                            key=lambda item: item[1])
    return await render(request, "staff/catalogue.html", {
        "section": "catalogue", "offerings": offerings, "page": page,
        "query": {**wanted, "per": request.query.get("per", "")},
        "municipalities": municipalities,
        "sources": sorted((s, source_label(s)) for s in sources),
        "categories": taxonomy.CATEGORIES, "statuses": STATUS_LABELS,
    })


# --- detail -----------------------------------------------------------------------------------

def _details(o: Offering) -> dict:
    return {
        "id": o.id, "name": o.name, "source": o.source, "source_label": source_label(o.source),
        "source_id": o.source_id, "is_sample": o.is_sample,
        "is_own": o.source == admin.ADMIN_SOURCE,
        "status": o.status, "status_label": STATUS_LABELS.get(o.status, o.status),
        "price": price_text(o), "created_at": o.created_at, "updated_at": o.updated_at,
        "municipality": _municipality_name(o.location.municipality_nis),
    }


def _shown(values: dict) -> list[tuple[str, str]]:
    """(label, text) per filled-in field, codes as their Dutch labels."""
    out = []
    for f in admin.FIELDS:
        value = values.get(f.key)
        if f.key == "categorie":
            value = taxonomy.label(taxonomy.CATEGORIES, value)
        elif f.kind == "codes":
            value = ", ".join(taxonomy.label(CHOICES[f.key], c) for c in value or [])
        elif f.kind == "date" and value:
            value = localtime(date.fromisoformat(value))
        elif f.key == "nis_code":
            value = f"{_municipality_name(value)} ({value})" if value else ""
        elif f.kind == "flag":
            value = "ja" if value else "nee"
        if value:
            out.append((f.label, value))
    return out


def _view(offering_id: int | None, build):
    """build(db, offering) inside a session; None when there is no such offering."""
    if offering_id is None:
        return None
    with session_scope() as db:
        o = db.get(Offering, offering_id)
        return None if o is None else build(db, o)


def _detail_context(db, o: Offering) -> dict:
    history = [
        {"at": e.at, "actor": e.actor, "action": e.action, "before": e.before, "after": e.after}
        for e in audit.recent(db, target_type="offering", target_id=o.id)
    ]
    return {"offering": _details(o), "shown": _shown(admin.values_of(o)), "history": history}


@admin_only
async def detail_page(request: web.Request) -> web.Response:
    context = _view(_offering_id(request), _detail_context)
    if context is None:
        return await _not_found(request)
    return await render(request, "staff/catalogue_detail.html",
                        {"section": "catalogue", **context})


@admin_only
async def status_submit(request: web.Request) -> web.Response:
    offering_id = _offering_id(request)
    if offering_id is None:
        return await _not_found(request)
    form = await request.post()
    status = str(form.get("status", ""))
    if status not in taxonomy.STATUSES:
        return await _bad_request(request, "Kies als status actief of inactief.")
    try:
        with session_scope() as db:
            admin.set_status(db, offering_id, status, by=request[USER].username)
    except admin.OfferingNotFound:
        return await _not_found(request)
    await flash(request, "Het aanbod staat weer aan." if status == "active" else
                "Het aanbod staat uit. De bot toont het niet meer.")
    raise see_other(f"{BASE}/{offering_id}")


# --- create and edit --------------------------------------------------------------------------

def _form_values(form) -> dict:
    values: dict = {}
    for f in admin.FIELDS:
        if f.kind == "codes":
            values[f.key] = [v for v in form.getall(f.key, []) if isinstance(v, str)]
        else:
            value = form.get(f.key, "")
            values[f.key] = value if isinstance(value, str) else ""
    return values


async def _form_page(request: web.Request, *, values: dict, errors: dict, offering: dict | None,
                     status: int = 200) -> web.Response:
    labels = {f.key: f.label for f in admin.FIELDS}
    summary = [(key, labels.get(key, ""), message)
               for key, messages in errors.items() for message in messages]
    return await render(request, "staff/catalogue_form.html", {
        "section": "catalogue", "offering": offering, "values": values, "errors": errors,
        "error_summary": summary, "groups": GROUPS,
        "fields": {f.key: f for f in admin.FIELDS}, "required": REQUIRED, "choices": CHOICES,
        "municipalities": _all_municipalities(), "general": admin.GENERAL,
    }, status=status)


@admin_only
async def new_form(request: web.Request) -> web.Response:
    return await _form_page(request, values=admin.empty_values(), errors={}, offering=None)


def _create(values: dict, by: str) -> int:
    with session_scope() as db:
        return admin.create_offering(db, values, by=by).id


@admin_only
async def new_submit(request: web.Request) -> web.Response:
    values = _form_values(await request.post())
    try:
        offering_id = await _in_thread(_create, values, request[USER].username)
    except admin.OfferingInvalid as exc:
        return await _form_page(request, values=values, errors=exc.errors, offering=None,
                                status=400)
    await flash(request, "Het aanbod is bewaard.")
    raise see_other(f"{BASE}/{offering_id}")


@admin_only
async def edit_form(request: web.Request) -> web.Response:
    found = _view(_offering_id(request), lambda db, o: (_details(o), admin.values_of(o)))
    if found is None:
        return await _not_found(request)
    offering, values = found
    return await _form_page(request, values=values, errors={}, offering=offering)


def _update(offering_id: int, values: dict, by: str) -> dict:
    with session_scope() as db:
        _, changed = admin.update_offering(db, offering_id, values, by=by)
        return changed


@admin_only
async def edit_submit(request: web.Request) -> web.Response:
    offering_id = _offering_id(request)
    if offering_id is None:
        return await _not_found(request)
    values = _form_values(await request.post())
    try:
        changed = await _in_thread(_update, offering_id, values, request[USER].username)
    except admin.OfferingNotFound:
        return await _not_found(request)
    except admin.OfferingInvalid as exc:
        return await _form_page(request, values=values, errors=exc.errors,
                                offering=_view(offering_id, lambda db, o: _details(o)),
                                status=400)
    await flash(request, "De wijzigingen zijn bewaard." if changed else "Er was niets gewijzigd.")
    raise see_other(f"{BASE}/{offering_id}")


# --- import -----------------------------------------------------------------------------------

async def _import_page(request: web.Request, *, report=None, error: str | None = None,
                       source: str = "", status: int = 200) -> web.Response:
    return await render(request, "staff/catalogue_import.html", {
        "section": "catalogue", "report": report, "error": error, "source": source,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "report_rows": REPORT_ROWS,
    }, status=status)


@admin_only
async def import_form(request: web.Request) -> web.Response:
    return await _import_page(request)


def _import(data: bytes, filename: str, source: str | None, by: str):
    with session_scope() as db:
        return admin.import_upload(db, data, filename, source=source, by=by)


@admin_only
async def import_submit(request: web.Request) -> web.Response:
    form = await request.post()
    source = form.get("bron", "")
    source = source.strip()[:60] if isinstance(source, str) else ""
    upload = form.get("bestand")
    if not isinstance(upload, web.FileField) or not upload.filename:
        return await _import_page(request, error="Kies eerst een bestand.", source=source,
                                  status=400)
    try:
        data = await _in_thread(upload.file.read, MAX_UPLOAD_BYTES + 1)
    finally:
        upload.file.close()
    if len(data) > MAX_UPLOAD_BYTES:
        return await _import_page(
            request, source=source, status=413,
            error=f"Het bestand is te groot. Het mag hoogstens {MAX_UPLOAD_BYTES // (1024 * 1024)} MB "
                  "zijn. Splits het in kleinere bestanden.")
    try:
        report = await _in_thread(_import, data, upload.filename, source or None,
                                  request[USER].username)
    except admin.UploadRefused as exc:
        return await _import_page(request, error=str(exc), source=source, status=400)
    return await _import_page(request, report=report, source=source)


def add_routes(app: web.Application) -> None:
    # Fixed paths first: "/new" and "/import" must not be read as an offering id.
    app.router.add_get(BASE, list_page)
    app.router.add_get(f"{BASE}/new", new_form)
    app.router.add_post(f"{BASE}/new", new_submit)
    app.router.add_get(UPLOAD_PATH, import_form)
    app.router.add_post(UPLOAD_PATH, import_submit)
    app.router.add_get(f"{BASE}/{{id}}", detail_page)
    app.router.add_get(f"{BASE}/{{id}}/edit", edit_form)
    app.router.add_post(f"{BASE}/{{id}}/edit", edit_submit)
    app.router.add_post(f"{BASE}/{{id}}/status", status_submit)
