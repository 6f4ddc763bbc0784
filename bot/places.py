"""Municipalities of Flanders and Brussels (data/reference), looked up by NIS code or postal code."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from bot.config import PROJECT_ROOT

REFERENCE_CSV = PROJECT_ROOT / "data" / "reference" / "municipalities_flanders_brussels.csv"
BRUSSELS_REGION = "Brussels Hoofdstedelijk Gewest"


@dataclass(frozen=True)
class Municipality:
    nis_code: str
    name_nl: str
    name_fr: str
    province: str  # empty for Brussels
    region: str
    postal_codes: tuple[str, ...]

    @property
    def in_brussels(self) -> bool:
        return self.region == BRUSSELS_REGION


@lru_cache(maxsize=1)
def all_municipalities() -> tuple[Municipality, ...]:
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Municipality(
                nis_code=row["nis_code"],
                name_nl=row["name_nl"],
                name_fr=row["name_fr"],
                province=row["province"],
                region=row["region"],
                postal_codes=tuple(row["postal_codes"].split()),
            )
            for row in csv.DictReader(fh)
        )


@lru_cache(maxsize=1)
def _by_nis() -> dict[str, Municipality]:
    return {m.nis_code: m for m in all_municipalities()}


def by_nis(nis_code: str) -> Municipality | None:
    return _by_nis().get(str(nis_code).strip())


# A few postal codes lie in two municipalities; these go to the one that holds most of the code.
PRIMARY_FOR_SHARED_CODE = {"1040": "21005", "1050": "21009", "1804": "23088"}


@lru_cache(maxsize=1)
def _by_postal_code() -> dict[str, Municipality]:
    table: dict[str, Municipality] = {}
    for m in all_municipalities():
        for code in m.postal_codes:
            table.setdefault(code, m)
    for code, nis in PRIMARY_FOR_SHARED_CODE.items():
        table[code] = _by_nis()[nis]
    return table


def by_postal_code(code: str) -> Municipality | None:
    return _by_postal_code().get(str(code).strip())
