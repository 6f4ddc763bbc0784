"""/staff/catalogue/import: upload a CSV or UiTdatabank JSON and read the importer's report.

The app's 16 KB body limit is too small for a file; the route gets its own limit through
bot.web.staff.catalogue.body_limits, which bot/web/app.py installs.
"""
from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.audit import AuditEntry
from bot.catalogue import admin
from bot.catalogue.models import Offering
from bot.db import session_scope
from bot.web.staff import catalogue
from tests.staff.conftest import csrf_of

FILES = Path(__file__).parents[1] / "catalogue" / "files"


@pytest.fixture
async def uploader(as_admin):
    """The real gateway app (with its per-route body limits), signed in as admin 'admin'."""
    return as_admin


async def _upload(client, name: str, data: bytes, source: str = "", token: str | None = None):
    form = aiohttp.FormData()
    form.add_field("csrf_token", token or await csrf_of(client, "/staff/catalogue/import"))
    form.add_field("bron", source)
    form.add_field("bestand", data, filename=name, content_type="application/octet-stream")
    return await client.post("/staff/catalogue/import", data=form)


def _offerings() -> int:
    with session_scope() as db:
        return db.execute(select(func.count()).select_from(Offering)).scalar_one()


async def test_the_import_page_has_an_upload_form(uploader):
    html = await (await uploader.get("/staff/catalogue/import")).text()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="bestand">' in html and 'type="file"' in html


async def test_a_csv_upload_shows_the_report_and_is_audited(uploader):
    data = (FILES / "good.csv").read_bytes()
    assert len(data) < 16 * 1024
    response = await _upload(uploader, "good.csv", data, source="gent")
    assert response.status == 200
    html = await response.text()
    assert "good.csv: 3 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 geweigerd." in html
    assert "Zwemles voor kinderen" in html
    with session_scope() as db:
        assert set(db.execute(select(Offering.source)).scalars()) == {"gent"}
        [entry] = db.execute(select(AuditEntry).where(AuditEntry.action == "catalogue.import")
                             ).scalars().all()
    assert entry.actor == "admin" and entry.after["nieuw"] == 3

    again = await (await _upload(uploader, "good.csv", data, source="gent")).text()
    assert "0 nieuw, 0 gewijzigd, 3 ongewijzigd, 0 geweigerd" in again


async def test_refused_rows_are_listed_with_their_reasons(uploader):
    html = await (await _upload(uploader, "partial.csv", (FILES / "partial.csv").read_bytes())
                  ).text()
    assert "2 nieuw, 0 gewijzigd, 0 ongewijzigd, 6 geweigerd" in html
    assert "onbekende categorie &#39;breien op de maan&#39;" in html
    assert "postcode 4000 ligt niet in Vlaanderen of Brussel" in html
    assert "minimumleeftijd is groter dan maximumleeftijd" in html
    assert "id &#39;ok-1&#39; komt al voor" in html
    assert _offerings() == 2


async def test_uitdatabank_json_is_imported(uploader):
    data = (FILES / "uitdatabank" / "page_two_events.json").read_bytes()
    html = await (await _upload(uploader, "export.json", data)).text()
    assert "export.json: 2 nieuw" in html
    with session_scope() as db:
        assert set(db.execute(select(Offering.source)).scalars()) == {"uitdatabank"}


async def test_an_unparseable_json_file_gets_a_clear_message(uploader):
    response = await _upload(uploader, "broken.json", (FILES / "broken.json").read_bytes())
    html = await response.text()
    assert "Er is niets ingelezen. Lees hieronder waarom." in html
    assert "geen geldige JSON" in html
    assert _offerings() == 0


@pytest.mark.parametrize("name, data, words", [
    ("aanbod.xlsx", b"PK\x03\x04 spreadsheet", "Gebruik een .csv-bestand of UiTdatabank-JSON"),
    ("aanbod.csv", b"id,naam\n\x81\x8d\x8f\x90\x9d\n", "Dit bestand kan ik niet lezen."),
    ("leeg.csv", b"", "Het bestand is leeg."),
])
async def test_a_file_no_importer_reads_is_refused_in_plain_dutch(uploader, name, data, words):
    response = await _upload(uploader, name, data)
    assert response.status == 400
    assert words in await response.text()
    assert _offerings() == 0


async def test_the_admin_source_cannot_be_imported_into(uploader):
    response = await _upload(uploader, "good.csv", (FILES / "good.csv").read_bytes(),
                             source=admin.ADMIN_SOURCE)
    assert response.status == 400
    assert "maar niet &#39;klik-beheer&#39;" in await response.text()
    assert _offerings() == 0


async def test_no_file_chosen(uploader):
    token = await csrf_of(uploader, "/staff/catalogue/import")
    response = await uploader.post("/staff/catalogue/import",
                                   data={"csrf_token": token, "bron": ""})
    assert response.status == 400
    assert "Kies eerst een bestand." in await response.text()


async def test_a_bigger_file_than_16_kb_passes_with_the_route_limit(uploader):
    header = "id;naam;samenvatting;categorie;doelgroep;postcode;prijs\n"
    rows = "".join(f"r-{i};Sportles {i};Samen sporten in de buurt.;sport;volwassenen;9000;1\n"
                   for i in range(400))
    data = (header + rows).encode()
    assert len(data) > 16 * 1024
    html = await (await _upload(uploader, "groot.csv", data)).text()
    assert "groot.csv: 400 nieuw" in html


async def test_a_too_big_file_gets_a_clear_message(uploader):
    data = b"x" * (catalogue.MAX_UPLOAD_BYTES + 1)
    response = await _upload(uploader, "groot.csv", data)
    assert response.status == 413
    assert "Het bestand is te groot. Het mag hoogstens 5 MB zijn." in await response.text()


async def test_a_body_over_the_route_limit_is_refused(uploader):
    token = await csrf_of(uploader, "/staff/catalogue/import")
    response = await _upload(uploader, "enorm.csv", b"x" * (catalogue.UPLOAD_BODY_LIMIT + 1),
                             token=token)
    assert response.status == 413
    assert _offerings() == 0


async def test_an_upload_without_csrf_token_is_refused(uploader):
    form = aiohttp.FormData()
    form.add_field("bestand", (FILES / "good.csv").read_bytes(), filename="good.csv")
    response = await uploader.post("/staff/catalogue/import", data=form)
    assert response.status == 403
    assert _offerings() == 0


async def test_a_long_offering_form_gets_a_message_by_its_field_not_a_413(uploader):
    token = await csrf_of(uploader, "/staff/catalogue/new")
    description = "é" * 6000  # 36 KB once form-encoded: over 16 KB, within the form limit
    response = await uploader.post("/staff/catalogue/new", data={
        "csrf_token": token, "naam": "Koor", "beschrijving": description})
    assert response.status == 400
    html = await response.text()
    assert "Te lang: 6000 tekens (max. 5000)." in html
    assert f">{description}</textarea>" in html
    assert _offerings() == 0


async def test_the_limit_is_only_raised_for_the_upload_and_offering_forms(uploader):
    # Other routes keep the app's 16 KB, also for a signed-in admin.
    token = await csrf_of(uploader, "/staff/catalogue")
    for path in ("/staff/catalogue/1/status", "/staff/users"):
        response = await uploader.post(path, data={"csrf_token": token, "naam": "x" * (20 * 1024)})
        assert response.status == 413, path
