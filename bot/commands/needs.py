"""Privacy and needs commands: purge, forget, need-status."""
from __future__ import annotations

import sys


def _purge(args) -> int:
    from bot.conversations import parse_period, purge

    try:
        period = parse_period(args.older_than)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    report = purge(period, dry_run=args.dry_run)
    if report.dry_run:
        print("Proefrun: er is niets gewist. Dit zou gebeuren:")
    print(f"Grens: alles van voor {report.cutoff:%Y-%m-%d %H:%M} UTC.")
    print(f"Gesprekken gewist: {report.conversations} ({report.events} gebeurtenissen)")
    print(f"Meldingen losgekoppeld van een gesprek: {report.needs_detached}")
    print(f"Afgesloten meldingen geanonimiseerd: {report.needs_anonymised}")
    print(f"Verlopen verwijsbrieven gewist: {report.referrals_deleted}")
    return 0


def _forget(args) -> int:
    from bot.conversations import forget_conversation

    report = forget_conversation(args.sender_id)
    print(f"Gebeurtenissen verwijderd: {report.events_deleted}")
    print(f"Meldingen losgekoppeld: {report.needs_detached}")
    return 0


def _need_status(args) -> int:
    from bot.needs import UNKNOWN_CODE, find_by_code, status_message

    need = find_by_code(args.code)
    if need is None:
        print(UNKNOWN_CODE, file=sys.stderr)
        return 1
    print(
        f"{need.display_code}  {need.status_label}"
        f"  ({need.kind_label}, {need.created_at:%Y-%m-%d})"
    )
    for line in status_message(need):
        print(line)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "purge", help="delete old conversations and anonymise old closed needs (retention)"
    )
    p.add_argument(
        "--older-than", default="365d", metavar="PERIOD",
        help="e.g. 365d, 52w, 48h (default 365d)",
    )
    p.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    p.set_defaults(func=_purge)
    p = sub.add_parser(
        "forget", help="delete one conversation from the tracker store and detach its needs"
    )
    p.add_argument("sender_id")
    p.set_defaults(func=_forget)
    p = sub.add_parser("need-status", help="show a need's status as the resident sees it")
    p.add_argument("code", help="reference code, e.g. K7Q4-M2XF")
    p.set_defaults(func=_need_status)
