"""Search speed on 10,000 generated offerings in a temporary SQLite database.

Prints p50 and p95 per kind of search; the target is p95 under 20 ms. A script, not a test:
    .venv/bin/python benchmarks/search_bench.py [--offerings 10000] [--repeat 50]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.lean import block_tensorflow  # noqa: E402

block_tensorflow()

from bot import places  # noqa: E402
from bot.catalogue import taxonomy  # noqa: E402
from bot.catalogue.importers.records import LocationRecord, OfferingRecord  # noqa: E402
from bot.catalogue.importers.writer import run_import  # noqa: E402
from bot.catalogue.search import SearchQuery, search  # noqa: E402
from bot.db import dispose_all, migrate, session_scope  # noqa: E402

TARGET_P95_MS = 20.0
WORDS = "yoga voetbal zwemles theater schilderen koor wandeling museum strips gitaar".split()
QUERIES = {
    "place only (Gent)": SearchQuery(municipality="44021"),
    "place + category": SearchQuery(municipality="11002", category="sport"),
    "place + child of 10 + category": SearchQuery(municipality="11002", category="sport",
                                                  audience="kinderen", age=10),
    "Brussels + free museum": SearchQuery(municipality="21004", category="museum", free=True),
    "place + kinderopvang": SearchQuery(municipality="12025", features=("kinderopvang",)),
    "place + words": SearchQuery(municipality="44021", words=("yoga",)),
    "place + max price + evening": SearchQuery(municipality="24062", max_price_cents=500,
                                               part_of_day="avond"),
    "preferred features": SearchQuery(municipality="44021",
                                      preferred_features=("rolstoeltoegankelijk", "begeleiding")),
    "nothing fits → alternatives": SearchQuery(municipality="13040", category="zwemmen",
                                               features=("ringleiding", "vervoer"),
                                               part_of_day="ochtend"),
    "everywhere + words": SearchQuery(words=("gitaar",)),
    "page 3 (Toon meer)": SearchQuery(municipality="44021"),
}


def generate(n: int, seed: int = 7):
    rng = random.Random(seed)
    towns = places.all_municipalities()
    big = [m for m in towns if m.name_nl in ("Gent", "Antwerpen", "Brussel", "Leuven", "Mechelen")]
    for i in range(n):
        town = rng.choice(big) if rng.random() < 0.3 else rng.choice(towns)
        low = rng.choice([None, 3, 6, 12, 18, 60])
        price = rng.choice([0, 200, 350, 500, 800, 1500, None])
        word = rng.choice(WORDS)
        yield f"rij {i + 2}", OfferingRecord(
            source="bench", source_id=f"o{i}",
            name=f"Aanbod {i} {word}", summary=f"Een activiteit met {word} in {town.name_nl}.",
            description=f"Langere uitleg over {word} en meer.",
            category=rng.choice(list(taxonomy.CATEGORIES)),
            audiences=tuple(rng.sample(list(taxonomy.AUDIENCES), rng.randint(1, 3))),
            min_age=low, max_age=None if low is None else low + rng.choice([6, 10, 40]),
            location=LocationRecord(source_id=f"l{i % 3000}", municipality_nis=town.nis_code,
                                    postal_code=town.postal_codes[0]),
            days=tuple(rng.sample(["ma", "di", "wo", "do", "vr", "za", "zo"], 2)),
            parts_of_day=tuple(rng.sample(["ochtend", "middag", "avond"], rng.randint(1, 2))),
            price_cents=price,
            kansentarief_cents=None if not price else price // 5,
            features=tuple(rng.sample(list(taxonomy.FEATURES), rng.randint(0, 3))),
        ), []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offerings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--db", help="keep the generated database in this file (reused if there)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench.db"
        url = f"sqlite:///{path}"
        if not path.exists():
            migrate.upgrade(url)
            started = time.perf_counter()
            with session_scope(url) as session:
                report = run_import(session, kind="bench", source="bench", origin="generated",
                                    items=generate(args.offerings))
            print(f"{report.counts['added']} offerings written in "
                  f"{time.perf_counter() - started:.1f} s")
        worst = 0.0
        with session_scope(url) as session:
            print(f"{'search':36} {'results':>8} {'p50 ms':>8} {'p95 ms':>8}")
            for label, query in QUERIES.items():
                offset = 6 if label.startswith("page 3") else 0
                search(session, query, offset=offset)  # warm up caches
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    result = search(session, query, offset=offset)
                    times.append((time.perf_counter() - t0) * 1000)
                times.sort()
                p50 = statistics.median(times)
                p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
                worst = max(worst, p95)
                shown = result.total or sum(a.total for a in result.alternatives)
                print(f"{label:36} {shown:>8} {p50:>8.1f} {p95:>8.1f}")
        dispose_all()
    verdict = "OK" if worst < TARGET_P95_MS else "TOO SLOW"
    print(f"worst p95 {worst:.1f} ms (target < {TARGET_P95_MS:.0f} ms): {verdict}")
    return 0 if worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
