"""Referral commands: purge-referrals (retention) and referral-counts (insights)."""
from __future__ import annotations

import sys
from datetime import date, datetime, time, timezone


def _day(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.combine(date.fromisoformat(text), time(0), tzinfo=timezone.utc)


def _purge(args) -> int:
    from bot.referral import purge_expired

    deleted = purge_expired(dry_run=args.dry_run)
    if args.dry_run:
        print(f"Proefrun: er is niets gewist. Verlopen verwijzingen: {deleted}")
    else:
        print(f"Verlopen verwijzingen gewist: {deleted}")
    return 0


def _counts(args) -> int:
    from bot.db import session_scope
    from bot.referral import counts

    try:
        since, until = _day(args.since), _day(args.until)
    except ValueError:
        print("Geef een datum als JJJJ-MM-DD.", file=sys.stderr)
        return 2
    with session_scope() as session:
        result = counts(session, since=since, until=until)
    print(f"Verwijzingen: {result.total}")
    print("Per gemeente:")
    for _nis, name, n in result.municipality_rows():
        print(f"  {name}: {n}")
    print("Per drempel:")
    for _code, label, n in result.barrier_rows():
        print(f"  {label}: {n}")
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "purge-referrals",
        help="delete referral notes past their expiry (KLIK_REFERRAL_DAYS, default 90)",
    )
    p.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    p.set_defaults(func=_purge)
    p = sub.add_parser("referral-counts", help="referrals per municipality and per barrier")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="from this day (UTC)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="up to, not including, this day")
    p.set_defaults(func=_counts)
