"""/staff/needs.csv: the inbox's filter as an Excel-friendly file (UTF-8 BOM, ";"), read back
with Python's csv module; formula injection is defused."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from html import unescape

from bot.needs import assign, change_status, mark_duplicate_of, record_need, set_public_reply
from bot.needs.inbox import COLUMNS, NeedFilter, export_csv, safe_cell
from bot.db import session_scope

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc)
HEADERS = [
    "Code", "Aangemaakt op", "Soort", "Bron", "Status", "Categorie", "Drempels", "Gemeente",
    "NIS-code", "Doelgroep", "Leeftijd", "Tekst", "Publiek antwoord", "Toegewezen aan",
    "Dubbel van", "Toestemming op", "Afgesloten op", "Geanonimiseerd op",
]


def read(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == HEADERS
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def need(text, **fields):
    fields.setdefault("now", T0)
    return record_need(None, kind=fields.pop("kind", "nood"), source="inwoner", text=text,
                       **fields)


async def test_export_round_trips_with_exactly_the_rows_of_the_filter(as_staff):
    tricky = need('Zwemles; "liefst" op zaterdag\nof zondag, in Gent – café é ë',
                  municipality_nis="44021", category="zwemmen", barriers=["vervoer", "kinderopvang"],
                  audience="kinderen", age_band="kinderen", sender_id="gesprek-geheim")
    plain = need("Bib open op zondag", municipality_nis="44021", category="bibliotheek",
                 now=T0 + timedelta(days=1))
    need("Andere gemeente", municipality_nis="11002", category="zwemmen")
    busy = need("Al opgenomen", municipality_nis="44021", category="zwemmen",
                now=T0 + timedelta(2))
    change_status(None, busy.id, "in_behandeling", by="an")
    set_public_reply(None, tricky.id, "=SOM(A1:A9) kijk op de website", by="an")
    assign(None, tricky.id, "mila", by="an")
    mark_duplicate_of(None, plain.id, tricky.code, by="an")

    response = await as_staff.get("/staff/needs.csv?status=nieuw&municipality=Gent")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="meldingen-')
    rows = read(await response.read())
    assert [row["Code"] for row in rows] == [plain.display_code, tricky.display_code]
    first = rows[1]
    assert first["Tekst"] == 'Zwemles; "liefst" op zaterdag\nof zondag, in Gent – café é ë'
    assert first["Aangemaakt op"] == "10-11-2026 10:00"  # Brussels time
    assert (first["Soort"], first["Bron"], first["Status"]) == ("Nood", "Inwoner", "Nieuw")
    assert (first["Gemeente"], first["NIS-code"]) == ("Gent", "44021")
    assert first["Categorie"] == "Zwemmen" and first["Doelgroep"] == "Kinderen"
    assert first["Drempels"] == "Vervoer geregeld, Kinderopvang"
    assert first["Publiek antwoord"] == "'=SOM(A1:A9) kijk op de website"
    assert first["Toegewezen aan"] == "mila"
    assert rows[0]["Dubbel van"] == tricky.display_code
    assert "gesprek-geheim" not in (await response.read()).decode("utf-8-sig")


async def test_the_inbox_links_to_the_export_of_its_own_filter(as_staff):
    need("Iets", category="zwemmen")
    html = unescape(await (await as_staff.get(
        "/staff/needs?category=zwemmen&q=iets&sort=status&order=asc&page=1")).text())
    assert ('<a href="/staff/needs.csv?category=zwemmen&q=iets&sort=status&order=asc">'
            "Exporteer als CSV</a>") in html


async def test_a_bad_filter_exports_nothing(as_staff):
    need("Iets")
    response = await as_staff.get("/staff/needs.csv?date_from=morgen")
    assert response.status == 400
    assert "De datum 'morgen' klopt niet" in unescape(await response.text())


async def test_an_empty_filter_gives_only_the_header(as_staff):
    response = await as_staff.get("/staff/needs.csv?status=opgelost")
    assert read(await response.read()) == []


def test_formula_cells_get_an_apostrophe():
    for risky in ("=1+1", "+32 470", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(risky) == "'" + risky
    for fine in ("Zwemles", "1+1", "", "'al"):
        assert safe_cell(fine) == fine


def test_every_field_but_the_conversation_is_exported(klik_env):
    from bot.db import migrate
    from bot.needs.model import Need

    migrate.upgrade()
    exported = [header for header, _ in COLUMNS]
    assert exported == HEADERS
    # Every column of the need table has a header, except the internal id, the link to the
    # conversation (sender_id) and the consent flag (always true: stored only with consent);
    # the municipality has two (name and NIS code).
    left_out = {"id", "sender_id", "consent_given"}
    assert len({c.name for c in Need.__table__.columns} - left_out) + 1 == len(HEADERS)
    need("Iets met = erin")
    with session_scope() as db:
        text = export_csv(db, NeedFilter.from_query({}))
    assert text.startswith("\ufeffCode;Aangemaakt op;")
    assert text.endswith("\r\n")
