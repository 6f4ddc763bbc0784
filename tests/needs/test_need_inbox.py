"""The inbox query and CSV export on each backend: JSON barrier filter, text and code search,
Belgian calendar days, sorting by name, paging; the filter read from a URL query."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.db import session_scope
from bot.needs import change_status, record_need
from bot.needs.inbox import NeedFilter, count, export_csv, find

# 23:30 UTC on 9 November is already 10 November in Brussels (UTC+1 in winter).
LATE = datetime(2026, 11, 9, 23, 30, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Window:
    offset: int
    size: int


def _need(url, text, **fields):
    fields.setdefault("now", LATE)
    return record_need(url, kind=fields.pop("kind", "nood"), source="inwoner", text=text,
                       **fields)


def _codes(url, query: dict, page=None) -> list[str]:
    flt = NeedFilter.from_query(query)
    assert flt.errors == ()
    with session_scope(url) as db:
        return [n.code for n in find(db, flt, page)]


def test_filters_on_each_backend(db_url):
    zwem = _need(db_url, "Zwemles 100% gratis_graag", barriers=["vervoer", "kinderopvang"],
                 municipality_nis="44021", category="zwemmen")
    theater = _need(db_url, "THEATER met ringleiding", barriers=["ringleiding"],
                    municipality_nis="11002", category="podium", now=LATE + timedelta(hours=1),
                    code_factory=lambda: "K7Q4M2XF")
    change_status(db_url, theater.id, "in_behandeling", by="an")
    assert _codes(db_url, {"barrier": "vervoer"}) == [zwem.code]
    assert _codes(db_url, {"barrier": "ringleiding"}) == [theater.code]
    assert _codes(db_url, {"barrier": "weinig_nederlands"}) == []
    assert _codes(db_url, {"q": "theater"}) == [theater.code]
    assert _codes(db_url, {"q": "100%"}) == [zwem.code]  # % and _ are no wildcards
    assert _codes(db_url, {"q": "s_g"}) == [zwem.code]  # "gratis_graag" holds it literally
    assert _codes(db_url, {"q": "0% g"}) == [zwem.code]
    assert _codes(db_url, {"q": "%"}) == [zwem.code]
    assert _codes(db_url, {"q": "r_n"}) == []  # as a wildcard it would find "ringleiding"
    assert _codes(db_url, {"q": "q4-m2"}) == [theater.code]  # part of the code, as typed
    assert _codes(db_url, {"status": "in_behandeling", "municipality": "Antwerpen"}) == \
        [theater.code]
    assert _codes(db_url, {"date_from": "10-11-2026"}) == [theater.code, zwem.code]
    assert _codes(db_url, {"date_to": "09-11-2026"}) == []
    assert _codes(db_url, {"sort": "municipality", "order": "asc"}) == [theater.code, zwem.code]
    assert _codes(db_url, {"sort": "category", "order": "desc"}) == [zwem.code, theater.code]
    assert _codes(db_url, {}, Window(offset=1, size=1)) == [zwem.code]
    with session_scope(db_url) as db:
        assert count(db, NeedFilter.from_query({"category": "zwemmen"})) == 1


def test_export_on_each_backend(db_url):
    first = _need(db_url, "@iedereen: +32 is de landcode", municipality_nis="44021")
    _need(db_url, "Andere gemeente", municipality_nis="11002")
    with session_scope(db_url) as db:
        text = export_csv(db, NeedFilter.from_query({"municipality": "44021"}))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    assert [r["Code"] for r in rows] == [first.display_code]
    assert rows[0]["Tekst"] == "'@iedereen: +32 is de landcode"
    assert rows[0]["Aangemaakt op"] == "10-11-2026 00:30"


def test_filter_reads_a_query_and_writes_it_back():
    flt = NeedFilter.from_query({"municipality": " sint-niklaas ", "date_from": "2026-11-01",
                                 "q": "  zwem  ", "sort": "status", "page": "3"})
    assert (flt.municipality, flt.date_from, flt.q) == ("46021", date(2026, 11, 1), "zwem")
    assert flt.to_query() == {"municipality": "46021", "date_from": "01-11-2026", "q": "zwem",
                              "sort": "status", "order": "desc"}
    assert NeedFilter.from_query(flt.to_query()) == flt
    assert NeedFilter.from_query({}).to_query() == {}


@pytest.mark.parametrize("query, error", [
    ({"date_from": "2026-02-30"}, "De datum '2026-02-30' klopt niet"),
    ({"kind": "klacht"}, "Onbekende soort: 'klacht'."),
    ({"barrier": "geld"}, "Onbekende drempel: 'geld'."),
    ({"municipality": "Atlantis"}, "Ik ken geen gemeente 'Atlantis'."),
])
def test_what_cannot_be_read_becomes_a_message(query, error):
    flt = NeedFilter.from_query(query)
    assert len(flt.errors) == 1 and flt.errors[0].startswith(error)
    assert flt.to_query() == {}  # and is left out of the filter
