"""/staff/conversations through the real app, on tracker data written by Rasa's own store."""
from __future__ import annotations

import re
from datetime import timedelta

import yaml
from sqlalchemy import select

from bot import feedback
from bot.audit import AuditEntry
from bot.db import session_scope
from tests.staff.conftest import csrf_of, post_form
from tests.test_transcripts import T0, action, bot, fallback, save_conversation, user

LONG = "0f8fad5b-d9cb-469f-a165-70867728950e"
OTHER = "7c9e6679-7425-40de-944b-e07cc1f90ae7"
RANGE = "from=2026-11-01&to=2026-11-30"


def _conversations():
    save_conversation(LONG, [
        user("Ik zoek <script>alert(1)</script> zwemles", "ask_offering", 0.93),
        action("utter_offerings"),
        bot("Dit vond ik voor jou."),
        fallback("iets met knutselen", "ask_offering", 0.41),
        action("action_two_stage_fallback"),
        bot("Bedoel je: aanbod zoeken?"),
    ], start=T0 + timedelta(days=1))
    save_conversation(OTHER, [
        user("Ik wil iets melden", "log_need", 0.97),
        action("action_store_need"),
        bot("Ik heb het doorgegeven."),
    ], start=T0)
    feedback.save(LONG, 0, "down", "Dit vond ik voor jou.")


def _shown_ids(html: str) -> list[str]:
    """The conversations the page links to, in order (not the export link)."""
    return [found for found in re.findall(r'href="/staff/conversations/([^"/]+)"', html)
            if not found.startswith("fallbacks.yml")]


def _review_audit() -> list[tuple]:
    with session_scope() as db:
        entries = db.execute(
            select(AuditEntry).where(AuditEntry.target_type == "conversation")
        ).scalars().all()
        return [(e.actor, e.action, e.target_id) for e in entries]


async def test_list_needs_a_session(staff_client):
    response = await staff_client.get("/staff/conversations", allow_redirects=False)
    assert response.status == 302 and "/staff/login" in response.headers["Location"]
    response = await staff_client.get("/staff/conversations/fallbacks.yml",
                                      allow_redirects=False)
    assert response.status == 302


async def test_list_newest_first_with_short_ids(as_staff):
    _conversations()
    response = await as_staff.get(f"/staff/conversations?{RANGE}")
    html = await response.text()
    assert response.status == 200
    assert _shown_ids(html) == [LONG, OTHER]
    assert "0f8fad5b…" in html and f">{LONG}<" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert 'aria-current="page">Gesprekken' in html


async def test_filters_in_the_url(as_staff):
    _conversations()
    for flag, expected in [("fallback", [LONG]), ("need", [OTHER]), ("low", [LONG]),
                           ("down", [LONG]), ("unreviewed", [LONG, OTHER])]:
        html = await (await as_staff.get(f"/staff/conversations?{RANGE}&{flag}=1")).text()
        assert _shown_ids(html) == expected, flag
        assert f'name="{flag}" value="1" checked' in html
    html = await (await as_staff.get("/staff/conversations?from=2026-11-03&to=2026-11-03"))\
        .text()
    assert _shown_ids(html) == [LONG]
    html = await (await as_staff.get("/staff/conversations?from=2026-11-01&to=2026-11-02"))\
        .text()
    assert _shown_ids(html) == [OTHER]


async def test_bad_dates_get_a_dutch_message(as_staff):
    response = await as_staff.get("/staff/conversations?from=gisteren")
    assert response.status == 400
    assert "jjjj-mm-dd" in await response.text()
    response = await as_staff.get("/staff/conversations?from=2026-11-05&to=2026-11-01")
    assert response.status == 400
    response = await as_staff.get("/staff/conversations/fallbacks.yml?to=2026-13-01")
    assert response.status == 400


async def test_paging_keeps_the_filters(as_staff):
    for n in range(27):
        save_conversation(f"conv-{n:02d}", [fallback(f"vraag {n}", "greet", 0.1)],
                          start=T0 + timedelta(minutes=n))
    html = await (await as_staff.get(f"/staff/conversations?{RANGE}&fallback=1")).text()
    assert len(_shown_ids(html)) == 25 and _shown_ids(html)[0] == "conv-26"
    next_link = re.search(r'href="(\?[^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "fallback=1" in next_link and "from=2026-11-01" in next_link
    html = await (await as_staff.get(f"/staff/conversations{next_link}")).text()
    assert _shown_ids(html) == ["conv-01", "conv-00"]


async def test_transcript_shows_intents_fallback_and_feedback(as_staff):
    _conversations()
    response = await as_staff.get(f"/staff/conversations/{LONG}")
    html = await response.text()
    assert response.status == 200
    assert LONG in html  # the full code once, on the detail page
    assert "<code>ask_offering</code>" in html and "93%" in html and "41%" in html
    assert "Terugval" in html and "Lage zekerheid" in html
    assert "Niet nuttig" in html  # the 👎 on the first bot answer
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "Markeer als bekeken" in html


async def test_unknown_sender_is_a_404_page(as_staff):
    _conversations()
    for path in ("/staff/conversations/unknown", "/staff/conversations/" + "x" * 300):
        response = await as_staff.get(path)
        assert response.status == 404
        assert "Gesprek niet gevonden" in await response.text()
    response = await post_form(as_staff, "/staff/conversations/unknown/reviewed", {},
                               token_from="/staff/conversations")
    assert response.status == 404


async def test_mark_reviewed(as_staff):
    _conversations()
    path = f"/staff/conversations/{LONG}"
    response = await post_form(as_staff, f"{path}/reviewed", {}, token_from=path)
    assert response.status == 303 and response.headers["Location"] == path
    html = await (await as_staff.get(path)).text()
    assert "Het gesprek is gemarkeerd als bekeken." in html
    assert "ja, door mila" in html and "Markeer als bekeken" not in html
    html = await (await as_staff.get(f"/staff/conversations?{RANGE}&unreviewed=1")).text()
    assert _shown_ids(html) == [OTHER]
    assert _review_audit() == [
        ("mila", "conversation.reviewed", LONG)]


async def test_mark_reviewed_needs_the_csrf_token(as_staff):
    _conversations()
    response = await as_staff.post(f"/staff/conversations/{LONG}/reviewed",
                                   data={"csrf_token": "wrong"}, allow_redirects=False)
    assert response.status == 403
    assert _review_audit() == []


async def test_fallbacks_yaml_download(as_staff):
    _conversations()
    save_conversation("older", [fallback("heel oude vraag", "greet", 0.1)],
                      start=T0 - timedelta(days=20))
    response = await as_staff.get(f"/staff/conversations/fallbacks.yml?{RANGE}")
    assert response.status == 200
    assert response.content_type == "text/yaml" and response.charset == "utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    data = yaml.safe_load(await response.text())
    assert data["nlu"][0]["intent"] == "TODO_label"
    assert data["nlu"][0]["examples"].splitlines() == ["- iets met knutselen"]
    # The list page links to the export with the same filter.
    html = await (await as_staff.get(f"/staff/conversations?{RANGE}&down=1")).text()
    assert "/staff/conversations/fallbacks.yml?down=1&amp;from=2026-11-01&amp;to=2026-11-30" \
        in html


async def test_tracker_store_down_is_a_503_page(as_staff, monkeypatch, tmp_path):
    (tmp_path / "no-dir").write_text("a file where a directory should be")
    monkeypatch.setenv("KLIK_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'no-dir' / 't.db'}")
    response = await as_staff.get("/staff/conversations")
    assert response.status == 503
    assert "niet beschikbaar" in await response.text()


async def test_admin_sees_it_too(as_admin):
    _conversations()
    response = await as_admin.get(f"/staff/conversations/{OTHER}")
    assert response.status == 200
    assert await csrf_of(as_admin, f"/staff/conversations/{OTHER}")
