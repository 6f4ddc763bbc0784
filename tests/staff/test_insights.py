"""/staff/insights on the real app: charts with text alternatives, tables with the same
numbers, the period in the URL, bad dates, empty periods, escaping, an unreadable tracker store."""
from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from sqlalchemy import create_engine, text

from bot import config, feedback
from bot.db import session_scope
from bot.needs.model import utcnow
from bot.needs.service import record_need
from tests.test_transcripts import action, bot, fallback, save_conversation, user

SVG = "{http://www.w3.org/2000/svg}"
FIGURE = re.compile(r'<section class="insight-figure">(.*?)</section>', re.S)
ROW = re.compile(r'<tr><th scope="row">(.*?)</th><td class="num">(.*?)</td>', re.S)


def figures(page: str) -> dict[str, dict]:
    """Each figure on the page by its heading: the parsed <svg> (or None) and the table rows."""
    found = {}
    for chunk in FIGURE.findall(page):
        title = htmllib.unescape(re.search(r"<h3>(.*?)</h3>", chunk, re.S).group(1))
        svg = re.search(r"<svg.*?</svg>", chunk, re.S)
        found[title] = {
            "svg": ET.fromstring(svg.group(0)) if svg else None,
            "rows": [(htmllib.unescape(label), htmllib.unescape(count))
                     for label, count in ROW.findall(chunk)],
            "html": chunk,
        }
    return found


def bars(svg) -> list[tuple[str, str]]:
    """(label, value) of every bar or column, from each one's own <title> 'label: value'."""
    out = []
    for group in svg.iter(f"{SVG}g"):
        label, _, value = group.find(f"{SVG}title").text.rpartition(": ")
        out.append((label, value.split(" (")[0]))
    return out


def need(days_ago: float, text: str = "Ik vind geen zwemles.", **fields):
    return record_need(kind="nood", source="inwoner", text=text, consent=True,
                       now=utcnow() - timedelta(days=days_ago), **fields)


def seed_needs():
    need(1, barriers=["geld", "vervoer"], category="zwemmen", municipality_nis="44021",
         audience="kinderen")
    need(2, barriers=["geld"], category="zwemmen", municipality_nis="44021", audience="gezinnen")
    need(3, barriers=["weinig_nederlands"], category="sport", municipality_nis="11002")


async def test_the_page_needs_a_session(staff_client):
    response = await staff_client.get("/staff/insights", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"].startswith("/staff/login")


async def test_every_chart_has_a_text_alternative_and_its_table_the_same_numbers(as_staff):
    seed_needs()
    with session_scope() as s:
        feedback.record(s, "a", 0, "up")
        feedback.record(s, "a", 1, "up")
        feedback.record(s, "b", 0, "down")
    response = await as_staff.get("/staff/insights")
    assert response.status == 200
    page = await response.text()
    assert 'aria-current="page">Inzichten' in page
    found = figures(page)
    assert "Meldingen per drempel" in found and "Meldingen per maand" in found

    charted = 0
    for title, figure in found.items():
        svg = figure["svg"]
        if svg is None:
            assert "Nog geen gegevens in deze periode." in figure["html"]
            continue
        charted += 1
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id
        assert svg.find(f"{SVG}title").text == title
        desc = svg.find(f"{SVG}desc")
        assert desc.get("id") == desc_id and len(desc.text) > 20
        # The table beside the chart holds exactly the numbers the chart draws.
        assert bars(svg) == figure["rows"], title
    assert charted >= 6

    assert found["Meldingen per drempel"]["rows"] == [
        ("Geld", "2"), ("Vervoer", "1"), ("Weinig Nederlands nodig", "1")]
    assert "Totaal 3 meldingen. Geld: 2 (67%)" in found["Meldingen per drempel"]["svg"].find(
        f"{SVG}desc").text
    assert found["Meldingen per gemeente (top 15)"]["rows"] == [("Gent", "2"), ("Antwerpen", "1")]
    assert found["Meldingen per categorie"]["rows"] == [
        ("Zwemmen", "2"), ("Sport en bewegen", "1")]
    assert found["Beoordeling van de antwoorden (👍/👎)"]["rows"] == [
        ("👍 Nuttig", "2"), ("👎 Niet nuttig", "1")]
    assert "<td class=\"num\">67%</td>" in found["Beoordeling van de antwoorden (👍/👎)"]["html"]
    months = found["Meldingen per maand"]["rows"]
    assert sum(int(count) for _, count in months) == 3 and len(months) in (3, 4)


async def test_conversations_fallbacks_and_unanswered_questions_from_the_tracker_store(as_staff):
    start = utcnow() - timedelta(days=2)
    save_conversation("s-1", [
        fallback("waar kan ik gratis zwemmen", "ask_offering", 0.3),
        action("action_two_stage_fallback"),
        bot("Bedoel je: aanbod zoeken?"),
    ], start=start)
    save_conversation("s-2", [
        fallback("Waar kan ik GRATIS zwemmen?", "ask_offering", 0.2),
        action("action_default_fallback"),
    ], start=start + timedelta(hours=1))
    save_conversation("s-3", [user("Ik zoek een zwembad in Gent", "ask_offering", 0.95),
                              bot("Dit vond ik.")], start=start)
    page = await (await as_staff.get("/staff/insights")).text()
    found = figures(page)
    assert "3 gesprekken in deze periode." in page
    assert found["Gesprekken met een terugval"]["rows"] == [
        ("Met terugval", "2"), ("Zonder terugval", "1")]
    per_day = found["Gesprekken per dag"]
    assert len(per_day["rows"]) == 90
    assert sum(int(count) for _, count in per_day["rows"]) == 3
    questions = found["Meest gestelde vragen zonder antwoord (top 10)"]
    assert questions["rows"] == [("waar kan ik gratis zwemmen", "2")]


async def test_markup_in_a_need_never_reaches_the_page_unescaped(as_staff):
    old = need(40, text="<script>alert('x')</script> zwembad te duur",
               category="<img src=x onerror=alert(1)>")
    page = await (await as_staff.get("/staff/insights")).text()
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; zwembad te duur" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the unknown category, in chart + table
    # The open-needs list links to the need and says how old it is.
    assert f'<a href="/staff/needs/{old.id}">{old.display_code}</a>' in page
    assert re.search(r'<td class="num">40</td>', page)
    # No inline styles (the Content-Security-Policy forbids them).
    assert " style=" not in page and "<style" not in page


async def test_the_period_lives_in_the_url(as_staff):
    seed_needs()
    page = await (await as_staff.get("/staff/insights?from=01-01-2025&to=2025-01-31")).text()
    assert 'name="from" type="date" value="2025-01-01"' in page
    assert 'name="to" type="date" value="2025-01-31"' in page
    assert "Periode: <strong>01-01-2025</strong> tot en met <strong>31-01-2025</strong>" in page
    assert "0 meldingen in deze periode." in page
    assert "<svg" not in page
    assert page.count("Nog geen gegevens in deze periode.") >= 5
    assert "/staff/insights?from=" in page  # the quick links


async def test_bad_dates_get_a_clear_message_not_an_error(as_staff):
    response = await as_staff.get("/staff/insights?from=31-02-2026")
    assert response.status == 400
    page = await response.text()
    assert "De begindatum &#39;31-02-2026&#39; is geen geldige datum." in page
    assert 'role="alert"' in page and 'aria-invalid="true"' in page
    response = await as_staff.get("/staff/insights?from=2026-05-01&to=2026-04-01")
    assert response.status == 400
    assert "De begindatum ligt na de einddatum." in await response.text()
    response = await as_staff.get("/staff/insights?to=%3Cscript%3E")
    assert response.status == 400
    assert "<script" not in await response.text()


async def test_an_unreadable_tracker_store_leaves_the_other_figures(as_staff):
    seed_needs()
    engine = create_engine(config.load().tracker_store_url, future=True)
    with engine.begin() as conn:  # an "events" table without Rasa's columns
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT)"))
    engine.dispose()
    response = await as_staff.get("/staff/insights")
    assert response.status == 200
    page = await response.text()
    assert "De gesprekken zijn nu niet te lezen." in page
    assert figures(page)["Meldingen per drempel"]["rows"][0] == ("Geld", "2")


async def test_admins_see_it_too(as_admin):
    assert (await as_admin.get("/staff/insights")).status == 200
