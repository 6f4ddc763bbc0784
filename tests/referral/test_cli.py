"""python -m bot purge-referrals and referral-counts."""
from __future__ import annotations

from datetime import timedelta

from bot import cli
from bot.db import session_scope
from bot.referral import create_referral, get_note, match
from tests.referral.conftest import NOW


def test_purge_and_counts_from_the_command_line(db_url, family_gent, monkeypatch, capsys):
    monkeypatch.setenv("KLIK_DATABASE_URL", db_url)
    with session_scope(db_url) as s:
        ids = [m.offering_id for m in match(s, family_gent)[:1]]
    # Made long ago, so it has expired by the real clock the command uses.
    old = create_referral(db_url, family_gent, ids, now=NOW - timedelta(days=3650))

    assert cli.main(["purge-referrals", "--dry-run"]) == 0
    assert "Verlopen verwijzingen: 1" in capsys.readouterr().out
    assert get_note(db_url, old.code, now=NOW).state == "expired"

    assert cli.main(["purge-referrals"]) == 0
    assert "Verlopen verwijzingen gewist: 1" in capsys.readouterr().out
    assert get_note(db_url, old.code, now=NOW).state == "unknown"

    assert cli.main(["referral-counts", "--since", "2010-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Verwijzingen: 1" in out and "Gent: 1" in out and "geld: 1" in out
    assert cli.main(["referral-counts", "--since", "gisteren"]) == 2
