"""Catalogue commands: import csv|uitdatabank, load-sample, search (to try a question)."""
from __future__ import annotations

import sys


def _lean() -> None:
    # Importers and search load spaCy; keep TensorFlow (pulled in by thinc) out of the CLI.
    from bot.lean import block_tensorflow

    block_tensorflow()


def _print_report(report) -> int:
    for line in report.lines():
        print(line)
    return 0


def _import_csv(args) -> int:
    _lean()
    from pathlib import Path

    from bot.catalogue import importers
    from bot.db import session_scope

    with session_scope() as session:
        report = importers.import_csv(
            session, Path(args.file).read_bytes(), args.file, args.source,
            deactivate_missing=args.deactivate_missing,
        )
    return _print_report(report)


def _import_uitdatabank(args) -> int:
    _lean()
    from bot.catalogue import importers
    from bot.db import session_scope

    if bool(args.path) == bool(args.live):
        print("Geef een bestand of map, of --live.", file=sys.stderr)
        return 2
    with session_scope() as session:
        if args.live:
            params = {}
            if args.postal_code:
                params["postalCode"] = args.postal_code
            if args.region:
                params["regions"] = args.region
            if args.q:
                params["q"] = args.q
            report = importers.import_uitdatabank_live(session, params, max_items=args.max)
        else:
            report = importers.import_uitdatabank(session, args.path)
    return _print_report(report)


def _load_sample(args) -> int:
    _lean()
    from bot.catalogue import importers
    from bot.db import session_scope

    with session_scope() as session:
        report = importers.load_sample(session, force=args.force)
    return _print_report(report)


def _search(args) -> int:
    _lean()
    from bot.catalogue.search import SearchQuery, search
    from bot.db import session_scope

    with session_scope() as session:
        result = search(session, SearchQuery.from_text(" ".join(args.text)),
                               offset=args.offset, limit=args.limit)
        print(f"{result.total} gevonden.")
        for item in result.items:
            _print_item(item)
        for alt in result.alternatives:
            print(f"-- {alt.label} ({alt.total})")
            for item in alt.items:
                _print_item(item)
    return 0


def _print_item(item) -> None:
    price = item.price + (f" ({item.kansentarief})" if item.kansentarief else "")
    print(f"[{item.id}] {item.name} | {item.where} | {price} | {item.when}")
    print(f"     {item.summary}")
    print(f"     past: {', '.join(item.reasons)}")


def register(sub) -> None:
    p = sub.add_parser("import", help="import offerings into the catalogue")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    c = kinds.add_parser("csv", help="a catalogue CSV (docs/catalogue-csv.md)")
    c.add_argument("file")
    c.add_argument("--source", default="csv", help="source name when the file has no 'bron'")
    c.add_argument("--deactivate-missing", action="store_true",
                   help="set offerings of this source that are not in the file inactive")
    c.set_defaults(func=_import_csv)
    u = kinds.add_parser("uitdatabank", help="UiTdatabank JSON-LD: a file, a folder or --live")
    u.add_argument("path", nargs="?")
    u.add_argument("--live", action="store_true",
                   help="page through the Search API (needs KLIK_UITDATABANK_CLIENT_ID)")
    u.add_argument("--postal-code")
    u.add_argument("--region", help="e.g. gem-leuven")
    u.add_argument("--q", help="advanced query, e.g. 'price:0'")
    u.add_argument("--max", type=int, default=1000, help="at most this many documents")
    u.set_defaults(func=_import_uitdatabank)
    s = sub.add_parser("load-sample", help="load the sample catalogue (skipped when unchanged)")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=_load_sample)
    q = sub.add_parser("search", help="search the catalogue as a resident would ask")
    q.add_argument("text", nargs="+")
    q.add_argument("--offset", type=int, default=0)
    q.add_argument("--limit", type=int, default=3)
    q.set_defaults(func=_search)
