"""/staff/users: staff accounts (create, role, on/off, new password) and the retention purge.

Administrators only. Account rules and their audit rows live in bot/accounts.py; this page adds
one rule of its own: an administrator cannot take away their own admin role (accounts already
refuses switching off your own account). Together these keep at least one active administrator.
Password hashes never leave bot/accounts.py: the page gets plain dicts without them.
"""
from __future__ import annotations

import asyncio
import functools
from urllib.parse import urlencode

from aiohttp import web

from bot import accounts, audit
from bot.conversations import ConversationStoreUnavailable, parse_period, purge
from bot.db import session_scope
from bot.needs.model import utcnow
from bot.needs.service import NeedStoreUnavailable
from bot.web.staff.auth import PREFIX, admin_only
from bot.web.staff.common import USER, flash, render, see_other

BASE = f"{PREFIX}/users"
PURGE_PATH = f"{BASE}/purge"
# The same default as `python -m bot purge --older-than` (bot/commands/needs.py).
DEFAULT_PERIOD = "365d"


def _user_rows(db) -> list[dict]:
    now = utcnow()
    return [
        {"username": u.username, "role": u.role, "role_label": u.role_label, "active": u.active,
         "last_login_at": u.last_login_at,
         "locked": bool(u.locked_until and u.locked_until > now), "locked_until": u.locked_until}
        for u in accounts.list_users(db)
    ]


async def _users_page(request: web.Request, *, errors: dict | None = None,
                      new: dict | None = None, status: int = 200) -> web.Response:
    with session_scope() as db:
        rows = _user_rows(db)
    return await render(request, "staff/users.html", {
        "section": "users", "users": rows, "roles": accounts.ROLE_LABELS,
        "errors": errors or {}, "new": new or {"username": "", "role": "staff"},
        "min_length": accounts.MIN_PASSWORD_LENGTH,
    }, status=status)


async def _no_such_user(request: web.Request) -> web.Response:
    return await render(request, "staff/error.html",
                        {"title": "Niet gevonden", "message": "Deze gebruiker bestaat niet.",
                         "section": "users"}, status=404)


def _text(form, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


@admin_only
async def users_page(request: web.Request) -> web.Response:
    return await _users_page(request)


@admin_only
async def create_user(request: web.Request) -> web.Response:
    form = await request.post()
    username = _text(form, "username", 60).strip().lower()
    role = _text(form, "role", 20)
    password, again = _text(form, "password"), _text(form, "password_again")
    new = {"username": username, "role": role if role in accounts.ROLES else "staff"}
    if password != again:
        return await _users_page(request, status=400, new=new,
                                 errors={"password": "De twee wachtwoorden zijn niet gelijk."})
    try:
        with session_scope() as db:
            accounts.create_user(db, username, password, role, by=request[USER].username)
    except accounts.AccountError as exc:
        message = str(exc)
        key = "password" if "wachtwoord" in message.lower() else \
            "role" if message.startswith("Rol") else "username"
        return await _users_page(request, status=400, new=new, errors={key: message})
    await flash(request, f"Gebruiker {username} is aangemaakt.")
    raise see_other(BASE)


async def _change(request: web.Request, change, done: str) -> web.Response:
    """Run one account change for the user in the URL; flash the result and go back."""
    name = request.match_info["name"]
    with session_scope() as db:
        if accounts.find_user(db, name) is None:
            return await _no_such_user(request)
    try:
        with session_scope() as db:
            change(db, name)
    except accounts.AccountError as exc:
        await flash(request, str(exc), "error")
    else:
        await flash(request, done)
    raise see_other(BASE)


@admin_only
async def role_submit(request: web.Request) -> web.Response:
    form = await request.post()
    role = _text(form, "role", 20)
    me = request[USER].username
    name = request.match_info["name"].strip().lower()
    label = accounts.ROLE_LABELS.get(role, role)
    return await _change(request, lambda db, n: accounts.set_role(db, n, role, by=me),
                         f"{name} is nu {label.lower()}.")


@admin_only
async def active_submit(request: web.Request) -> web.Response:
    form = await request.post()
    active = _text(form, "active", 5) == "1"
    me = request[USER].username
    name = request.match_info["name"].strip().lower()
    return await _change(request, lambda db, n: accounts.set_active(db, n, active, by=me),
                         f"Het account van {name} staat {'aan' if active else 'uit'}.")


@admin_only
async def password_submit(request: web.Request) -> web.Response:
    form = await request.post()
    password, again = _text(form, "password"), _text(form, "password_again")
    me = request[USER].username
    name = request.match_info["name"].strip().lower()
    if password != again:
        await flash(request, "De twee wachtwoorden zijn niet gelijk. Er is niets veranderd.",
                    "error")
        raise see_other(BASE)
    return await _change(request, lambda db, n: accounts.set_password(db, n, password, by=me),
                         f"{name} heeft een nieuw wachtwoord. Een blokkering is opgeheven.")


# --- retention purge --------------------------------------------------------------------------

def _period(text: str):
    try:
        return parse_period(text)
    except ValueError:
        return None


async def _purge_page(request: web.Request, *, period_text: str, report=None,
                      error: str | None = None, status: int = 200) -> web.Response:
    return await render(request, "staff/purge.html", {
        "section": "users", "period": period_text, "report": report, "error": error,
    }, status=status)


async def _in_thread(fn, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(fn, *args, **kwargs))


_UNAVAILABLE = "De gesprekken of de meldingen zijn nu niet bereikbaar. Probeer het later opnieuw."
_BAD_PERIOD = "Geef een termijn zoals 365d (dagen), 52w (weken) of 48h (uren)."


@admin_only
async def purge_page(request: web.Request) -> web.Response:
    period_text = request.query.get("older_than", DEFAULT_PERIOD).strip()[:20] or DEFAULT_PERIOD
    period = _period(period_text)
    if period is None or period.total_seconds() <= 0:
        return await _purge_page(request, period_text=period_text, error=_BAD_PERIOD, status=400)
    try:
        report = await _in_thread(purge, period, dry_run=True)
    except (ConversationStoreUnavailable, NeedStoreUnavailable):
        return await _purge_page(request, period_text=period_text, error=_UNAVAILABLE, status=503)
    return await _purge_page(request, period_text=period_text, report=report)


@admin_only
async def purge_submit(request: web.Request) -> web.Response:
    form = await request.post()
    period_text = _text(form, "older_than", 20).strip()
    period = _period(period_text)
    if period is None or period.total_seconds() <= 0:
        return await _purge_page(request, period_text=period_text, error=_BAD_PERIOD, status=400)
    back = f"{PURGE_PATH}?{urlencode({'older_than': period_text})}"
    if _text(form, "confirm", 5) != "ja":
        await flash(request, "Vink eerst aan dat je dit definitief wilt wissen.", "error")
        raise see_other(back)
    try:
        report = await _in_thread(purge, period)
    except (ConversationStoreUnavailable, NeedStoreUnavailable):
        return await _purge_page(request, period_text=period_text, error=_UNAVAILABLE, status=503)
    # purge() commits in two stores itself; the audit row follows in its own transaction.
    with session_scope() as db:
        audit.record(db, request[USER].username, "purge", target_type="retention",
                     target_id=period_text,
                     after={"ouder_dan": period_text, "grens": report.cutoff.isoformat(),
                            "gesprekken": report.conversations, "gebeurtenissen": report.events,
                            "meldingen_losgekoppeld": report.needs_detached,
                            "meldingen_geanonimiseerd": report.needs_anonymised,
                            "verwijsbrieven_gewist": report.referrals_deleted})
    await flash(request, f"Opgeruimd: {report.conversations} gesprekken gewist, "
                         f"{report.needs_detached} meldingen losgekoppeld, "
                         f"{report.needs_anonymised} meldingen geanonimiseerd, "
                         f"{report.referrals_deleted} verlopen verwijsbrieven gewist.")
    raise see_other(back)


def add_routes(app: web.Application) -> None:
    app.router.add_get(BASE, users_page)
    app.router.add_post(BASE, create_user)
    app.router.add_get(PURGE_PATH, purge_page)
    app.router.add_post(PURGE_PATH, purge_submit)
    app.router.add_post(f"{BASE}/{{name}}/role", role_submit)
    app.router.add_post(f"{BASE}/{{name}}/active", active_submit)
    app.router.add_post(f"{BASE}/{{name}}/password", password_submit)
