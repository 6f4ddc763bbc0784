"""Importers: CSV sheets and UiTdatabank JSON-LD into the catalogue, with a report per row.

Every function takes an open session and leaves commit or rollback to the caller; the staff
dashboard calls ``import_bytes`` for uploads, the command line ``import_file``.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from bot.catalogue.importers import csvfile, uitdatabank
from bot.catalogue.importers.report import ImportReport, Outcome, Rejection
from bot.catalogue.importers.writer import last_checksum, run_import
from bot.catalogue.taxonomy import SAMPLE_SOURCE
from bot.config import PROJECT_ROOT

SAMPLE_CSV = PROJECT_ROOT / "data" / "catalogue" / "voorbeeldaanbod.csv"

__all__ = [
    "ImportReport", "Outcome", "Rejection", "SAMPLE_CSV", "import_bytes", "import_csv",
    "import_file", "import_uitdatabank", "import_uitdatabank_live", "load_sample",
]


class ImportFormatError(ValueError):
    """The file is of a kind no importer reads."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_csv(
    session: Session, data: bytes, origin: str, source: str = csvfile.DEFAULT_SOURCE,
    deactivate_missing: bool = False,
) -> ImportReport:
    """A catalogue CSV (docs/catalogue-csv.md) given as bytes; ``origin`` names it in the report."""
    return run_import(
        session, kind="csv", source=source, origin=origin,
        items=csvfile.read(csvfile.decode(data), source), checksum=_sha256(data),
        deactivate_missing=deactivate_missing,
    )


def import_uitdatabank(session: Session, path: Path) -> ImportReport:
    """UiTdatabank JSON-LD from a file or from every .json/.jsonld file in a folder."""
    path = Path(path)
    digest = hashlib.sha256()
    for p in uitdatabank.files(path):
        digest.update(p.read_bytes())
    return run_import(
        session, kind="uitdatabank", source=uitdatabank.SOURCE, origin=str(path),
        items=uitdatabank.read_files(path), checksum=digest.hexdigest(),
    )


def import_uitdatabank_live(session: Session, params: dict | None = None, **fetch_options) -> ImportReport:
    """Page through the live Search API (needs KLIK_UITDATABANK_CLIENT_ID)."""
    base = fetch_options.get("base") or uitdatabank.base_url()
    return run_import(
        session, kind="uitdatabank", source=uitdatabank.SOURCE, origin=f"{base}/offers/",
        items=uitdatabank.read_documents(uitdatabank.fetch(params, **fetch_options)),
    )


def import_bytes(session: Session, data: bytes, filename: str, source: str | None = None) -> ImportReport:
    """An uploaded file: .csv as a catalogue sheet, .json/.jsonld as UiTdatabank documents."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return import_csv(session, data, filename, source or csvfile.DEFAULT_SOURCE)
    if suffix in (".json", ".jsonld"):
        import json

        try:
            docs = uitdatabank.documents_in(json.loads(csvfile.decode(data)))
            items = uitdatabank.read_documents(docs)
        except ValueError as exc:
            items = iter([("bestand", None, [f"geen geldige JSON: {exc}"])])
        return run_import(session, kind="uitdatabank", source=uitdatabank.SOURCE,
                          origin=filename, items=items, checksum=_sha256(data))
    raise ImportFormatError("Gebruik een .csv-bestand of UiTdatabank-JSON (.json of .jsonld).")


def import_file(session: Session, path: Path, source: str | None = None) -> ImportReport:
    """A file or folder by its kind: .csv, or UiTdatabank .json/.jsonld (a folder: JSON-LD)."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() in (".json", ".jsonld"):
        return import_uitdatabank(session, path)
    if path.suffix.lower() == ".csv":
        return import_csv(session, path.read_bytes(), str(path), source or csvfile.DEFAULT_SOURCE)
    raise ImportFormatError("Gebruik een .csv-bestand of UiTdatabank-JSON (.json of .jsonld).")


def load_sample(session: Session, path: Path = SAMPLE_CSV, force: bool = False) -> ImportReport:
    """The shipped sample catalogue; skipped when this file was imported unchanged before.

    Sample offerings that are no longer in the file are set inactive.
    """
    path = Path(path).resolve()
    data = path.read_bytes()
    # Named relative to the project, so the checksum matches whichever directory runs it.
    origin = str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
    if not force and last_checksum(session, "csv", origin) == _sha256(data):
        return ImportReport(kind="csv", source=SAMPLE_SOURCE, origin=origin, skipped=True)
    return import_csv(session, data, origin, SAMPLE_SOURCE, deactivate_missing=True)
