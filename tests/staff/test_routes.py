"""Every route of the app: the staff pages are closed without a session, POSTs need the CSRF
token, admin pages are closed to staff. The routes are read from the app itself, so a new page
is covered the day it is added."""
from __future__ import annotations

import re

from bot.web.staff.auth import LOGIN_PATH, PREFIX, _handler_of  # noqa: F401

PLACEHOLDER = re.compile(r"\{([^}:]+)(?::[^}]+)?\}")


def _path(resource) -> str:
    # Any value will do: the gate comes before the handler looks at it.
    return PLACEHOLDER.sub("1", resource.canonical)


def staff_routes(app):
    routes = []
    for route in app.router.routes():
        resource = route.resource
        if resource is None or route.method == "HEAD":
            continue
        path = _path(resource)
        if (path == PREFIX or path.startswith(PREFIX + "/")) and path != LOGIN_PATH:
            handler = getattr(route.handler, "__wrapped__", route.handler)
            routes.append((route.method, path, getattr(handler, "klik_role", "staff")))
    return routes


def test_the_app_has_the_staff_sections(staff_client):
    paths = {path for _, path, _ in staff_routes(staff_client.server.app)}
    for section in ("needs", "needs.csv", "insights", "conversations", "catalogue", "users",
                    "audit"):
        assert f"{PREFIX}/{section}" in paths, section


async def test_every_staff_route_is_closed_without_a_session(staff_client):
    routes = staff_routes(staff_client.server.app)
    assert len(routes) > 20
    for method, path, _ in routes:
        response = await staff_client.request(method, path, allow_redirects=False)
        if method == "GET":
            assert response.status == 302, (method, path, response.status)
            assert response.headers["Location"].startswith(LOGIN_PATH), path
        else:
            assert response.status == 401, (method, path, response.status)


async def test_every_post_needs_the_csrf_token(as_admin):
    posts = [path for method, path, _ in staff_routes(as_admin.server.app) if method == "POST"]
    assert posts
    for path in posts:
        for data in ({}, {"csrf_token": "forged"}):
            response = await as_admin.post(path, data=data, allow_redirects=False)
            assert response.status == 403, (path, data, response.status)
    # Still signed in: the refused POSTs changed nothing (logout included).
    assert (await as_admin.get(f"{PREFIX}/", allow_redirects=False)).status == 200


async def test_staff_cannot_reach_admin_pages(as_staff):
    admin = [(m, p) for m, p, role in staff_routes(as_staff.server.app) if role == "admin"]
    assert any(p.startswith(f"{PREFIX}/catalogue") for _, p in admin)
    assert any(p.startswith(f"{PREFIX}/users") for _, p in admin)
    for method, path in admin:
        if method == "GET":
            response = await as_staff.get(path, allow_redirects=False)
            assert response.status == 403, path
            assert "alleen voor beheerders" in await response.text()
    home = await (await as_staff.get(f"{PREFIX}/")).text()
    assert "/staff/users" not in home and "/staff/catalogue" not in home
