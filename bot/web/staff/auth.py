"""Staff sign-in: encrypted session cookies, CSRF tokens, roles, idle expiry, login throttling.

Every request under /staff/ passes `staff_middleware`:
1. no valid session → GET/HEAD redirect to the login page, anything else 401;
2. a POST without the session's CSRF token → 403;
3. a handler marked `@admin_only` and a user who is not admin → 403.
Handlers read the signed-in user from `request[USER]` (a `StaffUser`, not a database row).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from aiohttp import web
from aiohttp_session import get_session, new_session
from aiohttp_session import setup as setup_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from bot import accounts, config
from bot.db import session_scope
from bot.web.staff.common import CSRF_FIELD, USER, csrf_token, render

PREFIX = "/staff"
LOGIN_PATH = f"{PREFIX}/login"
COOKIE_NAME = "klik_staff"

# Sign-in attempts per client address: more than this many failures in the window → 429.
CLIENT_FAILURES = 20
CLIENT_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class StaffUser:
    username: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        return accounts.ROLE_LABELS.get(self.role, self.role)


def idle_seconds() -> int:
    """A session ends after this much inactivity (KLIK_STAFF_IDLE_MINUTES, default 30)."""
    raw = os.environ.get("KLIK_STAFF_IDLE_MINUTES", "").strip()
    return max(1, int(raw)) * 60 if raw.isdigit() else 30 * 60


def _https(request: web.Request) -> bool:
    public = os.environ.get("KLIK_PUBLIC_URL", "")
    return request.secure or public.lower().startswith("https://")


class _CookieStorage(EncryptedCookieStorage):
    """Encrypted, HttpOnly, SameSite=Lax cookie limited to /staff; Secure over HTTPS."""

    async def save_session(self, request, response, session) -> None:
        # save_cookie reads these params synchronously right after this line: no await between.
        self._cookie_params["secure"] = _https(request)
        await super().save_session(request, response, session)


def _fernet_key(settings: config.Settings) -> bytes:
    # Derive a separate 32-byte key, so the cookie key is not the raw application secret.
    return hashlib.sha256(b"klik-staff-session:" + config.secret_key(settings)).digest()


def setup(app: web.Application, settings: config.Settings) -> None:
    storage = _CookieStorage(
        _fernet_key(settings),  # raw 32 bytes; the storage encodes them for Fernet
        cookie_name=COOKIE_NAME,
        path=PREFIX,
        max_age=idle_seconds(),
        httponly=True,
        samesite="Lax",
    )
    setup_session(app, storage)
    app.middlewares.append(staff_middleware)
    app[THROTTLE] = LoginThrottle()


# --- marking handlers -------------------------------------------------------------------------

def admin_only(handler):
    handler.klik_role = "admin"
    return handler


def public(handler):
    """Reachable without a session (the login page)."""
    handler.klik_public = True
    return handler


# --- CSRF -----------------------------------------------------------------------------------

def _csrf_ok(session, sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and sent) and hmac.compare_digest(str(expected), str(sent))


# --- the middleware ---------------------------------------------------------------------------

def _safe_next(target: str | None) -> str:
    """Only local /staff/ paths, so the login cannot be used to send people elsewhere."""
    if not target:
        return f"{PREFIX}/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX + "/") or "\\" in target:
        return f"{PREFIX}/"
    return target


def _handler_of(request: web.Request):
    route = request.match_info.route
    handler = getattr(route, "handler", None)
    # Class-based or partial handlers keep their marks on the wrapped function.
    return getattr(handler, "__wrapped__", handler)


def _signed_in(session) -> StaffUser | None:
    username, role, seen = session.get("user"), session.get("role"), session.get("seen")
    if not (username and role and isinstance(seen, (int, float))):
        return None
    if time.time() - seen > idle_seconds():
        return None
    return StaffUser(username, role)


def _still_valid(user: StaffUser) -> StaffUser | None:
    """The account may have been switched off or changed role since the session began."""
    with session_scope() as db:
        row = accounts.find_user(db, user.username)
        if row is None or not row.active:
            return None
        return StaffUser(row.username, row.role)


async def forbidden(request: web.Request, message: str, status: int = 403) -> web.Response:
    return await render(request, "staff/error.html",
                        {"title": "Geen toegang", "message": message}, status=status)


@web.middleware
async def staff_middleware(request: web.Request, handler):
    if not (request.path == PREFIX or request.path.startswith(PREFIX + "/")):
        return await handler(request)
    target = _handler_of(request)
    session = await get_session(request)
    if getattr(target, "klik_public", False):
        return await _with_headers(await handler(request))

    user = _signed_in(session)
    if user is not None:
        user = _still_valid(user)
    if user is None:
        if session.get("user"):
            session.invalidate()
        if request.method in ("GET", "HEAD"):
            raise web.HTTPFound(f"{LOGIN_PATH}?next={quote(request.path_qs, safe='')}")
        return await forbidden(request, "Je bent niet (meer) aangemeld. Meld je opnieuw aan.", 401)

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        form = await request.post()
        if not _csrf_ok(session, form.get(CSRF_FIELD)):
            return await forbidden(
                request, "Dit formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer nog eens."
            )
    if getattr(target, "klik_role", "staff") == "admin" and not user.is_admin:
        return await forbidden(request, "Deze pagina is alleen voor beheerders.")

    # Refresh the idle timer at most once a minute, so not every page rewrites the cookie.
    if time.time() - session["seen"] > 60:
        session["seen"] = time.time()
    if user.role != session.get("role"):
        session["role"] = user.role
    request[USER] = user
    return await _with_headers(await handler(request))


async def _with_headers(response: web.StreamResponse) -> web.StreamResponse:
    # Staff pages hold personal-data-free but internal information: never cache, never frame.
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


# --- throttling sign-in attempts per client address -------------------------------------------

class LoginThrottle:
    """Remembers recent failed sign-ins per client address (in this process)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque] = {}

    def _recent(self, client: str, now: float) -> deque:
        window = self._failures.setdefault(client, deque())
        while window and now - window[0] > CLIENT_WINDOW_SECONDS:
            window.popleft()
        return window

    def blocked(self, client: str, now: float | None = None) -> bool:
        return len(self._recent(client, now or time.time())) >= CLIENT_FAILURES

    def failed(self, client: str, now: float | None = None) -> None:
        now = now or time.time()
        self._recent(client, now).append(now)
        if len(self._failures) > 10_000:  # bound memory under a spray of addresses
            self._failures.pop(next(iter(self._failures)))


THROTTLE = web.AppKey("staff_login_throttle", LoginThrottle)


# --- login and logout pages -------------------------------------------------------------------

async def _login_page(request, *, error: str | None = None, username: str = "",
                      status: int = 200) -> web.Response:
    return await render(
        request, "staff/login.html",
        {"error": error, "username": username, "next": _safe_next(request.query.get("next"))},
        status=status,
    )


@public
async def login_form(request: web.Request) -> web.Response:
    session = await get_session(request)
    if _signed_in(session):
        raise web.HTTPFound(f"{PREFIX}/")
    return await _login_page(request)


@public
async def login_submit(request: web.Request) -> web.Response:
    session = await get_session(request)
    form = await request.post()
    username = str(form.get("username", ""))[:50]
    password = str(form.get("password", ""))[:200]
    if not _csrf_ok(session, form.get(CSRF_FIELD)):
        return await _login_page(request, username=username, status=403,
                           error="Dit formulier is verlopen. Probeer opnieuw.")
    client = request.remote or "?"
    throttle = request.app[THROTTLE]
    if throttle.blocked(client):
        return await _login_page(request, username=username, status=429,
                           error="Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.")
    with session_scope() as db:
        result = accounts.login(db, username, password)
        user = StaffUser(result.user.username, result.user.role) if result.user else None
    if user is None:
        throttle.failed(client)
        error = ("Dit account is even geblokkeerd na te veel pogingen. "
                 "Probeer het over 15 minuten opnieuw.") if result.locked else \
            "Naam of wachtwoord klopt niet."
        return await _login_page(request, username=username, status=401, error=error)

    # A fresh session (and CSRF token) at sign-in, so a planted cookie cannot be reused.
    session = await new_session(request)
    session["user"], session["role"], session["seen"] = user.username, user.role, time.time()
    csrf_token(session)
    raise web.HTTPFound(_safe_next(str(form.get("next", "")) or request.query.get("next")))


async def logout(request: web.Request) -> web.Response:
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPFound(f"{LOGIN_PATH}?uit=1")


def add_routes(app: web.Application) -> None:
    app.router.add_get(LOGIN_PATH, login_form)
    app.router.add_post(LOGIN_PATH, login_submit)
    app.router.add_post(f"{PREFIX}/logout", logout)
