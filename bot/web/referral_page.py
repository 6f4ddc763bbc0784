"""The referral note for the client: GET /verwijzing/{code} and its QR code.

GET /verwijzing/{code}         the note (200), or a clear page: 404 unknown, 410 expired,
                               503 when the database does not answer
GET /verwijzing/{code}/qr.png  a QR code of the note's absolute link (404/410 as above)

The absolute link uses KLIK_PUBLIC_URL when set (behind a proxy the request's own host may be
an internal one), else the request's scheme and host.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from bot import config
from bot.needs.model import utcnow
from bot.referral import (
    EXPIRED,
    NoteLookup,
    ReferralStoreUnavailable,
    get_note,
    note_path,
    qr_png,
    retention_days,
)
from bot.referral.service import PUBLIC_URL_VARIABLE

log = logging.getLogger("klik.gateway")
LOCAL_TIME = ZoneInfo("Europe/Brussels")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
# Nothing here may be cached by a shared computer or leak the code to another site.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


def dutch_date(moment: datetime) -> str:
    """ "12 maart 2027", in Belgian time."""
    local = moment.astimezone(LOCAL_TIME)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def public_base(request: web.Request) -> str:
    base = os.environ.get(PUBLIC_URL_VARIABLE, "").strip().rstrip("/")
    return base or f"{request.scheme}://{request.host}"


def _missing(request: web.Request, lookup: NoteLookup | None) -> web.Response:
    """The friendly page for an unknown or expired code, or a database that is down."""
    if lookup is None:
        status, heading = 503, "Deze pagina lukt nu niet"
        lines = ["Het lukt nu niet om je blad te tonen.", "Probeer het later nog eens."]
    elif lookup.state == EXPIRED:
        status, heading = 410, "Dit blad bestaat niet meer"
        lines = [f"Het blad was online tot {dutch_date(lookup.expired_at)}.",
                 "Daarna wissen we het.",
                 "Heb je het nog nodig? Vraag dan een nieuw blad aan de persoon die het je gaf."]
    else:
        status, heading = 404, "We vinden dit blad niet"
        try:
            kept = f"Een blad blijft {retention_days()} dagen online. Daarna wissen we het."
        except ValueError:  # a wrong KLIK_REFERRAL_DAYS must not hide this page
            kept = "Een blad blijft niet altijd online. Daarna wissen we het."
        lines = ["Misschien is de link niet juist. Kijk hem nog eens na.", kept,
                 "Vraag een nieuw blad aan de persoon die het je gaf."]
    response = aiohttp_jinja2.render_template(
        "referral/missing.html", request, {"heading": heading, "lines": lines}, status=status)
    response.headers.update(HEADERS)
    return response


def add_routes(app: web.Application, settings: config.Settings | None = None, *,
               clock: Callable[[], datetime] = utcnow) -> None:
    """``clock`` decides what has expired (tests pass a fixed one)."""
    settings = settings or config.load()

    async def lookup(request: web.Request) -> NoteLookup | None:
        code = request.match_info["code"]
        try:
            # The database call blocks: keep it off the event loop.
            return await asyncio.get_running_loop().run_in_executor(
                None, functools.partial(get_note, settings.database_url, code, clock()))
        except ReferralStoreUnavailable as exc:
            log.warning("referral note not available: %s", exc)
            return None

    async def note_page(request: web.Request) -> web.Response:
        found = await lookup(request)
        if found is None or not found.found:
            return _missing(request, found)
        note = found.note
        url = public_base(request) + note_path(note.code)
        response = aiohttp_jinja2.render_template("referral/note.html", request, {
            "note": note,
            "url": url,
            "qr_path": note_path(note.code) + "/qr.png",
            "expires": dutch_date(note.expires_at),
        })
        response.headers.update(HEADERS)
        return response

    async def qr_image(request: web.Request) -> web.Response:
        found = await lookup(request)
        if found is None or not found.found:
            status = 503 if found is None else (410 if found.state == EXPIRED else 404)
            return web.Response(status=status, headers=HEADERS)
        png = qr_png(public_base(request) + note_path(found.note.code))
        return web.Response(body=png, content_type="image/png", headers=HEADERS)

    app.router.add_get("/verwijzing/{code}", note_page)
    app.router.add_get("/verwijzing/{code}/qr.png", qr_image)

