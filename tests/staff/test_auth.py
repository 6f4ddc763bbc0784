"""Signing in to the staff dashboard: sessions, CSRF, lockout, roles, idle expiry."""
from __future__ import annotations

import time
from datetime import timedelta

from bot import accounts
from bot.audit import AuditEntry
from bot.db import session_scope
from bot.needs.model import utcnow
from sqlalchemy import select
from tests.staff.conftest import PASSWORD, csrf_of, post_form, sign_in


async def test_login_page_has_the_contract_fields(staff_client):
    html = await (await staff_client.get("/staff/login")).text()
    for field in ('name="username"', 'name="password"', 'name="csrf_token"', 'lang="nl"'):
        assert field in html


async def test_sign_in_sets_an_encrypted_httponly_samesite_cookie(staff_client):
    response = await sign_in(staff_client, "mila")
    assert response.status == 302
    assert response.headers["Location"] == "/staff/"
    cookie = response.cookies["klik_staff"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/staff"
    assert not cookie["secure"]  # plain HTTP in the test; Secure over HTTPS
    assert "mila" not in cookie.value  # encrypted, not readable JSON
    page = await staff_client.get("/staff/audit", allow_redirects=False)
    assert page.status == 403  # signed in, but not admin


async def test_secure_cookie_when_served_over_https(staff_client, monkeypatch):
    monkeypatch.setenv("KLIK_PUBLIC_URL", "https://klik.example.be")
    response = await sign_in(staff_client, "mila")
    assert response.cookies["klik_staff"]["secure"] is True


async def test_wrong_password_is_refused_with_a_plain_message(staff_client):
    response = await sign_in(staff_client, "mila", "niet-het-wachtwoord")
    assert response.status == 401
    assert "Naam of wachtwoord klopt niet." in await response.text()
    unknown = await sign_in(staff_client, "niemand", "wat-dan-ook-123")
    assert unknown.status == 401
    assert "Naam of wachtwoord klopt niet." in await unknown.text()


async def test_login_without_csrf_token_is_refused(staff_client):
    await staff_client.get("/staff/login")
    response = await staff_client.post(
        "/staff/login", data={"username": "mila", "password": PASSWORD}, allow_redirects=False
    )
    assert response.status == 403
    assert (await staff_client.get("/staff/needs", allow_redirects=False)).status == 302


async def test_account_locks_after_five_failures_even_for_the_right_password(staff_client):
    for _ in range(accounts.MAX_FAILED_LOGINS):
        await sign_in(staff_client, "mila", "fout-wachtwoord-1")
    response = await sign_in(staff_client, "mila")
    assert response.status == 401
    assert "geblokkeerd" in await response.text()
    with session_scope() as db:
        user = accounts.find_user(db, "mila")
        assert user.locked_until > utcnow()
        # After the lock period the right password works again.
        user.locked_until = utcnow() - timedelta(seconds=1)
        assert db.execute(select(AuditEntry).where(AuditEntry.action == "user.locked")).scalar_one()
    assert (await sign_in(staff_client, "mila")).status == 302


async def test_inactive_account_cannot_sign_in_and_loses_its_session(as_staff):
    assert (await as_staff.get("/staff/", allow_redirects=False)).status == 200
    with session_scope() as db:
        accounts.set_active(db, "mila", False, by="admin")
    response = await as_staff.get("/staff/", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/staff/login")
    assert (await sign_in(as_staff, "mila")).status == 401


async def test_next_parameter_only_allows_local_staff_paths(staff_client):
    token = await csrf_of(staff_client, "/staff/login?next=https://evil.example/")
    response = await staff_client.post(
        "/staff/login?next=https://evil.example/",
        data={"username": "mila", "password": PASSWORD, "csrf_token": token,
              "next": "//evil.example/staff/"},
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/staff/"


async def test_redirect_back_to_the_page_asked_for(staff_client):
    first = await staff_client.get("/staff/needs?status=nieuw", allow_redirects=False)
    assert first.status == 302
    login_url = first.headers["Location"]
    token = await csrf_of(staff_client, login_url)
    response = await staff_client.post(
        login_url, data={"username": "mila", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/staff/needs?status=nieuw"


async def test_logout_needs_csrf_and_ends_the_session(as_staff):
    refused = await as_staff.post("/staff/logout", data={}, allow_redirects=False)
    assert refused.status == 403
    response = await post_form(as_staff, "/staff/logout", {}, token_from="/staff/")
    assert response.status == 302
    after = await as_staff.get("/staff/", allow_redirects=False)
    assert after.status == 302


async def test_session_expires_after_inactivity(as_staff, monkeypatch):
    assert (await as_staff.get("/staff/", allow_redirects=False)).status == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 31 * 60)
    response = await as_staff.get("/staff/", allow_redirects=False)
    assert response.status == 302


async def test_admin_reaches_the_audit_log_and_sees_account_changes(as_admin):
    with session_scope() as db:
        accounts.set_role(db, "mila", "admin", by="admin")
    html = await (await as_admin.get("/staff/audit")).text()
    assert "user.role" in html and "user.create" in html
    assert "<td>role: staff</td>" in html and "<td>role: admin</td>" in html


async def test_staff_pages_are_not_cached_or_framed(as_staff):
    response = await as_staff.get("/staff/login")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_an_admin_cannot_demote_or_switch_off_themselves(staff_client):
    import pytest

    with session_scope() as db:
        with pytest.raises(accounts.AccountError):
            accounts.set_role(db, "admin", "staff", by="admin")
        with pytest.raises(accounts.AccountError):
            accounts.set_active(db, "admin", False, by="admin")
        accounts.set_role(db, "mila", "admin", by="admin")
        accounts.set_role(db, "admin", "staff", by="mila")  # another admin may
        assert accounts.find_user(db, "admin").role == "staff"
