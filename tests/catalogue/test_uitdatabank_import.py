"""UiTdatabank JSON-LD: the mapping of FACTS.md §6, files and folders, and live paging."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from bot.catalogue.importers import import_bytes, import_file, import_uitdatabank_live
from bot.catalogue.models import Offering
from tests.catalogue.conftest import FILES

DOCS = FILES / "uitdatabank"


def _get(session, suffix):
    return session.execute(
        select(Offering).where(Offering.source_id.like(f"%{suffix}"))
    ).scalar_one()


def test_event_mapping(session):
    report = import_file(session, DOCS / "event_kinderyoga.json")
    assert report.counts["added"] == 1, report.lines()
    o = _get(session, "000000000001")
    assert o.source == "uitdatabank" and o.name == "Kinderyoga in de bib"
    assert o.summary == "Speelse yoga voor kinderen van 6 tot 12 jaar."
    assert o.category == "leren"  # "Cursus of workshop" through the vocabulary
    assert (o.min_age, o.max_age) == (6, 12)
    assert set(o.audiences) == {"kinderen", "jongeren"}
    assert (o.price_cents, o.kansentarief_cents) == (600, 150)
    assert set(o.features) == {"rolstoeltoegankelijk", "kinderopvang"}
    assert o.location.municipality_nis == "44021"
    assert o.location.latitude == pytest.approx(51.05)
    assert o.schedule_days == "wo" and "woensdagnamiddag" in o.parts_of_day
    assert o.schedule_text.startswith("wo 2 december 2026 om 14:00")
    assert o.register_offline == "Bel 09 000 00 00."
    assert o.organisation.name == "Voorbeeldorganisator"
    assert o.last_checked.isoformat() == "2026-11-20"


def test_page_with_bad_and_deleted_documents(session):
    report = import_file(session, DOCS / "page_two_events.json")
    assert report.counts["added"] == 2
    assert report.rejected[0].where == "document 2"
    assert "postcode 4000 ligt niet in Vlaanderen of Brussel" in report.rejected[0].reasons
    concert = _get(session, "000000000002")
    assert concert.is_free and concert.category == "podium" and concert.artikel27
    assert concert.features == ("ringleiding",)
    assert set(concert.audiences) == {"kinderen", "jongeren", "volwassenen", "senioren", "gezinnen"}
    assert set(concert.parts_of_day) == {"avond", "weekend"}
    deleted = _get(session, "000000000004")
    assert deleted.status == "inactive"
    assert set(deleted.audiences) == {"volwassenen", "senioren"}


def test_place_with_opening_hours(session):
    import_file(session, DOCS / "place_museum.json")
    o = _get(session, "000000000013")
    assert o.category == "museum" and o.location.municipality_nis == "21004"
    assert o.paspartoe and o.artikel27 and o.price_cents == 800
    assert o.schedule_text == "di, wo, do, vr, za, zo 10:00-17:00"
    assert {"ochtend", "middag", "weekend", "woensdagnamiddag"} <= set(o.parts_of_day)
    assert o.website == "https://voorbeeld.invalid/museum" and o.email == "info@voorbeeld.invalid"


def test_folder_import_is_idempotent(session):
    first = import_file(session, DOCS)
    assert first.counts["added"] == 4 and first.counts["rejected"] == 1
    assert first.rejected[0].where == "page_two_events.json, document 2"
    second = import_file(session, DOCS)
    assert second.counts["unchanged"] == 4 and second.counts["added"] == 0


def test_broken_json_upload_is_reported(session):
    report = import_bytes(session, (FILES / "broken.json").read_bytes(), "broken.json")
    assert report.counts["added"] == 0
    assert report.rejected[0].reasons[0].startswith("geen geldige JSON")


class _FakeSearchApi(BaseHTTPRequestHandler):
    """A local stand-in for GET /offers/ that pages over the test documents."""

    documents: list = []
    seen_headers: list = []

    def do_GET(self):  # noqa: N802 (http.server API)
        query = parse_qs(urlparse(self.path).query)
        self.seen_headers.append((self.headers.get("X-Client-Id"), query))
        start, limit = int(query["start"][0]), int(query["limit"][0])
        body = json.dumps({"totalItems": len(self.documents),
                           "member": self.documents[start:start + limit]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_live_api_paging(session, monkeypatch):
    docs = json.loads((DOCS / "page_two_events.json").read_text())["member"]
    docs.append(json.loads((DOCS / "event_kinderyoga.json").read_text()))
    _FakeSearchApi.documents, _FakeSearchApi.seen_headers = docs, []
    server = HTTPServer(("127.0.0.1", 0), _FakeSearchApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("KLIK_UITDATABANK_CLIENT_ID", "test-client")
        monkeypatch.setenv("KLIK_UITDATABANK_URL", f"http://127.0.0.1:{server.server_port}")
        report = import_uitdatabank_live(session, {"postalCode": "9000"}, page_size=2)
    finally:
        server.shutdown()
    assert report.counts["added"] == 3 and report.counts["rejected"] == 1
    assert len(_FakeSearchApi.seen_headers) == 2  # two pages of two
    client, query = _FakeSearchApi.seen_headers[0]
    assert client == "test-client"
    assert query["embed"] == ["true"] and query["embedUitpasPrices"] == ["true"]
    assert query["postalCode"] == ["9000"]


def test_live_api_needs_a_client_id(session, monkeypatch):
    monkeypatch.delenv("KLIK_UITDATABANK_CLIENT_ID", raising=False)
    with pytest.raises(RuntimeError, match="KLIK_UITDATABANK_CLIENT_ID"):
        import_uitdatabank_live(session, {})
