"""CORS for the public API, so the widget works on the sites of other origins.

Only origins listed in KLIK_ALLOWED_ORIGINS (comma-separated, e.g.
"https://www.gent.be,https://bib.gent.be") get CORS answers; by default only the gateway's own
origin can call the API. No cookies cross origins: the API keeps no session.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from aiohttp import web

API_PREFIX = "/api/"
ALLOW_METHODS = "POST, OPTIONS"
ALLOW_HEADERS = "Content-Type"
MAX_AGE_SECONDS = "600"


def normalise(origin: str) -> str | None:
    """ "scheme://host[:port]" in lower case, or None when it is not a web origin."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def allowed_origins(raw: str | None = None) -> frozenset[str]:
    """The origins from KLIK_ALLOWED_ORIGINS (or ``raw``); malformed entries are refused."""
    raw = os.environ.get("KLIK_ALLOWED_ORIGINS", "") if raw is None else raw
    origins = set()
    for item in raw.split(","):
        if not item.strip():
            continue
        origin = normalise(item)
        if origin is None:
            raise SystemExit(
                f"KLIK_ALLOWED_ORIGINS: {item.strip()!r} is not an origin like https://www.gent.be"
            )
        origins.add(origin)
    return frozenset(origins)


def _add_headers(response: web.StreamResponse, origin: str) -> None:
    response.headers["Access-Control-Allow-Origin"] = origin


def _vary_origin(response: web.StreamResponse) -> None:
    # Caches must not hand one origin's answer to another.
    vary = response.headers.get("Vary", "")
    if "origin" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"


def middleware(origins: frozenset[str] | None = None):
    """An aiohttp middleware answering preflights and marking allowed responses on /api/."""
    allowed = allowed_origins() if origins is None else origins

    @web.middleware
    async def cors(request: web.Request, handler):
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        origin = normalise(request.headers.get("Origin", "")) or ""
        ok = origin in allowed
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            if not ok:
                response = web.Response(status=403)
            else:
                response = web.Response(status=204)
                _add_headers(response, origin)
                response.headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
                response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
                response.headers["Access-Control-Max-Age"] = MAX_AGE_SECONDS
            _vary_origin(response)
            return response
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if ok:
                _add_headers(exc, origin)
            _vary_origin(exc)
            raise
        if ok:
            _add_headers(response, origin)
        _vary_origin(response)
        return response

    return cors
