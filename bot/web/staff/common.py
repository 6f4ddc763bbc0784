"""Small helpers every staff page uses: flash messages, form values, paging."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import secrets

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session

PAGE_SIZES = (25, 50, 100)
CSRF_FIELD = "csrf_token"
USER = "klik_staff_user"  # request key of the signed-in StaffUser (set by the staff middleware)


def csrf_token(session) -> str:
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


async def render(request: web.Request, template: str, context: dict,
                 status: int = 200) -> web.Response:
    """Render a staff page with the signed-in user, the CSRF token and any flash messages."""
    session = await get_session(request)
    return aiohttp_jinja2.render_template(
        template, request,
        {**context, "user": request.get(USER), "csrf_token": csrf_token(session),
         "CSRF_FIELD": CSRF_FIELD, "flashes": await pop_flashes(request)},
        status=status,
    )


async def flash(request: web.Request, text: str, kind: str = "ok") -> None:
    """A one-time message shown on the next page (kind: ok or error)."""
    session = await get_session(request)
    session["flash"] = [*session.get("flash", []), [kind, text]][-5:]


async def pop_flashes(request: web.Request) -> list[tuple[str, str]]:
    session = await get_session(request)
    return [tuple(item) for item in session.pop("flash", [])]


def see_other(location: str) -> web.HTTPSeeOther:
    """Redirect after a POST, so reloading the page does not send the form again."""
    return web.HTTPSeeOther(location)


def text_field(form, name: str, limit: int = 2000) -> str:
    value = form.get(name, "")
    return str(value).strip()[:limit] if isinstance(value, str) else ""


def int_field(form, name: str, default: int | None = None) -> int | None:
    try:
        return int(str(form.get(name, "")).strip())
    except ValueError:
        return default


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    def link(self, query: dict, number: int) -> str:
        """The current URL's query with another page number (filters stay in the URL)."""
        return "?" + urlencode({**{k: v for k, v in query.items() if v not in ("", None)},
                                "page": number})


def page_from(query, total: int, default_size: int = 25) -> Page:
    size = int_field(query, "per", default_size)
    size = size if size in PAGE_SIZES else default_size
    number = int_field(query, "page", 1) or 1
    last = max(1, -(-total // size))
    return Page(min(max(1, number), last), size, total)
