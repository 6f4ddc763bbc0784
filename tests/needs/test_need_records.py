"""The need record: content, consent, reference codes, status by code, failure handling."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select, text

from bot.db import get_engine, session_factory, session_scope
from bot.needs import (
    NO_CODE,
    UNKNOWN_CODE,
    ConsentMissing,
    NeedNotSaved,
    NeedStoreUnavailable,
    find_by_code,
    format_code,
    record_need,
    status_message,
    status_reply,
)
from bot.needs import workflow
from bot.needs.model import Need, NeedStatusChange

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=timezone.utc)


def _count(url, model) -> int:
    with session_scope(url) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_record_keeps_the_fields_and_redacts_the_text(db_url):
    need = record_need(
        db_url,
        kind="vraag_zonder_antwoord",
        source="inwoner",
        text="  Zwemles voor vrouwen in 2300 Turnhout? Bel 0470 12 34 56 of mail an@telenet.be ",
        sender_id="3f1c-sender",
        category="sport",
        barriers=["geld", "kinderopvang", "geld"],
        municipality_nis="13040",
        audience="vrouwen",
        age_band="18-64",
        now=NOW,
    )
    with session_scope(db_url) as session:
        stored = session.get(Need, need.id)
        assert stored.text == (
            "Zwemles voor vrouwen in 2300 Turnhout? Bel [telefoonnummer] of mail [e-mail]"
        )
        assert stored.kind == "vraag_zonder_antwoord"
        assert stored.kind_label == "Vraag zonder antwoord"
        assert stored.source == "inwoner"
        assert stored.category == "sport"
        assert stored.barriers == ["geld", "kinderopvang"]
        assert stored.municipality_nis == "13040"
        assert stored.audience == "vrouwen" and stored.age_band == "18-64"
        assert stored.sender_id == "3f1c-sender"
        assert stored.consent_given is True
        assert stored.consent_at == NOW and stored.created_at == NOW
        assert stored.status == workflow.NIEUW
        assert stored.public_reply is None and stored.closed_at is None
        assert stored.code == need.code and len(stored.code) == 8
        assert [(h.from_status, h.to_status, h.changed_by) for h in stored.history] == [
            (None, "nieuw", "inwoner")
        ]


def test_raw_personal_data_never_reaches_the_table(sqlite_url):
    record_need(
        sqlite_url,
        kind="nood",
        source="hulpverlener",
        text="Cliënt 85.07.30-033.28, Kerkstraat 12, 9000 Gent, BE68 5390 0754 7034",
    )
    # Read the column with plain SQL, past any ORM conversion.
    with get_engine(sqlite_url).connect() as conn:
        raw = conn.execute(text("SELECT text FROM need")).scalar_one()
    assert raw == "Cliënt [rijksregisternummer], [adres], 9000 Gent, [rekeningnummer]"


@pytest.mark.parametrize("consent", [False, None, "ja"])
def test_without_consent_nothing_is_stored(sqlite_url, consent):
    with pytest.raises(ConsentMissing):
        record_need(
            sqlite_url, kind="idee", source="inwoner", text="een repair café", consent=consent
        )
    assert _count(sqlite_url, Need) == 0
    assert _count(sqlite_url, NeedStatusChange) == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "klacht"},
        {"source": "gemeente"},
        {"text": "   "},
        {"municipality_nis": "99999"},
        {"category": "x" * 51},
    ],
)
def test_invalid_fields_are_refused_before_anything_is_written(sqlite_url, fields):
    args = {**dict(kind="idee", source="inwoner", text="een repair café"), **fields}
    with pytest.raises(ValueError):
        record_need(sqlite_url, **args)
    assert _count(sqlite_url, Need) == 0


def test_long_text_is_shortened(sqlite_url):
    need = record_need(sqlite_url, kind="idee", source="inwoner", text="a" * 5000)
    assert len(need.text) == 2000 and need.text.endswith("…")


def test_find_by_code_accepts_how_people_type_it(db_url):
    need = record_need(db_url, kind="idee", source="inwoner", text="Een repair café in de wijk")
    shown = format_code(need.code)
    for typed in (shown, shown.lower(), need.code, f"{need.code[:4]} {need.code[4:]}"):
        found = find_by_code(typed, db_url)
        assert found is not None and found.id == need.id


def test_unknown_and_malformed_codes_find_nothing(db_url):
    need = record_need(db_url, kind="idee", source="inwoner", text="Een repair café")
    # Same code with one character changed: no hint that it is close to a real one.
    other = next(c for c in "23456789ACDEFGHJKMNPQRTVWXY" if c != need.code[-1])
    near = need.code[:-1] + other
    for typed in (near, "", None, "K7Q4", "hallo", "K7Q4-M2X0", "' OR 1=1 --"):
        assert find_by_code(typed, db_url) is None
    assert status_reply(f"wat is er met {format_code(near)}?", db_url) == [UNKNOWN_CODE]


def test_status_message_in_plain_words_with_the_public_reply(sqlite_url):
    need = record_need(sqlite_url, kind="nood", source="inwoner", text="Geen zwemles in Mol")
    assert status_message(need) == [
        f"Dit is de stand van je melding {format_code(need.code)}.",
        "We hebben je melding ontvangen.",
    ]
    with session_scope(sqlite_url) as session:
        session.get(Need, need.id).public_reply = "Vanaf mei is er zwemles op zaterdag."
    reply = status_reply(f"wat is er met mijn melding {need.code.lower()}?", sqlite_url)
    assert reply[1] == "We hebben je melding ontvangen."
    assert reply[2] == "Ons antwoord: Vanaf mei is er zwemles op zaterdag."


def test_status_reply_without_a_code_asks_for_it(sqlite_url):
    assert status_reply("hoe staat het met mijn melding?", sqlite_url) == [NO_CODE]


def test_every_status_has_plain_words_for_residents():
    assert set(workflow.RESIDENT_TEXT) == set(workflow.TRANSITIONS) == set(workflow.LABELS)
    for sentence in workflow.RESIDENT_TEXT.values():
        for part in sentence.split(". "):
            assert len(part.split()) < 15


def test_database_down_raises_need_not_saved():
    down = "postgresql://postgres@127.0.0.1:1/klik"  # nothing listens on port 1
    with pytest.raises(NeedNotSaved):
        record_need(down, kind="idee", source="inwoner", text="een repair café")
    with pytest.raises(NeedStoreUnavailable):
        find_by_code("K7Q4-M2XF", down)


def test_missing_schema_raises_need_not_saved(tmp_path):
    with pytest.raises(NeedNotSaved):
        record_need(f"sqlite:///{tmp_path / 'empty.db'}", kind="idee", source="inwoner", text="x")


def test_nothing_half_written_when_the_second_insert_fails(sqlite_url):
    # The need row is written first, its history row second: break the second.
    with get_engine(sqlite_url).begin() as conn:
        conn.execute(text("DROP TABLE need_status_change"))
    with pytest.raises(NeedNotSaved):
        record_need(sqlite_url, kind="idee", source="inwoner", text="een repair café")
    assert _count(sqlite_url, Need) == 0


def test_a_taken_code_is_retried_with_a_fresh_one(db_url):
    first = record_need(db_url, kind="idee", source="inwoner", text="eerste")
    offered = iter([first.code, first.code, "K7Q4M2XF"])
    second = record_need(
        db_url, kind="idee", source="inwoner", text="tweede", code_factory=lambda: next(offered)
    )
    assert second.code == "K7Q4M2XF"
    assert _count(db_url, Need) == 2
    assert find_by_code(first.code, db_url).text == "eerste"


def test_no_free_code_gives_up_cleanly(db_url):
    first = record_need(db_url, kind="idee", source="inwoner", text="eerste")
    with pytest.raises(NeedNotSaved):
        record_need(
            db_url, kind="idee", source="inwoner", text="x", code_factory=lambda: first.code
        )
    assert _count(db_url, Need) == 1
    assert _count(db_url, NeedStatusChange) == 1


def test_a_callers_session_is_committed(sqlite_url):
    session = session_factory(sqlite_url)()
    try:
        need = record_need(session, kind="idee", source="inwoner", text="via een sessie")
    finally:
        session.close()
    # Visible from another connection, so it was committed.
    assert find_by_code(need.code, sqlite_url).text == "via een sessie"
