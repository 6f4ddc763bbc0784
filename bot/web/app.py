"""The aiohttp application: routes, shared HTTP session, error handling."""
from __future__ import annotations

import logging
from pathlib import Path

import aiohttp
import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot import config
from bot.web import care, cors, health, openapi, ratelimit, referral_page, security, staff, turn
from bot.web.staff import catalogue as staff_catalogue
from bot.web.staff import filters as staff_filters
from bot.web.errors import json_error
from bot.web.rasa_client import RasaClient, RasaUnavailable
from bot.web.validation import InvalidRequest, parse_chat

log = logging.getLogger("klik.gateway")
HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 16 * 1024

SETTINGS = web.AppKey("settings", config.Settings)
HTTP = web.AppKey("http", aiohttp.ClientSession)
RASA = web.AppKey("rasa", RasaClient)


async def chat(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, nesting beyond the stack
        return json_error("invalid_json", 400)
    try:
        chat_request = parse_chat(body)
    except InvalidRequest as exc:
        return json_error(exc.code, 400)
    try:
        messages = await turn.handle(request.app[RASA], request.app[SETTINGS], chat_request.sender,
                                     chat_request.message, chat_request.metadata)
    except RasaUnavailable as exc:
        log.warning("no Rasa worker answered: %s", exc)
        return json_error("unavailable", 503)
    return web.json_response(turn.absolute_links(messages, referral_page.public_base(request)))


async def healthz(request: web.Request) -> web.Response:
    report = await health.check(request.app[HTTP], request.app[SETTINGS])
    return web.json_response(report, status=200 if report["status"] == "ok" else 503)


@aiohttp_jinja2.template("demo.html")
async def demo_page(request: web.Request) -> dict:
    return {}


async def widget_js(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        HERE / "static" / "widget.js",
        headers={"Content-Type": "application/javascript; charset=utf-8", "Cache-Control": "no-cache"},
    )


@web.middleware
async def errors_middleware(request: web.Request, handler):
    """Clear JSON errors on the API; never a stack trace to the outside."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        if not request.path.startswith("/api/"):
            return web.Response(status=413, text="Dit is te groot om te versturen. Maak het kleiner.")
        return json_error("too_large", 413)
    except web.HTTPNotFound:
        if request.path.startswith("/api/"):
            return json_error("not_found", 404)
        raise
    except web.HTTPMethodNotAllowed as exc:
        if request.path.startswith("/api/"):
            response = json_error("method_not_allowed", 405)
            response.headers["Allow"] = exc.headers.get("Allow", "")  # required by RFC 9110
            return response
        raise
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_error("internal", 500)


async def _open_http(app: web.Application):
    # One pooled session for every call to Rasa and the health checks.
    app[HTTP] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    app[RASA] = RasaClient(app[SETTINGS].rasa_urls, app[HTTP])
    yield
    await app[HTTP].close()


def create_app(settings: config.Settings | None = None) -> web.Application:
    # body_limits: larger bodies only for the staff catalogue's upload and edit forms.
    # ratelimit (POST /api/*) reads the body: inside errors_middleware, so a too large one is a
    # JSON 413.
    app = web.Application(client_max_size=MAX_BODY_BYTES,
                          middlewares=[errors_middleware, staff_catalogue.body_limits,
                                       ratelimit.middleware()])
    app[SETTINGS] = settings or config.load()
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=jinja2.select_autoescape(["html"]),
        context_processors=[aiohttp_jinja2.request_processor],
    )
    staff_filters.register(env)
    app.cleanup_ctx.append(_open_http)
    app.router.add_get("/", demo_page)
    app.router.add_get("/widget.js", widget_js)
    app.router.add_post("/api/chat", chat)
    openapi.add_routes(app)  # GET /api/openapi.json
    security.setup(app)  # security headers on every answer, whatever the middlewares do
    app.router.add_get("/healthz", healthz)
    app.router.add_static("/static/", HERE / "static")
    # Widget (issue 6): CORS for embedding sites, outermost so error answers carry it too;
    # forget-my-conversation and feedback routes.
    app.middlewares.insert(0, cors.middleware())
    care.add_routes(app, app[SETTINGS])
    # Staff dashboard (issue 7): sessions, CSRF and roles for everything under /staff/.
    staff.add_routes(app, app[SETTINGS])
    # Referral notes for social workers' clients (issue 8): /verwijzing/<code>.
    referral_page.add_routes(app, app[SETTINGS])
    return app


def serve(settings: config.Settings | None = None) -> None:
    settings = settings or config.load()
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None,
                access_log=None)
