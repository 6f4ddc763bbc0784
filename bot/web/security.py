"""Security headers on every answer of the gateway, chosen by the kind of page.

Set in `on_response_prepare`, not in a middleware: that hook also sees aiohttp's own answers
(a 404 for an unknown page, static files, redirects raised as exceptions), and the order of the
middlewares does not matter. A header a handler set itself is kept (setdefault).

No page may need 'unsafe-inline': templates carry no inline script, style="" or <style>
(tests/web/test_security_headers.py checks the templates).
"""
from __future__ import annotations

from aiohttp import web

# The demo page: only the widget's own script and styles, and its calls to our API.
# img-src data: is for the empty favicon (<link rel="icon" href="data:,">).
DEMO_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
# Staff pages: no script at all, never inside a frame (clickjacking of forms).
STAFF_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
             "base-uri 'none'; frame-ancestors 'none'")
# The referral note: its stylesheet (with print rules) and its QR png, nothing else.
REFERRAL_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'none'; "
                "base-uri 'none'; frame-ancestors 'none'")
# JSON and static files are not documents: nothing may run or load if one is opened as a page.
NOTHING_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

# Loaded by the pages of other sites that embed the widget (see cors.py for /api/).
WIDGET_ASSETS = ("/widget.js", "/static/widget.css")


def headers_for(path: str) -> dict[str, str]:
    """The security headers for an answer on this path."""
    common = {"X-Content-Type-Options": "nosniff"}
    if path == "/staff" or path.startswith("/staff/"):
        return {**common, "Content-Security-Policy": STAFF_CSP, "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY", "Cross-Origin-Resource-Policy": "same-origin"}
    if path.startswith("/verwijzing/"):
        return {**common, "Content-Security-Policy": REFERRAL_CSP, "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY", "Cross-Origin-Resource-Policy": "same-origin"}
    if path in WIDGET_ASSETS:
        # Explicitly cross-origin, so sites with Cross-Origin-Embedder-Policy can still load it.
        return {**common, "Content-Security-Policy": NOTHING_CSP,
                "Referrer-Policy": "strict-origin-when-cross-origin",
                "Cross-Origin-Resource-Policy": "cross-origin"}
    if path.startswith("/api/") or path.startswith("/static/") or path == "/healthz":
        return {**common, "Content-Security-Policy": NOTHING_CSP,
                "Referrer-Policy": "strict-origin-when-cross-origin"}
    # The demo page and anything else (aiohttp's own error pages).
    return {**common, "Content-Security-Policy": DEMO_CSP,
            "Referrer-Policy": "strict-origin-when-cross-origin", "X-Frame-Options": "SAMEORIGIN"}


async def _add_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in headers_for(request.path).items():
        response.headers.setdefault(name, value)


def setup(app: web.Application) -> None:
    """Add the security headers to every answer of ``app``."""
    app.on_response_prepare.append(_add_headers)
