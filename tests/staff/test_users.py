"""/staff/users: accounts for administrators — create, role, on/off, new password; audited."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot import accounts
from bot.audit import AuditEntry
from bot.db import session_scope
from tests.staff.conftest import PASSWORD, csrf_of, post_form, sign_in

NEW_PASSWORD = "nog-een-lang-wachtwoord"


def _user(name: str):
    with session_scope() as db:
        return accounts.find_user(db, name)


def _audit(action: str) -> list[AuditEntry]:
    with session_scope() as db:
        return list(db.execute(select(AuditEntry).where(AuditEntry.action == action)
                               .order_by(AuditEntry.id)).scalars())


async def _post(client, path: str, data: dict):
    return await post_form(client, path, data, token_from="/staff/users")


async def test_staff_members_cannot_manage_users(as_staff):
    for path in ("/staff/users", "/staff/users/purge"):
        assert (await as_staff.get(path, allow_redirects=False)).status == 403
    token = await csrf_of(as_staff, "/staff/")
    for path, data in (("/staff/users", {"username": "eva", "role": "admin",
                                         "password": PASSWORD, "password_again": PASSWORD}),
                       ("/staff/users/mila/role", {"role": "admin"}),
                       ("/staff/users/admin/active", {"active": "0"}),
                       ("/staff/users/admin/password", {"password": NEW_PASSWORD,
                                                        "password_again": NEW_PASSWORD}),
                       ("/staff/users/purge", {"older_than": "1h", "confirm": "ja"})):
        response = await as_staff.post(path, data={**data, "csrf_token": token},
                                       allow_redirects=False)
        assert response.status == 403, path
    assert _user("mila").role == "staff" and _user("admin").active
    assert _user("eva") is None


async def test_the_list_shows_accounts_but_never_a_password_hash(as_admin):
    with session_scope() as db:
        for _ in range(accounts.MAX_FAILED_LOGINS):
            accounts.login(db, "mila", "fout-wachtwoord")
    html = await (await as_admin.get("/staff/users")).text()
    assert "$argon2" not in html and _user("mila").password_hash not in html
    row = re.search(r'<th scope="row">mila</th>(.*?)</tr>', html, re.S).group(1)
    assert "Medewerker" in row and "<td>aan</td>" in row and "nog nooit" in row
    assert "ja, tot" in row  # locked
    own = re.search(r'<th scope="row">admin <span class="muted">\(jij\)</span></th>(.*?)</tr>',
                    html, re.S).group(1)
    assert "Beheerder" in own
    assert "/staff/users/admin/role" not in html  # no role or on/off form for yourself
    assert "/staff/users/admin/active" not in html


async def test_create_a_user(as_admin):
    response = await _post(as_admin, "/staff/users", {
        "username": "Eva.Peeters", "role": "admin", "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD})
    assert response.status == 303
    html = await (await as_admin.get("/staff/users")).text()
    assert "Gebruiker eva.peeters is aangemaakt." in html
    assert _user("eva.peeters").role == "admin"
    [entry] = [e for e in _audit("user.create") if e.target_id == "eva.peeters"]
    assert entry.actor == "admin"
    as_admin.session.cookie_jar.clear()
    assert (await sign_in(as_admin, "eva.peeters", NEW_PASSWORD)).status == 302


@pytest.mark.parametrize("data, field, words", [
    ({"password_again": "iets-anders-dan-dat"}, "password", "De twee wachtwoorden zijn niet gelijk."),
    ({"password": "kort", "password_again": "kort"}, "password", "minstens 12 tekens"),
    ({"username": "mila"}, "username", "Gebruiker mila bestaat al."),
    ({"username": "a b"}, "username", "kleine letters"),
    ({"role": "baas"}, "role", "Rol moet een van"),
])
async def test_a_refused_new_user_keeps_name_and_role_but_never_the_password(
        as_admin, data, field, words):
    form = {"username": "eva", "role": "admin", "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD, **data}
    response = await _post(as_admin, "/staff/users", form)
    assert response.status == 400
    html = await response.text()
    assert re.search(rf'<p class="field-error" id="err-{field}">[^<]*{re.escape(words)}', html)
    assert f'value="{form["username"]}"' in html
    assert form["password"] not in html and form["password_again"] not in html
    if data.get("role") != "baas":
        assert '<option value="admin" selected>Beheerder</option>' in html
    assert _user("eva") is None


async def test_change_a_role_and_not_your_own(as_admin):
    response = await _post(as_admin, "/staff/users/mila/role", {"role": "admin"})
    assert response.status == 303 and response.headers["Location"] == "/staff/users"
    assert "mila is nu beheerder." in await (await as_admin.get("/staff/users")).text()
    assert _user("mila").role == "admin"
    [entry] = _audit("user.role")
    assert (entry.actor, entry.before, entry.after) == ("admin", {"role": "staff"},
                                                         {"role": "admin"})

    await _post(as_admin, "/staff/users/admin/role", {"role": "staff"})
    html = await (await as_admin.get("/staff/users")).text()
    assert "Je kunt je eigen beheerdersrol niet afnemen." in html
    assert _user("admin").role == "admin"
    assert len(_audit("user.role")) == 1


async def test_switch_an_account_off_and_not_your_own(as_admin):
    await _post(as_admin, "/staff/users/mila/active", {"active": "0"})
    assert "Het account van mila staat uit." in await (await as_admin.get("/staff/users")).text()
    assert not _user("mila").active
    await _post(as_admin, "/staff/users/admin/active", {"active": "0"})
    assert "Je kunt je eigen account niet uitzetten." in \
        await (await as_admin.get("/staff/users")).text()
    assert _user("admin").active
    as_admin.session.cookie_jar.clear()
    assert (await sign_in(as_admin, "mila")).status == 401


async def test_a_new_password_also_lifts_a_lock(as_admin):
    with session_scope() as db:
        for _ in range(accounts.MAX_FAILED_LOGINS):
            accounts.login(db, "mila", "fout-wachtwoord")
    assert _user("mila").locked_until is not None
    await _post(as_admin, "/staff/users/mila/password",
                {"password": NEW_PASSWORD, "password_again": "niet-hetzelfde-wachtwoord"})
    assert "niet gelijk" in await (await as_admin.get("/staff/users")).text()
    assert _user("mila").locked_until is not None

    await _post(as_admin, "/staff/users/mila/password",
                {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    html = await (await as_admin.get("/staff/users")).text()
    assert "mila heeft een nieuw wachtwoord." in html and NEW_PASSWORD not in html
    assert _user("mila").locked_until is None
    assert [e.target_id for e in _audit("user.password")] == ["mila"]
    as_admin.session.cookie_jar.clear()
    assert (await sign_in(as_admin, "mila", NEW_PASSWORD)).status == 302


async def test_a_short_password_is_refused(as_admin):
    await _post(as_admin, "/staff/users/mila/password", {"password": "kort", "password_again": "kort"})
    assert "minstens 12 tekens" in await (await as_admin.get("/staff/users")).text()
    assert _audit("user.password") == []


@pytest.mark.parametrize("action, data", [("role", {"role": "admin"}), ("active", {"active": "0"}),
                                          ("password", {"password": NEW_PASSWORD,
                                                        "password_again": NEW_PASSWORD})])
async def test_an_unknown_user_is_a_dutch_404(as_admin, action, data):
    response = await _post(as_admin, f"/staff/users/niemand/{action}", data)
    assert response.status == 404
    assert "Deze gebruiker bestaat niet." in await response.text()


async def test_the_users_page_has_labels_and_csrf_on_every_form(as_admin):
    html = await (await as_admin.get("/staff/users")).text()
    assert "<script" not in html and "style=" not in html
    for form in re.findall(r'<form method="post".*?</form>', html, re.S):
        assert 'name="csrf_token"' in form
    ids = set(re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html))
    assert ids <= set(re.findall(r'<label[^>]*for="([^"]+)"', html))
