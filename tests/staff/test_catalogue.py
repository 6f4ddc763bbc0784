"""/staff/catalogue: list with filters in the URL, detail, create, edit, switch off — admins only."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from bot.audit import AuditEntry
from bot.catalogue import admin, importers
from bot.catalogue.models import Offering
from bot.catalogue.taxonomy import SAMPLE_SOURCE
from bot.db import session_scope
from tests.staff.conftest import csrf_of, post_form

SAMPLE = (
    "id;naam;samenvatting;categorie;doelgroep;postcode;prijs\n"
    "s-1;Zwemles voor kinderen;Je kind leert zwemmen.;zwemmen;kinderen;9000;5\n"
    "s-2;Stadsmuseum;Ontdek de stad.;museum;volwassenen;3000;0\n"
)
OWN = {
    "naam": "Buurtkoor De Klinkers",
    "samenvatting": "Zing mee met bekende liedjes.",
    "categorie": "muziek",
    "doelgroep": ["volwassenen", "senioren"],
    "nis_code": "24062",  # Leuven
    "prijs": "2",
}


def _import(sheet: str, source: str) -> None:
    with session_scope() as db:
        report = importers.import_csv(db, sheet.encode("utf-8"), f"{source}.csv", source)
        assert report.ok, report.lines()


def _create(values=OWN) -> int:
    with session_scope() as db:
        return admin.create_offering(db, values, by="admin").id


def _current(oid: int) -> dict:
    """What the edit form shows: a browser sends all of it back."""
    with session_scope() as db:
        return admin.values_of(db.get(Offering, oid))


def _rows(html: str) -> list[str]:
    """The offering names in the list, in order."""
    return [unescape(m) for m in re.findall(r'<a href="/staff/catalogue/\d+">([^<]+)</a>', html)]


def _audit(action: str) -> list[AuditEntry]:
    with session_scope() as db:
        return list(db.execute(select(AuditEntry).where(AuditEntry.action == action)
                               .order_by(AuditEntry.id)).scalars())


async def test_staff_members_cannot_reach_the_catalogue(as_staff):
    oid = _create()
    for path in ("/staff/catalogue", "/staff/catalogue/new", f"/staff/catalogue/{oid}",
                 f"/staff/catalogue/{oid}/edit", "/staff/catalogue/import"):
        response = await as_staff.get(path, allow_redirects=False)
        assert response.status == 403, path
        assert "alleen voor beheerders" in await response.text()
    token = await csrf_of(as_staff, "/staff/")
    for path in ("/staff/catalogue/new", f"/staff/catalogue/{oid}/edit",
                 f"/staff/catalogue/{oid}/status"):
        response = await as_staff.post(path, data={**OWN, "status": "inactive",
                                                   "csrf_token": token}, allow_redirects=False)
        assert response.status == 403, path
    with session_scope() as db:
        assert db.get(Offering, oid).status == "active"


async def test_the_list_marks_sample_offerings_and_filters_by_the_url(as_admin):
    _import(SAMPLE, SAMPLE_SOURCE)
    own = _create()
    html = await (await as_admin.get("/staff/catalogue")).text()
    assert _rows(html) == ["Buurtkoor De Klinkers", "Stadsmuseum", "Zwemles voor kinderen"]
    assert html.count('<span class="badge sample">Voorbeeld</span>') == 2
    assert "Klik-beheer" in html

    async def names(query: str) -> list[str]:
        response = await as_admin.get(f"/staff/catalogue?{query}")
        assert response.status == 200, query
        return _rows(await response.text())

    assert await names("q=zwemmen") == ["Zwemles voor kinderen"]
    assert await names("q=LIEDJES") == ["Buurtkoor De Klinkers"]  # summary words, any case
    assert await names("gemeente=24062") == ["Buurtkoor De Klinkers", "Stadsmuseum"]
    assert await names("categorie=museum") == ["Stadsmuseum"]
    assert await names(f"bron={SAMPLE_SOURCE}") == ["Stadsmuseum", "Zwemles voor kinderen"]
    assert await names(f"bron={admin.ADMIN_SOURCE}&gemeente=24062") == ["Buurtkoor De Klinkers"]
    with session_scope() as db:
        admin.set_status(db, own, "inactive", by="admin")
    assert await names("status=inactive") == ["Buurtkoor De Klinkers"]
    assert await names("status=active") == ["Stadsmuseum", "Zwemles voor kinderen"]
    # The chosen filters stay selected, so the page shows what it is filtered on.
    html = await (await as_admin.get("/staff/catalogue?categorie=museum&status=active")).text()
    assert '<option value="museum" selected>' in html
    assert '<option value="active" selected>' in html


@pytest.mark.parametrize("query, words", [
    ("gemeente=12345", "Deze gemeente ken ik niet"),
    ("categorie=breien", "Deze categorie bestaat niet"),
    ("status=weg", "Kies als status actief of inactief"),
])
async def test_a_bad_filter_gets_a_dutch_message(as_admin, query, words):
    response = await as_admin.get(f"/staff/catalogue?{query}")
    assert response.status == 400
    assert words in await response.text()


async def test_paging_keeps_the_filters(as_admin):
    rows = "".join(f"r-{i:02d};Sportles {i:02d};Samen sporten.;sport;volwassenen;9000;1\n"
                   for i in range(30))
    _import("id;naam;samenvatting;categorie;doelgroep;postcode;prijs\n" + rows, "gent")
    first = await (await as_admin.get("/staff/catalogue?categorie=sport")).text()
    assert len(_rows(first)) == 25
    assert "Pagina 1 van 2 (30 in totaal)" in first
    link = unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert "categorie=sport" in link and "page=2" in link
    second = await (await as_admin.get(f"/staff/catalogue{link}")).text()
    assert _rows(second) == [f"Sportles {i}" for i in range(25, 30)]


async def test_create_then_see_the_offering_and_its_history(as_admin):
    response = await post_form(as_admin, "/staff/catalogue/new", {
        **OWN, "doelgroep": "volwassenen", "kenmerken": "rolstoeltoegankelijk",
        "artikel27": "ja", "laatst_gecontroleerd": "2026-11-01",
    })
    assert response.status == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/staff/catalogue/\d+", location)
    html = await (await as_admin.get(location)).text()
    assert "Het aanbod is bewaard." in html
    assert "Buurtkoor De Klinkers" in html and "Leuven (24062)" in html
    assert "rolstoeltoegankelijk" in html and "€2" in html
    assert "offering.create" in html  # the history on the page
    [entry] = _audit("offering.create")
    assert entry.actor == "admin" and entry.after["bron"] == admin.ADMIN_SOURCE


async def test_a_validation_error_keeps_every_input_and_shows_the_error_by_its_field(as_admin):
    response = await post_form(as_admin, "/staff/catalogue/new", {
        **OWN, "naam": "Koor <script>alert(1)</script>", "prijs": "-3",
        "min_leeftijd": "70", "max_leeftijd": "60", "doelgroep": ["senioren", "volwassenen"],
        "beschrijving": "Elke dinsdag.\nKoffie na afloop.",
    })
    assert response.status == 400
    html = await response.text()
    # Errors next to their fields, and a summary that links to them.
    assert re.search(r'<p class="field-error" id="err-prijs">Prijs is negatief\.</p>', html)
    assert 'id="err-min_leeftijd"' in html and 'aria-describedby="err-prijs"' in html
    assert '<a href="#f-prijs">' in html
    # Nothing typed is lost, and markup stays text.
    assert 'value="Koor &lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>alert(1)" not in html
    assert 'value="-3"' in html and 'value="70"' in html and 'value="60"' in html
    assert ">Elke dinsdag.\nKoffie na afloop.</textarea>" in html
    assert '<option value="24062" selected>' in html
    assert '<option value="muziek" selected>' in html
    assert 'value="senioren" checked' in html and 'value="volwassenen" checked' in html
    assert 'value="kinderen" checked' not in html
    with session_scope() as db:
        assert db.execute(select(Offering)).first() is None
    assert _audit("offering.create") == []


async def test_edit_shows_the_values_saves_changes_and_keeps_input_on_error(as_admin):
    oid = _create()
    form = await (await as_admin.get(f"/staff/catalogue/{oid}/edit")).text()
    assert 'value="Buurtkoor De Klinkers"' in form and 'value="2"' in form
    assert 'value="senioren" checked' in form

    values = {**_current(oid), "prijs": "2,50", "wanneer": "dinsdag 19:30"}
    response = await post_form(as_admin, f"/staff/catalogue/{oid}/edit", values)
    assert response.status == 303 and response.headers["Location"] == f"/staff/catalogue/{oid}"
    html = await (await as_admin.get(f"/staff/catalogue/{oid}")).text()
    assert "De wijzigingen zijn bewaard." in html and "dinsdag 19:30" in html
    [entry] = _audit("offering.update")
    assert entry.before == {"wanneer": "", "prijs": "2"}
    assert entry.after == {"wanneer": "dinsdag 19:30", "prijs": "2,50"}

    bad = await post_form(as_admin, f"/staff/catalogue/{oid}/edit",
                          {**values, "naam": "", "wanneer": "woensdag"},
                          token_from=f"/staff/catalogue/{oid}/edit")
    assert bad.status == 400
    html = await bad.text()
    assert "Naam ontbreekt." in html and 'value="woensdag"' in html
    with session_scope() as db:
        assert db.get(Offering, oid).schedule_text == "dinsdag 19:30"

    same = await post_form(as_admin, f"/staff/catalogue/{oid}/edit", values)
    assert same.status == 303
    assert "Er was niets gewijzigd." in await (await as_admin.get(f"/staff/catalogue/{oid}")).text()


async def test_editing_an_imported_offering_warns_that_the_source_wins(as_admin):
    _import(SAMPLE, "gent")
    with session_scope() as db:
        oid = db.execute(select(Offering.id).where(Offering.source_id == "s-1")).scalar_one()
    html = await (await as_admin.get(f"/staff/catalogue/{oid}/edit")).text()
    assert "Een nieuwe import uit die bron kan je wijzigingen overschrijven." in html


async def test_switch_off_and_on_again(as_admin):
    oid = _create()
    response = await post_form(as_admin, f"/staff/catalogue/{oid}/status", {"status": "inactive"},
                               token_from=f"/staff/catalogue/{oid}")
    assert response.status == 303
    html = await (await as_admin.get(f"/staff/catalogue/{oid}")).text()
    assert "Het aanbod staat uit." in html and "Zet weer aan" in html
    await post_form(as_admin, f"/staff/catalogue/{oid}/status", {"status": "active"},
                    token_from=f"/staff/catalogue/{oid}")
    assert [e.after for e in _audit("offering.status")] == [{"status": "inactive"},
                                                            {"status": "active"}]
    bad = await post_form(as_admin, f"/staff/catalogue/{oid}/status", {"status": "weg"},
                          token_from=f"/staff/catalogue/{oid}")
    assert bad.status == 400 and "actief of inactief" in await bad.text()


@pytest.mark.parametrize("path", ["/staff/catalogue/999999", "/staff/catalogue/abc",
                                  "/staff/catalogue/999999/edit", "/staff/catalogue/12345678901"])
async def test_an_unknown_offering_is_a_dutch_404(as_admin, path):
    response = await as_admin.get(path)
    assert response.status == 404
    assert "Dit aanbod bestaat niet." in await response.text()


async def test_unknown_offering_on_post_is_a_dutch_404(as_admin):
    response = await post_form(as_admin, "/staff/catalogue/999999/status", {"status": "active"},
                               token_from="/staff/catalogue")
    assert response.status == 404
    response = await post_form(as_admin, "/staff/catalogue/999999/edit", OWN,
                               token_from="/staff/catalogue")
    assert response.status == 404


async def test_markup_in_an_offering_is_shown_as_text(as_admin):
    oid = _create({**OWN, "naam": "<script>alert(1)</script>", "beschrijving": "<b>vet</b>"})
    for path in ("/staff/catalogue", f"/staff/catalogue/{oid}", f"/staff/catalogue/{oid}/edit"):
        html = await (await as_admin.get(path)).text()
        assert "<script>alert(1)" not in html and "<b>vet" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


async def test_pages_have_no_inline_script_or_style(as_admin):
    oid = _create()
    for path in ("/staff/catalogue", "/staff/catalogue/new", f"/staff/catalogue/{oid}",
                 f"/staff/catalogue/{oid}/edit", "/staff/catalogue/import"):
        html = await (await as_admin.get(path)).text()
        assert "<script" not in html and "style=" not in html and "<style" not in html, path
        for form in re.findall(r'<form method="post".*?</form>', html, re.S):
            assert 'name="csrf_token"' in form, path
        # Every field has a label.
        ids = set(re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"',
                             html))
        labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        wrapped = set(re.findall(r'<label class="check"><input[^>]*id="([^"]+)"', html))
        assert ids <= labelled | wrapped, (path, ids - labelled - wrapped)
