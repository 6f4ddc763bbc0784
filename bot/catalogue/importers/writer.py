"""Writes records: an idempotent upsert by (source, source_id), each row in its own savepoint."""
from __future__ import annotations

from typing import Iterable, Optional, Tuple

from sqlalchemy import select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.catalogue.importers.records import OfferingRecord, validate
from bot.catalogue.importers.report import ImportReport, Outcome, Rejection
from bot.catalogue.models import (
    ImportRun,
    Location,
    Offering,
    OfferingAudience,
    OfferingFeature,
    OfferingTime,
    Organisation,
    utcnow,
)
from bot.catalogue.terms import as_index, terms_many

# What a reader yields per row: where it is, the record (None when unreadable), and problems.
Parsed = Tuple[str, Optional[OfferingRecord], list]


def _get_or_new(session: Session, model, source: str, source_id: str):
    row = session.execute(
        select(model).where(model.source == source, model.source_id == source_id)
    ).scalar_one_or_none()
    if row is None:
        row = model(source=source, source_id=source_id)
        session.add(row)
    return row


def _organisation(session: Session, record: OfferingRecord) -> Organisation | None:
    if record.organisation is None:
        return None
    o = record.organisation
    row = _get_or_new(session, Organisation, record.source, o.source_id)
    row.name, row.website, row.email, row.phone = o.name, o.website, o.email, o.phone
    return row


def _location(session: Session, record: OfferingRecord) -> Location:
    loc = record.location
    row = _get_or_new(session, Location, record.source, loc.source_id)
    for attr in ("name", "address", "postal_code", "municipality_nis", "latitude", "longitude",
                 "transport_note"):
        setattr(row, attr, getattr(loc, attr))
    return row


def _sync(rows: list, wanted: Iterable[str], attr: str, make) -> None:
    """Make a code collection equal to ``wanted`` without rewriting rows that stay."""
    wanted = list(dict.fromkeys(wanted))
    for row in [r for r in rows if getattr(r, attr) not in wanted]:
        rows.remove(row)
    have = {getattr(r, attr) for r in rows}
    rows.extend(make(code) for code in wanted if code not in have)


def upsert(session: Session, record: OfferingRecord) -> str:
    """Write one valid record; returns "added", "changed" or "unchanged"."""
    existing = session.execute(
        select(Offering).where(
            Offering.source == record.source, Offering.source_id == record.source_id
        )
    ).scalar_one_or_none()
    digest = record.content_hash()
    if existing is not None and existing.content_hash == digest:
        return "unchanged"
    row = existing or Offering(source=record.source, source_id=record.source_id)
    row.organisation = _organisation(session, record)
    row.location = _location(session, record)
    for attr in ("name", "summary", "description", "category", "min_age", "max_age", "status",
                 "last_checked", "schedule_text", "price_cents", "kansentarief_cents",
                 "kansentarief_percent", "artikel27", "paspartoe", "other_discount", "phone",
                 "email", "website", "how_to_register", "register_offline"):
        setattr(row, attr, getattr(record, attr))
    row.schedule_days = " ".join(record.days) or None
    row.is_free = record.price_cents == 0
    row.reduced_price_cents = record.reduced_price_cents
    org_name = record.organisation.name if record.organisation else ""
    text = " ".join(filter(None, (record.name, record.summary, record.description, org_name)))
    row.search_terms = as_index(terms_many([text])[0])
    row.content_hash = digest
    row.updated_at = utcnow()
    _sync(row.audience_rows, record.audiences, "audience", lambda c: OfferingAudience(audience=c))
    _sync(row.feature_rows, record.features, "feature", lambda c: OfferingFeature(feature=c))
    _sync(row.time_rows, record.all_parts_of_day, "part", lambda c: OfferingTime(part=c))
    if existing is None:
        session.add(row)
    session.flush()
    return "changed" if existing is not None else "added"


def run_import(
    session: Session,
    *,
    kind: str,
    source: str,
    origin: str,
    items: Iterable[Parsed],
    checksum: str | None = None,
    deactivate_missing: bool = False,
) -> ImportReport:
    """Validate and write every parsed row; a bad row is reported and never stops the others.

    The caller owns the transaction (commit or roll back the session afterwards).
    """
    report = ImportReport(kind=kind, source=source, origin=origin)
    run = ImportRun(kind=kind, source=source, origin=origin[:500])
    session.add(run)
    # Writing first also opens the transaction, so SQLite's SAVEPOINTs nest inside it.
    session.flush()
    seen: dict[tuple[str, str], str] = {}
    for where, record, problems in items:
        if record is None:
            report.rejected.append(Rejection(where=where, reasons=list(problems)))
            continue
        errors = list(problems) + validate(record)
        key = (record.source, record.source_id)
        if record.source_id and key in seen:
            errors.append(f"id '{record.source_id}' komt al voor ({seen[key]})")
        if errors:
            report.rejected.append(
                Rejection(where=where, source_id=record.source_id or None, name=record.name or None,
                          reasons=errors)
            )
            continue
        seen[key] = where
        try:
            with session.begin_nested():
                status = upsert(session, record)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0][:200]
            report.rejected.append(
                Rejection(where=where, source_id=record.source_id, name=record.name,
                          reasons=[f"databank weigert de rij: {reason}"])
            )
            continue
        getattr(report, status).append(Outcome(where, record.source_id, record.name))
    if deactivate_missing:
        report.deactivated = _deactivate_missing(session, {source} | {s for s, _ in seen}, seen)
    if report.added or report.changed or report.deactivated:
        _refresh_statistics(session)
    for name, value in report.counts.items():
        setattr(run, name, value)
    run.checksum = checksum
    run.finished_at = utcnow()
    session.flush()
    return report


def _refresh_statistics(session: Session) -> None:
    """Table statistics, so the query planner starts from the place index, not the status one.

    SQLite keeps none until ANALYZE runs; PostgreSQL's autovacuum would catch up later.
    """
    for table in ("offering", "location", "offering_audience", "offering_feature", "offering_time"):
        session.execute(text(f"ANALYZE {table}"))


def _deactivate_missing(session: Session, sources: set[str], seen: dict) -> list[str]:
    gone: list[str] = []
    for source in sorted(sources):
        ids = {sid for s, sid in seen if s == source}
        rows = session.execute(
            select(Offering.id, Offering.source_id).where(
                Offering.source == source, Offering.status == "active"
            )
        ).all()
        stale = [(rid, sid) for rid, sid in rows if sid not in ids]
        if stale:
            session.execute(
                update(Offering)
                .where(Offering.id.in_([rid for rid, _ in stale]))
                .values(status="inactive", content_hash="", updated_at=utcnow())
            )
            gone += sorted(sid for _, sid in stale)
    return gone


def last_checksum(session: Session, kind: str, origin: str) -> str | None:
    """Checksum of the last finished import of this file, to skip it when nothing changed."""
    return session.execute(
        select(ImportRun.checksum)
        .where(ImportRun.kind == kind, ImportRun.origin == origin[:500],
               ImportRun.finished_at.is_not(None))
        .order_by(ImportRun.id.desc())
        .limit(1)
    ).scalar_one_or_none()
