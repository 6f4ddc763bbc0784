"""What staff do with a need: notes, public reply, assignment, "dubbel van", bulk status changes.
Every change is audited in the same transaction; the migration matches the models."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from bot import accounts
from bot.audit import AuditEntry
from bot.db import Base, dispose_all, get_engine, migrate, session_scope
from bot.needs import (
    NeedChangeRefused,
    TransitionNotAllowed,
    add_note,
    assign,
    bulk_change_status,
    change_status,
    find_by_code,
    format_code,
    mark_duplicate_of,
    record_need,
    set_public_reply,
    status_message,
)
from bot.needs.model import Need, NeedNote, NeedStatusChange

T0 = datetime(2026, 2, 3, 9, 0, tzinfo=timezone.utc)
NEED_TABLES = {"need", "need_status_change", "need_note"}


@pytest.fixture
def url(db_url) -> str:
    """A database migrated to the latest revision, on each backend (conftest)."""
    return db_url


def _need(url, text="Geen zwemles op zaterdag", code=None, **fields):
    extra = {"code_factory": lambda: code} if code else {}
    return record_need(url, kind="nood", source="inwoner", text=text, now=T0, **extra, **fields)


def _audit(url, action=None) -> list[AuditEntry]:
    with session_scope(url) as db:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(db.execute(query).scalars())


def test_change_status_also_writes_an_audit_row(url):
    need = _need(url)
    change_status(url, need.id, "in_behandeling", by="an", note="Bel 0470 12 34 56 terug",
                  now=T0 + timedelta(hours=1))
    [entry] = _audit(url, "need.status")
    assert (entry.actor, entry.target_type, entry.target_id) == ("an", "need", str(need.id))
    assert entry.before == {"status": "nieuw"}
    assert entry.after["status"] == "in_behandeling"
    assert "0470" not in entry.after["note"]  # the note is redacted, in history and audit
    with session_scope(url) as db:
        row = db.execute(select(NeedStatusChange).where(
            NeedStatusChange.to_status == "in_behandeling")).scalar_one()
        assert "0470" not in row.note and "[telefoonnummer]" in row.note
        assert entry.at == row.changed_at == T0 + timedelta(hours=1)


def test_a_refused_transition_writes_no_audit_row(url):
    need = _need(url)
    with pytest.raises(TransitionNotAllowed):
        change_status(url, need.id, "opgelost", by="an")
    assert _audit(url, "need.status") == []
    assert find_by_code(need.code, url).status == "nieuw"


def test_notes_are_redacted_kept_in_order_and_audited(url):
    need = _need(url)
    add_note(url, need.id, "Mail naar an@telenet.be gestuurd", by="an", now=T0 + timedelta(1))
    add_note(url, need.id, "Sportdienst belt terug", by="bert", now=T0 + timedelta(2))
    with session_scope(url) as db:
        notes = db.get(Need, need.id).notes
        assert [(n.author, n.text) for n in notes] == [
            ("an", "Mail naar [e-mail] gestuurd"), ("bert", "Sportdienst belt terug")]
    assert [(e.actor, e.after) for e in _audit(url, "need.note")] == [
        ("an", {"note": "Mail naar [e-mail] gestuurd"}),
        ("bert", {"note": "Sportdienst belt terug"})]


@pytest.mark.parametrize("text, message", [("   ", "Schrijf eerst"), ("x" * 2001, "te lang")])
def test_empty_or_too_long_note_is_refused(url, text, message):
    need = _need(url)
    with pytest.raises(NeedChangeRefused, match=message):
        add_note(url, need.id, text, by="an")
    assert _audit(url, "need.note") == []


def test_notes_are_append_only(url):
    need = _need(url)
    add_note(url, need.id, "Eerste versie", by="an")
    with pytest.raises(ValueError, match="append-only"):
        with session_scope(url) as db:
            db.execute(select(NeedNote)).scalar_one().text = "achteraf anders"


def test_public_reply_reaches_the_resident_and_can_be_cleared(url):
    need = _need(url)
    set_public_reply(url, need.id, "Vanaf mei is er zwemles op zaterdag.", by="an")
    assert status_message(find_by_code(need.code, url))[-1] == (
        "Ons antwoord: Vanaf mei is er zwemles op zaterdag.")
    set_public_reply(url, need.id, "Vanaf mei is er zwemles op zaterdag.", by="an")  # same
    set_public_reply(url, need.id, "", by="bert")
    assert find_by_code(need.code, url).public_reply is None
    assert [(e.actor, e.before, e.after) for e in _audit(url, "need.reply")] == [
        ("an", {"reply": None}, {"reply": "Vanaf mei is er zwemles op zaterdag."}),
        ("bert", {"reply": "Vanaf mei is er zwemles op zaterdag."}, {"reply": None}),
    ]


def test_assign_only_to_an_active_staff_member(url):
    with session_scope(url) as db:
        accounts.create_user(db, "an", "een-lang-wachtwoord", "staff")
        accounts.create_user(db, "oud", "een-lang-wachtwoord", "staff")
        accounts.set_active(db, "oud", False, by="system")
    need = _need(url)
    assign(url, need.id, "An", by="bert")
    assert find_by_code(need.code, url).assigned_to == "an"
    for name in ("oud", "niemand"):
        with pytest.raises(NeedChangeRefused, match="geen actieve medewerker"):
            assign(url, need.id, name, by="bert")
    assign(url, need.id, None, by="bert")
    assert find_by_code(need.code, url).assigned_to is None
    assert [(e.before, e.after) for e in _audit(url, "need.assign")] == [
        ({"assigned_to": None}, {"assigned_to": "an"}),
        ({"assigned_to": "an"}, {"assigned_to": None}),
    ]


def test_duplicate_is_a_link_both_ways_not_a_merge(url):
    first, second = _need(url), _need(url, "Ook geen zwemles")
    mark_duplicate_of(url, second.id, format_code(first.code).lower(), by="an")
    with session_scope(url) as db:
        original, copy = db.get(Need, first.id), db.get(Need, second.id)
        assert copy.duplicate_of is original and original.duplicates == [copy]
        assert copy.text == "Ook geen zwemles" and copy.status == "nieuw"  # nothing merged
    [entry] = _audit(url, "need.duplicate")
    assert entry.after == {"duplicate_of": first.code} and entry.target_id == str(second.id)
    mark_duplicate_of(url, second.id, "", by="an")
    assert find_by_code(second.code, url).duplicate_of_id is None


def test_duplicate_refuses_itself_unknown_and_circular_codes(url):
    first = _need(url, code="K7Q4M2XF")
    second = _need(url, "Ook geen zwemles", code="A3C4D5EF")
    with pytest.raises(NeedChangeRefused, match="zichzelf"):
        mark_duplicate_of(url, first.id, "k7q4 m2xf", by="an")
    with pytest.raises(NeedChangeRefused, match="geen melding met code K7Q4-M2XA"):
        mark_duplicate_of(url, first.id, "K7Q4-M2XA", by="an")
    with pytest.raises(NeedChangeRefused, match="geen geldige code"):
        mark_duplicate_of(url, first.id, "hallo", by="an")
    mark_duplicate_of(url, second.id, first.code, by="an")
    with pytest.raises(NeedChangeRefused, match="al een dubbel"):
        mark_duplicate_of(url, first.id, second.code, by="an")
    assert len(_audit(url, "need.duplicate")) == 1


def test_bulk_changes_what_the_table_allows_and_reports_the_rest(url):
    new = _need(url)
    busy = _need(url, "Tweede")
    change_status(url, busy.id, "in_behandeling", by="an")
    result = bulk_change_status(url, [new.id, busy.id, 9999, busy.id], "opgelost", by="bert",
                                note="Opgelost in overleg", now=T0 + timedelta(3))
    assert result.changed == [format_code(busy.code)]
    assert [code for code, _ in result.refused] == [format_code(new.code)]
    assert "kan niet" in result.refused[0][1]
    assert result.missing == [9999]
    assert find_by_code(new.code, url).status == "nieuw"
    done = find_by_code(busy.code, url)
    assert done.status == "opgelost" and done.closed_at == T0 + timedelta(3)
    bulk = [e for e in _audit(url, "need.status") if e.actor == "bert"]
    assert [(e.target_id, e.after["bulk"], e.after["note"]) for e in bulk] == [
        (str(busy.id), True, "Opgelost in overleg")]


@pytest.mark.parametrize("ids, status, message", [
    ([], "opgelost", "Kies eerst"), ([1], "verdwenen", "Onbekende status"),
    (list(range(1, 502)), "opgelost", "hoogstens"),
])
def test_bulk_refuses_nonsense_before_touching_anything(url, ids, status, message):
    _need(url)
    with pytest.raises(NeedChangeRefused, match=message):
        bulk_change_status(url, ids, status, by="an")
    with session_scope(url) as db:
        assert db.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == 0


def test_unknown_need_is_a_lookup_error_for_every_change(url):
    for change in (lambda: add_note(url, 4242, "x", by="an"),
                   lambda: set_public_reply(url, 4242, "x", by="an"),
                   lambda: assign(url, 4242, None, by="an"),
                   lambda: mark_duplicate_of(url, 4242, "", by="an")):
        with pytest.raises(LookupError):
            change()


def test_migration_matches_the_models_for_the_need_tables(url):
    with get_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)

    def tables(change) -> set:
        found = set()
        for op in (change if isinstance(change, list) else [change]):
            for item in op[1:]:
                table = getattr(item, "table", None)
                found.add(table.name if table is not None else getattr(item, "name", item))
        return found

    assert [c for c in diff if tables(c) & NEED_TABLES] == []


def test_upgrade_keeps_the_history_of_existing_needs(tmp_path):
    """0007 alters the need table in place: rebuilding it on SQLite would cascade-delete the
    status history of every need."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, "0006")
    with get_engine(url).begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO need (code, created_at, kind, source, barriers, text, consent_given,"
            " consent_at, status) VALUES ('K7Q4M2XF', '2026-01-01 00:00:00', 'nood', 'inwoner',"
            " '[]', 'x', 1, '2026-01-01 00:00:00', 'nieuw')")
        conn.exec_driver_sql(
            "INSERT INTO need_status_change (need_id, to_status, changed_by, changed_at)"
            " VALUES (1, 'nieuw', 'inwoner', '2026-01-01 00:00:00')")
    migrate.upgrade(url)
    with session_scope(url) as db:
        assert db.execute(select(func.count()).select_from(NeedStatusChange)).scalar_one() == 1
        assert db.get(Need, 1).assigned_to is None
    dispose_all()
