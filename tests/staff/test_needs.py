"""/staff/needs through the real app and database: inbox filters, sorting and paging, a need's
page (escaped text, conversation, workflow, notes, reply, assignment, "dubbel van", history)
and the bulk status change."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import select

from bot import config
from bot.audit import AuditEntry
from bot.db import session_scope
from bot.needs import change_status, find_by_code, record_need, status_reply
from tests.needs.rasa_tracker import save_conversation, tracker_store
from tests.staff.conftest import csrf_of, post_form

T0 = datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc)
ROW_CODE = re.compile(r'<th scope="row"><a href="/staff/needs/(\d+)">([0-9A-Z]{4}-[0-9A-Z]{4})</a>')


def need(text="Geen zwemles voor mijn dochter", *, kind="nood", source="inwoner", now=T0,
         status=None, **fields):
    made = record_need(None, kind=kind, source=source, text=text, now=now, **fields)
    if status in ("in_behandeling", "opgelost"):
        change_status(None, made.id, "in_behandeling", by="an", now=now)
    if status == "opgelost":
        change_status(None, made.id, "opgelost", by="an", now=now)
    return made


async def page(client, path: str, status: int = 200) -> str:
    response = await client.get(path, allow_redirects=False)
    assert response.status == status, (path, response.status)
    return unescape(await response.text())


def listed(html: str) -> list[str]:
    """The codes in the inbox table, in order."""
    return [code for _, code in ROW_CODE.findall(html)]


def codes(*needs) -> list[str]:
    return [n.display_code for n in needs]


# --- closed without a session -----------------------------------------------------------------

async def test_needs_pages_are_closed_without_a_session(staff_client):
    made = need()
    for path in ("/staff/needs", "/staff/needs.csv", f"/staff/needs/{made.id}"):
        response = await staff_client.get(path, allow_redirects=False)
        assert response.status == 302 and response.headers["Location"].startswith("/staff/login")
    for path in ("/staff/needs/bulk", f"/staff/needs/{made.id}/status"):
        response = await staff_client.post(path, data={"status": "in_behandeling"},
                                           allow_redirects=False)
        assert response.status == 401
    assert find_by_code(made.code).status == "nieuw"


async def test_a_post_without_the_csrf_token_changes_nothing(as_staff):
    made = need()
    response = await as_staff.post(f"/staff/needs/{made.id}/status",
                                   data={"status": "in_behandeling", "csrf_token": "vals"},
                                   allow_redirects=False)
    assert response.status == 403
    assert find_by_code(made.code).status == "nieuw"


# --- the inbox --------------------------------------------------------------------------------

async def test_inbox_filters_on_every_field(as_staff):
    gent = need("Zwemles in Gent", municipality_nis="44021", category="zwemmen",
                barriers=["kinderopvang", "vervoer"], audience="kinderen", now=T0)
    antwerpen = need("Theater in Antwerpen", kind="idee", source="hulpverlener",
                     municipality_nis="11002", category="podium", audience="volwassenen",
                     barriers=["rolstoeltoegankelijk"], now=T0 + timedelta(days=5),
                     status="in_behandeling")
    other = need("Geen categorie", now=T0 + timedelta(days=10), status="opgelost")
    cases = {
        "status=nieuw": [gent],
        "status=in_behandeling": [antwerpen],
        "kind=idee": [antwerpen],
        "source=hulpverlener": [antwerpen],
        "category=zwemmen": [gent],
        "barrier=vervoer": [gent],
        "barrier=rolstoeltoegankelijk": [antwerpen],
        "barrier=ringleiding": [],
        "audience=volwassenen": [antwerpen],
        "municipality=44021": [gent],
        "municipality=gent": [gent],
        "municipality=2000": [antwerpen],  # a postal code
        "date_from=14-11-2026": [other, antwerpen],
        "date_to=2026-11-15": [antwerpen, gent],  # inclusive: the whole 15th
        "date_from=10-11-2026&date_to=10-11-2026": [gent],
        "q=THEATER": [antwerpen],
        f"q={gent.code[:4]}": [gent],  # part of the code
        f"q={gent.display_code.lower()}": [gent],
        "": [other, antwerpen, gent],  # newest first
    }
    for query, expected in cases.items():
        html = await page(as_staff, f"/staff/needs?{query}")
        assert listed(html) == codes(*expected), query


async def test_filter_form_keeps_what_was_chosen_and_shows_dutch_labels(as_staff):
    need(municipality_nis="44021", category="zwemmen")
    html = await page(as_staff, "/staff/needs?status=nieuw&category=zwemmen&municipality=44021"
                                "&date_from=2026-11-01")
    assert '<option value="nieuw" selected>Nieuw</option>' in html
    assert '<option value="zwemmen" selected>Zwemmen</option>' in html
    assert 'name="municipality" list="gemeenten" value="Gent"' in html
    assert 'name="date_from" value="01-11-2026"' in html
    assert '<option value="in_behandeling">In behandeling</option>' in html
    assert '<option value="kinderopvang">Kinderopvang</option>' in html


@pytest.mark.parametrize("query, message", [
    ("date_from=31-02-2026", "De datum '31-02-2026' klopt niet"),
    ("date_to=gisteren", "De datum 'gisteren' klopt niet"),
    ("date_from=10-11-2026&date_to=01-11-2026", "De begindatum ligt na de einddatum."),
    ("status=verdwenen", "Onbekende status"),
    ("municipality=Gnet", "Ik ken geen gemeente 'Gnet'. Bedoel je Gent?"),
    ("sort=code", "Sorteren op 'code' kan niet."),
])
async def test_a_bad_filter_gets_a_clear_message_not_an_error(as_staff, query, message):
    need()
    html = await page(as_staff, f"/staff/needs?{query}", status=400)
    assert message in html
    assert listed(html) == []  # no table that pretends to show the filter


async def test_sorting_on_municipality_category_and_status(as_staff):
    brugge = need(municipality_nis="31005", category="zwemmen", now=T0)
    aalst = need(municipality_nis="41002", category="film", now=T0 + timedelta(1),
                 status="opgelost")
    zele = need(municipality_nis="42028", category="museum", now=T0 + timedelta(2),
                status="in_behandeling")
    assert listed(await page(as_staff, "/staff/needs?sort=municipality&order=asc")) == \
        codes(aalst, brugge, zele)
    assert listed(await page(as_staff, "/staff/needs?sort=municipality&order=desc")) == \
        codes(zele, brugge, aalst)
    assert listed(await page(as_staff, "/staff/needs?sort=category&order=asc")) == \
        codes(aalst, zele, brugge)  # Film, Museum en erfgoed, Zwemmen
    assert listed(await page(as_staff, "/staff/needs?sort=status&order=asc")) == \
        codes(brugge, zele, aalst)  # the workflow's order
    assert listed(await page(as_staff, "/staff/needs?sort=created_at&order=asc")) == \
        codes(brugge, aalst, zele)


async def test_sort_links_keep_the_filter_and_flip_the_order(as_staff):
    need(category="zwemmen")
    html = await page(as_staff, "/staff/needs?category=zwemmen&sort=municipality&order=asc")
    assert '<th scope="col" aria-sort="ascending">' in html
    assert 'href="/staff/needs?category=zwemmen&sort=municipality&order=desc"' in html
    assert 'href="/staff/needs?category=zwemmen&sort=status&order=asc"' in html


async def test_paging_keeps_the_filter(as_staff):
    made = [need(f"Vraag {i}", category="film", now=T0 + timedelta(minutes=i))
            for i in range(30)]
    need("Andere categorie", category="sport")
    first = await page(as_staff, "/staff/needs?category=film")
    assert listed(first) == codes(*reversed(made[5:]))
    assert "Pagina 1 van 2 (30 in totaal)" in first
    assert 'href="?category=film&page=2"' in first
    second = await page(as_staff, "/staff/needs?category=film&page=2")
    assert listed(second) == codes(*reversed(made[:5]))
    everything = await page(as_staff, "/staff/needs?category=film&per=50")
    assert len(listed(everything)) == 30


# --- one need ---------------------------------------------------------------------------------

async def test_need_page_shows_the_need_escaped(as_staff):
    made = need('<script>alert("x")</script> <b>vet</b> & "aanhalingstekens"',
                municipality_nis="44021", category="zwemmen", barriers=["vervoer"],
                audience="kinderen")
    response = await as_staff.get(f"/staff/needs/{made.id}")
    raw = await response.text()
    assert "<script>alert" not in raw and "<b>vet</b>" not in raw
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &lt;b&gt;vet&lt;/b&gt; &amp;" in raw
    html = unescape(raw)
    assert f"<h1>Melding {made.display_code}</h1>" in html
    for shown in ("Gent", "Zwemmen", "Vervoer geregeld", "Kinderen", "Inwoner", "Nood"):
        assert shown in html
    inbox = await (await as_staff.get("/staff/needs")).text()
    assert "<script>alert" not in inbox and "&lt;script&gt;" in inbox


async def test_unknown_or_malformed_need_is_a_404_page(as_staff):
    for path in ("/staff/needs/4242", "/staff/needs/abc", "/staff/needs/99999999999999999"):
        html = await page(as_staff, path, status=404)
        assert "Deze melding bestaat niet (meer)." in html
    response = await post_form(as_staff, "/staff/needs/4242/note", {"text": "x"},
                               token_from="/staff/needs")
    assert response.status == 404


async def test_status_form_offers_only_the_allowed_next_states(as_staff):
    made = need()
    html = await page(as_staff, f"/staff/needs/{made.id}")
    form = html[html.index('id="new-status"'):html.index("</select>", html.index('id="new-status"'))]
    assert re.findall(r'<option value="(\w+)">', form) == ["in_behandeling"]
    change_status(None, made.id, "in_behandeling", by="an")
    html = await page(as_staff, f"/staff/needs/{made.id}")
    form = html[html.index('id="new-status"'):html.index("</select>", html.index('id="new-status"'))]
    assert set(re.findall(r'<option value="(\w+)">', form)) == {
        "doorgegeven", "opgelost", "niet_haalbaar", "dubbel"}


async def test_status_change_with_a_note_lands_in_history_and_audit(as_staff):
    made = need()
    response = await post_form(as_staff, f"/staff/needs/{made.id}/status",
                               {"status": "in_behandeling", "note": "Ik bel de sportdienst"},
                               token_from=f"/staff/needs/{made.id}")
    assert response.status == 303
    assert response.headers["Location"] == f"/staff/needs/{made.id}#status"
    html = await page(as_staff, f"/staff/needs/{made.id}")
    assert "De status is nu 'In behandeling'." in html
    history = html[html.index('id="geschiedenis"'):]
    assert "Status: 'Nieuw' → 'In behandeling'" in history
    assert "Ik bel de sportdienst" in history and "<td>mila</td>" in history
    assert history.index("Aangemaakt met status 'Nieuw'") < history.index("In behandeling")
    with session_scope() as db:
        entry = db.execute(select(AuditEntry).where(AuditEntry.action == "need.status")
                           ).scalar_one()
        assert (entry.actor, entry.target_id) == ("mila", str(made.id))


@pytest.mark.parametrize("forged", ["opgelost", "nieuw", "verdwenen", ""])
async def test_a_forged_transition_is_refused_with_a_clear_message(as_staff, forged):
    made = need()
    response = await post_form(as_staff, f"/staff/needs/{made.id}/status",
                               {"status": forged, "note": "geforceerd"},
                               token_from=f"/staff/needs/{made.id}")
    assert response.status == 303
    html = await page(as_staff, f"/staff/needs/{made.id}")
    assert "Van 'Nieuw' naar '" in html and "kan niet." in html
    assert 'class="flash flash-error"' in html
    assert find_by_code(made.code).status == "nieuw"
    assert "geforceerd" not in html[html.index('id="geschiedenis"'):]


async def test_notes_are_redacted_and_shown_in_the_history(as_staff):
    made = need()
    await post_form(as_staff, f"/staff/needs/{made.id}/note",
                    {"text": "Moeder belde: 0470 12 34 56"}, token_from=f"/staff/needs/{made.id}")
    html = await page(as_staff, f"/staff/needs/{made.id}")
    assert "De notitie is bewaard." in html
    history = html[html.index('id="geschiedenis"'):]
    assert "Interne notitie" in history and "Moeder belde: [telefoonnummer]" in history
    assert "0470" not in html


@pytest.mark.parametrize("text, message", [("", "Schrijf eerst een notitie."),
                                           ("x" * 2001, "De notitie is te lang")])
async def test_an_empty_or_too_long_note_is_refused(as_staff, text, message):
    made = need()
    await post_form(as_staff, f"/staff/needs/{made.id}/note", {"text": text},
                    token_from=f"/staff/needs/{made.id}")
    html = await page(as_staff, f"/staff/needs/{made.id}")
    assert message in html
    assert "Interne notitie" not in html[html.index('id="geschiedenis"'):]


async def test_the_public_reply_is_what_the_resident_reads_by_code(as_staff):
    made = need()
    await post_form(as_staff, f"/staff/needs/{made.id}/reply",
                    {"reply": "Vanaf mei is er zwemles op zaterdag."},
                    token_from=f"/staff/needs/{made.id}")
    assert status_reply(f"wat is er met {made.display_code}?")[-1] == \
        "Ons antwoord: Vanaf mei is er zwemles op zaterdag."
    html = await page(as_staff, f"/staff/needs/{made.id}")
    assert ">Vanaf mei is er zwemles op zaterdag.</textarea>" in html
    assert "Publiek antwoord gewijzigd" in html[html.index('id="geschiedenis"'):]


async def test_assignment_offers_active_staff_and_filters_the_inbox(as_admin):
    made, other = need(), need("Tweede")
    html = await page(as_admin, f"/staff/needs/{made.id}")
    assigned = html[html.index('id="assignee"'):html.index("</select>", html.index('id="assignee"'))]
    assert re.findall(r'<option value="([^"]*)"', assigned) == ["", "admin", "mila"]
    await post_form(as_admin, f"/staff/needs/{made.id}/assign", {"assigned_to": "mila"},
                    token_from=f"/staff/needs/{made.id}")
    html = await page(as_admin, f"/staff/needs/{made.id}")
    assert '<option value="mila" selected>mila</option>' in html
    assert "Toegewezen aan mila" in html[html.index('id="geschiedenis"'):]
    assert listed(await page(as_admin, "/staff/needs?assigned_to=mila")) == [made.display_code]
    assert listed(await page(as_admin, "/staff/needs?assigned_to=-")) == [other.display_code]
    await post_form(as_admin, f"/staff/needs/{made.id}/assign", {"assigned_to": "onbekend"},
                    token_from=f"/staff/needs/{made.id}")
    assert "Er is geen actieve medewerker 'onbekend'." in await page(
        as_admin, f"/staff/needs/{made.id}")
    assert find_by_code(made.code).assigned_to == "mila"


async def test_duplicate_of_is_a_link_both_ways(as_staff):
    first, second = need("Zwemles"), need("Ook zwemles")
    await post_form(as_staff, f"/staff/needs/{second.id}/duplicate",
                    {"code": first.display_code.lower()}, token_from=f"/staff/needs/{second.id}")
    html = await page(as_staff, f"/staff/needs/{second.id}")
    assert f'<dt>Dubbel van</dt>\n  <dd><a href="/staff/needs/{first.id}">{first.display_code}</a>' \
        in html
    assert f"Dubbel van {first.display_code}" in html[html.index('id="geschiedenis"'):]
    back = await page(as_staff, f"/staff/needs/{first.id}")
    assert f'<a href="/staff/needs/{second.id}">{second.display_code}</a>' in back
    for code, message in ((second.display_code, "Een melding kan geen dubbel van zichzelf zijn."),
                          ("K7Q4-M2XA", "Er is geen melding met code K7Q4-M2XA."),
                          ("zomaar iets", "is geen geldige code")):
        await post_form(as_staff, f"/staff/needs/{second.id}/duplicate", {"code": code},
                        token_from=f"/staff/needs/{second.id}")
        assert message in await page(as_staff, f"/staff/needs/{second.id}")
    assert find_by_code(second.code).duplicate_of_id == first.id


async def test_the_conversation_around_the_need_is_shown_redacted(as_staff):
    tracker_url = config.load().tracker_store_url
    await save_conversation(tracker_store(tracker_url), "gesprek-1", T0 - timedelta(minutes=1),
                            texts=("ik zoek zwemles", "mijn nummer is 0470 12 34 56"))
    made = need(sender_id="gesprek-1")
    html = await page(as_staff, f"/staff/needs/{made.id}")
    talk = html[html.index('id="gesprek"'):html.index('id="status"')]
    assert "ik zoek zwemles" in talk and "Antwoord op ik zoek zwemles" in talk
    assert "[telefoonnummer]" in talk and "0470" not in talk
    assert "<code>greet</code> (100%)" in talk
    assert 'href="/staff/conversations/gesprek-1"' in talk


async def test_no_conversation_says_so(as_staff):
    for sender in (None, "nooit-bewaard"):
        made = need(sender_id=sender)
        html = await page(as_staff, f"/staff/needs/{made.id}")
        assert "Geen gesprek (meer) bewaard." in html


# --- bulk -------------------------------------------------------------------------------------

async def bulk(client, ids, status, note="", back="status=nieuw&sort=status&order=asc"):
    token = await csrf_of(client, "/staff/needs")
    data = [("csrf_token", token), ("status", status), ("note", note), ("back", back)]
    data += [("ids", str(i)) for i in ids]
    return await client.post("/staff/needs/bulk", data=data, allow_redirects=False)


async def test_bulk_change_reports_what_changed_and_keeps_the_filter(as_staff):
    first, second = need("Een"), need("Twee")
    busy = need("Drie", status="in_behandeling")
    response = await bulk(as_staff, [first.id, second.id, busy.id], "in_behandeling",
                          note="Samen opgenomen")
    assert response.status == 303
    assert response.headers["Location"] == "/staff/needs?status=nieuw&sort=status&order=asc"
    html = await page(as_staff, response.headers["Location"])
    assert f"2 meldingen nu 'In behandeling': {first.display_code}, {second.display_code}." \
        in html
    assert (f"Niet gewijzigd, want naar 'In behandeling' kan niet vanuit hun status: "
            f"{busy.display_code}.") in html
    assert find_by_code(first.code).status == "in_behandeling"
    detail = await page(as_staff, f"/staff/needs/{first.id}")
    assert "Samen opgenomen" in detail[detail.index('id="geschiedenis"'):]


async def test_bulk_refuses_nothing_chosen_and_unknown_status(as_staff):
    made = need()
    response = await bulk(as_staff, [], "in_behandeling", back="")
    assert response.headers["Location"] == "/staff/needs"
    assert "Kies eerst een of meer meldingen." in await page(as_staff, "/staff/needs")
    await bulk(as_staff, [made.id], "weg")
    assert "Onbekende status: weg." in await page(as_staff, "/staff/needs")
    await bulk(as_staff, [made.id, 4242], "in_behandeling")
    html = await page(as_staff, "/staff/needs")
    assert "1 melding nu 'In behandeling'" in html
    assert "1 gekozen melding bestaat niet (meer)." in html


async def test_bulk_goes_back_to_the_inbox_only(as_staff):
    made = need()
    response = await bulk(as_staff, [made.id], "in_behandeling",
                          back="status=nieuw&next=https://evil.example/&per=50&page=3")
    assert response.headers["Location"] == "/staff/needs?status=nieuw&per=50&page=3"


async def test_inbox_rows_can_be_chosen_for_bulk(as_staff):
    made = need()
    html = await page(as_staff, "/staff/needs?status=nieuw")
    assert (f'<input type="checkbox" name="ids" value="{made.id}" id="kies-{made.id}" '
            f'aria-label="Kies melding {made.display_code}">') in html
    assert '<form method="post" action="/staff/needs/bulk">' in html
    assert '<input type="hidden" name="back" value="status=nieuw">' in html
