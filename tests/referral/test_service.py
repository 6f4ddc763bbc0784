"""Making, reading, expiring, purging and counting referral notes, on real databases."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text, update

from bot.catalogue.models import Offering
from bot.db import get_engine, session_scope
from bot.needs.codes import ALPHABET
from bot.referral import (
    ACTIVE,
    EXPIRED,
    UNKNOWN,
    ClientProfile,
    ReferralError,
    counts,
    create_referral,
    delete_referral,
    get_note,
    match,
    note_url,
    purge_expired,
    retention_days,
)
from bot.referral import codes
from bot.referral.model import Referral
from tests.referral.conftest import GENT, NOW, SCHAARBEEK


def pick(url, profile, n=2) -> list[int]:
    with session_scope(url) as s:
        return [m.offering_id for m in match(s, profile)[:n]]


def make(url, profile, now=NOW, n=2):
    return create_referral(url, profile, pick(url, profile, n), now=now)


def test_a_note_lives_90_days(any_db_url, family_gent):
    receipt = make(any_db_url, family_gent)
    assert receipt.expires_at == NOW + timedelta(days=90)
    assert receipt.path == f"/verwijzing/{receipt.code}" and receipt.url == receipt.path
    assert len(receipt.offerings) == 2 and receipt.has_sample

    found = get_note(any_db_url, receipt.code, now=NOW + timedelta(days=89, hours=23))
    assert found.state == ACTIVE
    note = found.note
    assert [o["name"] for o in note.offerings] == list(receipt.offerings)
    assert note.municipality == "Gent" and note.local_door["municipality"] == "Gent"
    assert [h["scheme"] for h in note.hints] == ["kansentarief"]  # the Fonds is for the worker

    late = get_note(any_db_url, receipt.code, now=NOW + timedelta(days=90))
    assert late.state == EXPIRED and late.note is None
    assert late.expired_at == NOW + timedelta(days=90)


def test_purge_deletes_expired_notes_and_keeps_their_counts(any_db_url, family_gent):
    old = make(any_db_url, family_gent, now=NOW - timedelta(days=100))
    brussels = ClientProfile(municipality=SCHAARBEEK, group="senior", barriers=("geld",))
    make(any_db_url, brussels, now=NOW - timedelta(days=95))
    fresh = make(any_db_url, family_gent, now=NOW - timedelta(days=10))

    with session_scope(any_db_url) as s:
        before = counts(s)
    assert purge_expired(any_db_url, now=NOW, dry_run=True) == 2
    assert get_note(any_db_url, old.code, now=NOW).state == EXPIRED  # a dry run changes nothing
    assert purge_expired(any_db_url, now=NOW) == 2
    assert purge_expired(any_db_url, now=NOW) == 0

    assert get_note(any_db_url, old.code, now=NOW).state == UNKNOWN
    assert get_note(any_db_url, fresh.code, now=NOW).state == ACTIVE
    with session_scope(any_db_url) as s:
        after = counts(s)
        remaining = s.execute(select(Referral.code)).scalars().all()
    assert remaining == [fresh.code]
    assert after == before
    assert after.total == 3
    assert after.by_municipality == {GENT: 2, SCHAARBEEK: 1}
    assert after.by_barrier == {"geld": 3, "kinderopvang": 2}


def test_counts_per_period(db_url, family_gent):
    brussels = ClientProfile(municipality=SCHAARBEEK, group="volwassene",
                             barriers=("taal", "alleen"))
    make(db_url, family_gent, now=NOW - timedelta(days=40))
    make(db_url, brussels, now=NOW - timedelta(days=5))
    make(db_url, brussels, now=NOW)
    with session_scope(db_url) as s:
        recent = counts(s, since=NOW - timedelta(days=30), until=NOW)
        everything = counts(s)
    assert (recent.total, recent.by_municipality) == (1, {SCHAARBEEK: 1})
    assert recent.by_barrier == {"taal": 1, "alleen": 1}
    assert everything.total == 3
    rows = everything.to_dict()
    assert rows["by_municipality"][0] == {"nis_code": SCHAARBEEK, "name": "Schaarbeek", "count": 2}
    assert [b["code"] for b in rows["by_barrier"]][:2] == ["alleen", "taal"]
    assert len(rows["by_barrier"]) == 8  # every barrier, zeros too


def test_retention_comes_from_the_environment(db_url, family_gent, monkeypatch):
    monkeypatch.setenv("KLIK_REFERRAL_DAYS", "7")
    assert retention_days() == 7
    receipt = make(db_url, family_gent)
    assert receipt.expires_at == NOW + timedelta(days=7)
    assert get_note(db_url, receipt.code, now=NOW + timedelta(days=8)).state == EXPIRED
    for bad in ("zeven", "0", "-3"):
        monkeypatch.setenv("KLIK_REFERRAL_DAYS", bad)
        with pytest.raises(ValueError):
            retention_days()


def test_codes_are_long_random_and_url_safe(db_url, family_gent):
    assert codes.BITS >= 60
    made = {make(db_url, family_gent, n=1).code for _ in range(5)}
    assert len(made) == 5
    for code in made:
        assert re.fullmatch(f"[{ALPHABET}]{{15}}", code)
    code = made.pop()
    typed = codes.format_code(code).lower()  # "k7q4m-m2xfa-3c9pq" from paper
    assert get_note(db_url, typed, now=NOW).note.code == code


@pytest.mark.parametrize("code", ["", None, "abc", "K7Q4MM2XFA3C9PQ", "x" * 500, "../etc/passwd"])
def test_unknown_and_malformed_codes(db_url, code):
    assert get_note(db_url, code, now=NOW).state == UNKNOWN


def test_a_taken_code_is_drawn_again(db_url, family_gent):
    ids = pick(db_url, family_gent, 1)
    draws = iter(["A" * 15, "A" * 15, "C" * 15])
    first = create_referral(db_url, family_gent, ids, now=NOW, code_factory=lambda: next(draws))
    second = create_referral(db_url, family_gent, ids, now=NOW, code_factory=lambda: next(draws))
    assert (first.code, second.code) == ("A" * 15, "C" * 15)


def test_the_note_keeps_its_snapshot_when_the_catalogue_changes(db_url, family_gent):
    receipt = make(db_url, family_gent, n=1)
    oid = pick(db_url, family_gent, 1)[0]
    with session_scope(db_url) as s:
        s.execute(update(Offering).where(Offering.id == oid).values(
            name="Iets anders", price_cents=9900, status="inactive"))
    note = get_note(db_url, receipt.code, now=NOW).note
    assert note.offerings[0]["name"] == receipt.offerings[0] != "Iets anders"
    assert note.offerings[0]["price"] == "€5"
    # An inactive offering cannot be chosen for a new note.
    with pytest.raises(ReferralError):
        create_referral(db_url, family_gent, [oid], now=NOW)


@pytest.mark.parametrize("ids", [[], [10**9], ["zwemles"], list(range(1, 8))])
def test_wrong_choices_store_nothing(db_url, family_gent, ids):
    with pytest.raises(ReferralError):
        create_referral(db_url, family_gent, ids, now=NOW)
    with session_scope(db_url) as s:
        assert s.execute(select(Referral)).first() is None


def test_delete_one_note(db_url, family_gent):
    receipt = make(db_url, family_gent)
    assert delete_referral(db_url, receipt.code) is True
    assert delete_referral(db_url, receipt.code) is False
    assert get_note(db_url, receipt.code, now=NOW).state == UNKNOWN
    with session_scope(db_url) as s:
        assert counts(s).total == 1  # still counted, from the tally


def test_note_url_uses_the_public_url(monkeypatch):
    assert note_url("ABC") == "/verwijzing/ABC"
    monkeypatch.setenv("KLIK_PUBLIC_URL", "https://klik.example.be/")
    assert note_url("ABC") == "https://klik.example.be/verwijzing/ABC"


def test_no_identifying_detail_is_stored(db_url):
    profile = ClientProfile.build(municipality="Gent", group="kind", ages="7",
                                  interests=["zwemmen"], barriers=["geld", "taal"],
                                  statuses=["leefloon", "schuldbemiddeling"], language="ar",
                                  organisation="caw")
    receipt = make(db_url, profile)
    engine = get_engine(db_url)
    columns = {c["name"] for c in inspect(engine).get_columns("referral")}
    # Codes, bands, dates and catalogue snapshots: no name, contact, exact age, free text or
    # conversation id.
    assert columns == {"id", "code", "created_at", "expires_at", "municipality_nis",
                       "client_group", "age_bands", "interests", "barriers", "language",
                       "organisation", "offerings", "hints", "local_door"}
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM referral")).mappings().one()
    assert row["code"] == receipt.code
    assert json.loads(row["age_bands"]) == ["6-11"]
    assert (row["client_group"], row["language"], row["organisation"]) == ("kind", "ar", "caw")
    stored = json.dumps({k: v for k, v in row.items() if k not in ("created_at", "expires_at")},
                        default=str).lower()
    # The statuses stay out, also inside the hints (no "why").
    assert "leefloon" not in stored and "schuldbemiddeling" not in stored
    assert '"why"' not in stored and "likelihood" not in stored
    hints = json.loads(row["hints"])
    assert hints and set(hints[0]) == {"scheme", "title", "text", "bring", "source_title",
                                       "source_url"}
    # Offering snapshots hold the catalogue's facts only.
    for shot in json.loads(row["offerings"]):
        assert set(shot) == SNAPSHOT_KEYS
        assert shot["is_sample"] is True


SNAPSHOT_KEYS = {
    "id", "name", "summary", "description", "category_label", "organisation", "place",
    "address", "postal_code", "municipality", "municipality_nis", "transport_note", "when",
    "ages", "price", "discounts", "bring", "features", "phone", "email", "website",
    "how_to_register", "register_offline", "is_sample", "source", "last_checked",
}
