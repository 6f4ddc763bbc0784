"""The status workflow: one table of allowed changes, history rows, closing and reopening;
and the migration matches the models."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from bot.db import Base, get_engine, session_scope
from bot.needs import TransitionNotAllowed, change_status, find_by_code, record_need, workflow
from bot.needs.model import NeedStatusChange

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def test_table_has_the_agreed_shape():
    assert workflow.TRANSITIONS["nieuw"] == {"in_behandeling"}
    assert workflow.TRANSITIONS["in_behandeling"] == {
        "doorgegeven", "opgelost", "niet_haalbaar", "dubbel"
    }
    for final in workflow.FINAL:
        assert workflow.TRANSITIONS[final] == {"in_behandeling"}  # reopening
    # Every target is itself a known state.
    for targets in workflow.TRANSITIONS.values():
        assert targets <= set(workflow.TRANSITIONS)


@pytest.mark.parametrize(
    "current, new",
    [("nieuw", "opgelost"), ("nieuw", "nieuw"), ("opgelost", "dubbel"), ("dubbel", "nieuw"),
     ("in_behandeling", "nieuw"), ("nieuw", "verdwenen")],
)
def test_transitions_outside_the_table_are_refused(current, new):
    with pytest.raises(TransitionNotAllowed):
        workflow.check_transition(current, new)


def test_change_status_walks_the_table_and_keeps_history(db_url):
    need = record_need(db_url, kind="nood", source="inwoner", text="Geen zwemles", now=T0)
    change_status(db_url, need.id, "in_behandeling", by="an", now=T0 + timedelta(days=1))
    change_status(db_url, need.id, "opgelost", by="an", note="Club gevonden",
                  now=T0 + timedelta(days=2))
    closed = find_by_code(need.code, db_url)
    assert closed.status == "opgelost" and closed.closed_at == T0 + timedelta(days=2)

    change_status(db_url, need.id, "in_behandeling", by="bert", now=T0 + timedelta(days=3))
    reopened = find_by_code(need.code, db_url)
    assert reopened.status == "in_behandeling" and reopened.closed_at is None

    with session_scope(db_url) as session:
        rows = session.execute(
            select(NeedStatusChange).where(NeedStatusChange.need_id == need.id)
            .order_by(NeedStatusChange.id)
        ).scalars().all()
        assert [(r.from_status, r.to_status, r.changed_by, r.note) for r in rows] == [
            (None, "nieuw", "inwoner", None),
            ("nieuw", "in_behandeling", "an", None),
            ("in_behandeling", "opgelost", "an", "Club gevonden"),
            ("opgelost", "in_behandeling", "bert", None),
        ]


def test_a_refused_change_changes_nothing(db_url):
    need = record_need(db_url, kind="idee", source="inwoner", text="Repair café")
    with pytest.raises(TransitionNotAllowed):
        change_status(db_url, need.id, "opgelost", by="an")
    assert find_by_code(need.code, db_url).status == "nieuw"
    with session_scope(db_url) as session:
        assert len(session.execute(select(NeedStatusChange)).scalars().all()) == 1


def test_unknown_need_is_a_lookup_error(sqlite_url):
    with pytest.raises(LookupError):
        change_status(sqlite_url, 4242, "in_behandeling", by="an")


def test_history_rows_cannot_be_changed(sqlite_url):
    need = record_need(sqlite_url, kind="idee", source="inwoner", text="Repair café")
    with pytest.raises(ValueError, match="append-only"):
        with session_scope(sqlite_url) as session:
            row = session.execute(
                select(NeedStatusChange).where(NeedStatusChange.need_id == need.id)
            ).scalar_one()
            row.note = "achteraf aangepast"


def test_migration_matches_the_models(db_url):
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = {"need", "need_status_change"}

    def table_of(change):
        op = change[0] if isinstance(change, list) else change
        for item in op[1:]:
            name = getattr(item, "name", None) if not isinstance(item, str) else None
            table = getattr(item, "table", None)
            if table is not None and table.name in ours:
                return table.name
            if name in ours:
                return name
            if isinstance(item, str) and item in ours:
                return item
        return None

    assert [c for c in diff if table_of(c)] == []
