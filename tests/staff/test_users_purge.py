"""/staff/users/purge: the retention purge of `python -m bot purge`, first as a dry run, then
after confirmation, with an audit row holding the counts."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, insert, select

from bot import config
from bot.audit import AuditEntry
from bot.conversations import EVENTS
from bot.db import get_engine, session_scope
from bot.needs import find_by_code, record_need
from bot.needs.model import utcnow
from tests.staff.conftest import post_form


def _tracker():
    return get_engine(config.load().tracker_store_url)


def _store_conversations() -> str:
    """An old and a recent conversation in the tracker store's events table; a need on the old.

    Ages are far from the 365-day cut-off, so the real clock cannot tip the result."""
    now = utcnow()
    EVENTS.metadata.create_all(_tracker())
    rows = [{"sender_id": "old", "type_name": kind, "timestamp": (now - timedelta(days=500)).timestamp()}
            for kind in ("action", "user", "bot")]
    rows += [{"sender_id": "recent", "type_name": kind, "timestamp": (now - timedelta(days=3)).timestamp()}
             for kind in ("action", "user")]
    with _tracker().begin() as conn:
        conn.execute(insert(EVENTS), rows)
    need = record_need(kind="nood", source="inwoner", text="Geen zwemles in de buurt",
                       sender_id="old", now=now - timedelta(days=500))
    return need.code


def _senders() -> dict[str, int]:
    with _tracker().connect() as conn:
        return dict(conn.execute(select(EVENTS.c.sender_id, func.count())
                                 .group_by(EVENTS.c.sender_id)).all())


def _cell(html: str, header: str) -> str:
    return re.search(rf"<th scope=\"row\">{header}</th><td class=\"num\">(\d+)</td>", html).group(1)


async def test_the_page_shows_a_dry_run_with_the_cli_default(as_admin):
    _store_conversations()
    response = await as_admin.get("/staff/users/purge")
    assert response.status == 200
    html = await response.text()
    assert 'value="365d"' in html
    assert _cell(html, "Gesprekken die gewist worden") == "1"
    assert _cell(html, "Gebeurtenissen in die gesprekken") == "3"
    assert _cell(html, "Meldingen die losgekoppeld worden van hun gesprek") == "1"
    assert _cell(html, "Verlopen verwijsbrieven die gewist worden") == "0"
    assert "Er is nog niets gewist." in html
    assert _senders() == {"old": 3, "recent": 2}


async def test_a_shorter_period_counts_more(as_admin):
    _store_conversations()
    html = await (await as_admin.get("/staff/users/purge?older_than=1d")).text()
    assert _cell(html, "Gesprekken die gewist worden") == "2"
    assert _senders() == {"old": 3, "recent": 2}


async def test_nothing_is_deleted_without_the_confirmation(as_admin):
    _store_conversations()
    response = await post_form(as_admin, "/staff/users/purge", {"older_than": "365d"})
    assert response.status == 303
    html = await (await as_admin.get(response.headers["Location"])).text()
    assert "Vink eerst aan dat je dit definitief wilt wissen." in html
    assert _senders() == {"old": 3, "recent": 2}


async def test_purge_after_confirmation_is_audited_with_the_counts(as_admin):
    code = _store_conversations()
    response = await post_form(as_admin, "/staff/users/purge",
                               {"older_than": "365d", "confirm": "ja"})
    assert response.status == 303
    assert response.headers["Location"] == "/staff/users/purge?older_than=365d"
    html = await (await as_admin.get(response.headers["Location"])).text()
    assert "Opgeruimd: 1 gesprekken gewist, 1 meldingen losgekoppeld" in html
    assert _senders() == {"recent": 2}
    assert find_by_code(code).sender_id is None  # the need stays, without the link
    with session_scope() as db:
        [entry] = db.execute(select(AuditEntry).where(AuditEntry.action == "purge")).scalars().all()
    assert entry.actor == "admin"
    assert entry.after["gesprekken"] == 1 and entry.after["gebeurtenissen"] == 3
    assert entry.after["meldingen_losgekoppeld"] == 1
    assert entry.after["ouder_dan"] == "365d"
    assert entry.after["verwijsbrieven_gewist"] == 0


async def test_a_bad_period_is_explained(as_admin):
    for query in ("older_than=morgen", "older_than=0d"):
        response = await as_admin.get(f"/staff/users/purge?{query}")
        assert response.status == 400
        assert "Geef een termijn zoals 365d" in await response.text()
    response = await post_form(as_admin, "/staff/users/purge",
                               {"older_than": "ooit", "confirm": "ja"})
    assert response.status == 400


async def test_an_empty_tracker_store_is_fine(as_admin):
    html = await (await as_admin.get("/staff/users/purge")).text()
    assert _cell(html, "Gesprekken die gewist worden") == "0"
