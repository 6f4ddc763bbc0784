"""Staff dashboard fixtures: the real gateway app, a real database with two accounts."""
from __future__ import annotations

import re

import pytest

from bot import accounts, config
from bot.db import migrate, session_scope
from bot.web.app import create_app
from tests.conftest import free_port

PASSWORD = "een-lang-wachtwoord"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
async def staff_client(aiohttp_client, klik_env, monkeypatch):
    """The gateway app with users 'admin' (admin) and 'mila' (staff); nobody signed in."""
    monkeypatch.setenv("KLIK_RASA_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ACTION_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_SECRET_KEY", "test-secret-key-for-the-staff-session")
    migrate.upgrade()
    with session_scope() as db:
        accounts.create_user(db, "admin", PASSWORD, "admin")
        accounts.create_user(db, "mila", PASSWORD, "staff")
    return await aiohttp_client(create_app(config.load()))


async def csrf_of(client, path: str) -> str:
    """The CSRF token from a page's form."""
    response = await client.get(path)
    html = await response.text()
    match = CSRF.search(html)
    assert match, f"no CSRF token on {path} (status {response.status})"
    return match.group(1)


async def sign_in(client, username: str, password: str = PASSWORD):
    token = await csrf_of(client, "/staff/login")
    return await client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )


@pytest.fixture
async def as_admin(staff_client):
    response = await sign_in(staff_client, "admin")
    assert response.status == 302
    return staff_client


@pytest.fixture
async def as_staff(staff_client):
    response = await sign_in(staff_client, "mila")
    assert response.status == 302
    return staff_client


async def post_form(client, path: str, data: dict, *, token_from: str | None = None):
    """POST a staff form with the CSRF token taken from `token_from` (default: the same path)."""
    token = await csrf_of(client, token_from or path)
    return await client.post(path, data={**data, "csrf_token": token}, allow_redirects=False)
