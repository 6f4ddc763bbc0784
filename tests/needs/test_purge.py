"""Retention: purge old conversations from Rasa's tracker store and anonymise old closed needs,
with a fixed clock; idempotent; dry run changes nothing; the command line prints counts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from rasa.shared.core.events import UserUttered
from sqlalchemy import text

from bot import cli
from bot.conversations import PurgeReport, count_events, parse_period, purge
from bot.db import get_engine, migrate
from bot.needs import change_status, find_by_code, record_need
from tests.needs.rasa_tracker import save_conversation, tracker_store

NOW = datetime(2027, 6, 1, 3, 0, tzinfo=timezone.utc)
OLD = NOW - timedelta(days=400)
RECENT = NOW - timedelta(days=10)
YEAR = timedelta(days=365)


def _closed_need(db_url, when, status="opgelost", **fields):
    words = fields.pop("text", "Geen zwemles")
    need = record_need(db_url, kind="nood", source="inwoner", text=words, now=when, **fields)
    change_status(db_url, need.id, "in_behandeling", by="an", now=when)
    change_status(db_url, need.id, status, by="an", now=when)
    return need


async def _setup(db_url, tracker_url):
    store = tracker_store(tracker_url)
    events_old = await save_conversation(store, "old", OLD)
    await save_conversation(store, "recent", RECENT)
    # A long conversation: started long ago, still going, so it stays.
    await save_conversation(store, "ongoing", OLD)
    tracker = await store.retrieve("ongoing")
    tracker.update(UserUttered("nog een vraag", timestamp=RECENT.timestamp()))
    await store.save(tracker)

    needs = {
        "open_old_conversation": record_need(
            db_url, kind="nood", source="inwoner", text="Niks voor jongeren", sender_id="old",
            now=OLD),
        "closed_long_ago": _closed_need(db_url, OLD, sender_id="recent"),
        "closed_lately": _closed_need(db_url, RECENT, status="niet_haalbaar", sender_id="recent"),
        "closed_long_ago_old_rules": _closed_need(db_url, OLD, text="Bel me"),
    }
    # Stored under older, weaker rules: the purge redacts it again with today's rules.
    with get_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE need SET text = 'Bel me op 0470 12 34 56' WHERE id = :id"),
                     {"id": needs["closed_long_ago_old_rules"].id})
    return store, events_old, needs


async def test_purge_with_a_fixed_clock(db_url, tracker_url):
    store, events_old, needs = await _setup(db_url, tracker_url)

    dry = purge(YEAR, now=NOW, dry_run=True, tracker_url=tracker_url, db=db_url)
    assert dry == PurgeReport(cutoff=NOW - YEAR, conversations=1, events=events_old,
                              needs_detached=1, needs_anonymised=2, dry_run=True)
    assert count_events("old", tracker_url=tracker_url) == events_old  # nothing changed
    assert find_by_code(needs["open_old_conversation"].code, db_url).sender_id == "old"

    report = purge(YEAR, now=NOW, tracker_url=tracker_url, db=db_url)
    assert report == PurgeReport(cutoff=NOW - YEAR, conversations=1, events=events_old,
                                 needs_detached=1, needs_anonymised=2, dry_run=False)

    assert await store.retrieve("old") is None
    assert await store.retrieve("recent") is not None
    ongoing = await store.retrieve_full_tracker("ongoing")
    assert ongoing.latest_message.text == "nog een vraag"

    def get(name):
        return find_by_code(needs[name].code, db_url)

    assert get("open_old_conversation").sender_id is None
    assert get("open_old_conversation").anonymised_at is None  # open: only detached
    assert get("closed_long_ago").sender_id is None
    assert get("closed_long_ago").anonymised_at == NOW
    assert get("closed_long_ago").text == "Geen zwemles"
    assert get("closed_lately").sender_id == "recent"
    assert get("closed_lately").anonymised_at is None
    assert get("closed_long_ago_old_rules").text == "Bel me op [telefoonnummer]"

    again = purge(YEAR, now=NOW, tracker_url=tracker_url, db=db_url)
    assert again == PurgeReport(cutoff=NOW - YEAR, conversations=0, events=0,
                                needs_detached=0, needs_anonymised=0, dry_run=False)


async def test_purge_leaves_no_feedback_link_or_review_mark(db_url, tracker_url):
    from bot import feedback, review
    from bot.db import session_scope

    store = tracker_store(tracker_url)
    await save_conversation(store, "old", OLD)
    await save_conversation(store, "recent", RECENT)
    with session_scope(db_url) as session:
        for sender in ("old", "recent"):
            feedback.record(session, sender, 0, "down")
            review.mark_reviewed(session, sender, "an", now=RECENT)
    purge(YEAR, now=NOW, tracker_url=tracker_url, db=db_url)
    with session_scope(db_url) as session:
        assert feedback.for_conversation(session, "old") == []
        assert review.review_of(session, "old") is None
        assert len(feedback.for_conversation(session, "recent")) == 1
        assert review.review_of(session, "recent") is not None


async def test_a_later_clock_purges_more(sqlite_url, tmp_path):
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = tracker_store(tracker_url)
    await save_conversation(store, "recent", RECENT)
    assert purge(YEAR, now=NOW, tracker_url=tracker_url, db=sqlite_url).conversations == 0
    later = purge(YEAR, now=NOW + YEAR, tracker_url=tracker_url, db=sqlite_url)
    assert later.conversations == 1
    assert await store.retrieve("recent") is None


@pytest.mark.parametrize("raw, expected", [
    ("365d", timedelta(days=365)), ("52w", timedelta(weeks=52)), ("48h", timedelta(hours=48)),
    ("30", timedelta(days=30)), (" 7D ", timedelta(days=7)),
])
def test_parse_period(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["", "een jaar", "-5d", "5m", "5 dagen"])
def test_parse_period_refuses_nonsense(raw):
    with pytest.raises(ValueError):
        parse_period(raw)


def test_period_must_be_positive(sqlite_url, tmp_path):
    with pytest.raises(ValueError):
        purge(timedelta(0), tracker_url=f"sqlite:///{tmp_path / 't.db'}", db=sqlite_url)


async def test_command_line_purge(klik_env, capsys):
    import os

    migrate.upgrade(os.environ["KLIK_DATABASE_URL"])
    tracker_url = os.environ["KLIK_TRACKER_STORE_URL"]
    real_now = datetime.now(timezone.utc)
    events = await save_conversation(tracker_store(tracker_url), "old", real_now - 2 * YEAR)

    assert cli.main(["purge", "--older-than", "365d", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Proefrun" in out and f"Gesprekken gewist: 1 ({events} gebeurtenissen)" in out
    assert "Verlopen verwijsbrieven gewist: 0" in out
    assert count_events("old", tracker_url=tracker_url) == events

    assert cli.main(["purge", "--older-than", "365d"]) == 0
    out = capsys.readouterr().out
    assert "Proefrun" not in out and f"Gesprekken gewist: 1 ({events} gebeurtenissen)" in out
    assert count_events("old", tracker_url=tracker_url) == 0

    assert cli.main(["purge"]) == 0  # default 365d, nothing left
    assert "Gesprekken gewist: 0 (0 gebeurtenissen)" in capsys.readouterr().out

    assert cli.main(["purge", "--older-than", "een jaar"]) == 2
