"""The staff dashboard under /staff/: sign-in, needs, insights, conversation review, catalogue,
users and the audit log. Server-rendered; works without JavaScript."""
from __future__ import annotations

from aiohttp import web

from bot import config
from bot.web.staff import audit_log, auth, catalogue, insights, needs, review, users
from bot.web.staff.common import render

SECTIONS = (needs, insights, review, catalogue, users, audit_log)


async def home(request: web.Request) -> web.Response:
    return await render(request, "staff/home.html", {"section": "home"})


async def bare_prefix(request: web.Request) -> web.Response:
    raise web.HTTPFound(f"{auth.PREFIX}/")


def add_routes(app: web.Application, settings: config.Settings) -> None:
    auth.setup(app, settings)
    auth.add_routes(app)
    app.router.add_get(f"{auth.PREFIX}/", home)
    app.router.add_get(auth.PREFIX, bare_prefix)
    for section in SECTIONS:
        section.add_routes(app)
