"""Making referral notes, showing them, deleting them when they expire, counting them.

``db`` is a Session, a database URL, or None for settings.database_url (as in bot.needs).
Writes commit before they return. Database trouble surfaces as ReferralStoreUnavailable
(ReferralNotSaved for a note that was not stored), never as a half-written note.
"""
from __future__ import annotations

import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Iterable, Iterator

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot import places
from bot.needs.model import utcnow
from bot.needs.service import NeedStoreUnavailable, session_for
from bot.referral import codes, eligibility
from bot.referral.model import ALL, Referral, ReferralTally
from bot.referral.note import ACTIVE, EXPIRED, UNKNOWN, Note, NoteLookup, snapshot
from bot.referral.profile import BARRIERS, ClientProfile

DAYS_VARIABLE = "KLIK_REFERRAL_DAYS"
PUBLIC_URL_VARIABLE = "KLIK_PUBLIC_URL"
DEFAULT_DAYS = 90
MAX_OFFERINGS = 5
MAX_CODE_ATTEMPTS = 5
PATH_PREFIX = "/verwijzing/"


class ReferralError(ValueError):
    """The referral cannot be made as asked (no offerings, an unknown offering, too many)."""


class ReferralStoreUnavailable(RuntimeError):
    """The database could not be reached or refused the work."""


class ReferralNotSaved(ReferralStoreUnavailable):
    """The note was not stored; nothing of it remains."""


def retention_days() -> int:
    """Days a note lives: KLIK_REFERRAL_DAYS, default 90. Read on every call."""
    raw = os.environ.get(DAYS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{DAYS_VARIABLE} must be a whole number of days, got {raw!r}") from None
    if days < 1:
        raise ValueError(f"{DAYS_VARIABLE} must be at least 1")
    return days


def note_path(code: str) -> str:
    return PATH_PREFIX + code


def note_url(code: str, base_url: str | None = None) -> str:
    """The note's absolute link when a base is known (argument or KLIK_PUBLIC_URL), else the
    path: the gateway then makes it absolute from the request."""
    base = (base_url or os.environ.get(PUBLIC_URL_VARIABLE, "")).strip().rstrip("/")
    return base + note_path(code)


@contextmanager
def _session(db) -> Iterator[Session]:
    try:
        with session_for(db) as session:
            yield session
    except NeedStoreUnavailable as exc:  # the shared helper names the needs; say referrals
        raise ReferralStoreUnavailable(str(exc)) from exc


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    except SQLAlchemyError:
        pass  # the connection is gone; the transaction died with it


@dataclass(frozen=True)
class ReferralReceipt:
    """What the worker gets back: the link to give the client."""

    code: str
    path: str  # /verwijzing/<code>
    url: str  # absolute when KLIK_PUBLIC_URL is set, else the path
    created_at: datetime
    expires_at: datetime
    offerings: tuple[str, ...]  # names, in the chosen order
    has_sample: bool

    @property
    def display_code(self) -> str:
        return codes.format_code(self.code)


# What the note needs of a hint. Not "why" or "likelihood": they would tell the status.
_NOTE_HINT_FIELDS = ("scheme", "title", "text", "bring", "source_title", "source_url")


def _note_hint(hint: eligibility.Hint) -> dict:
    data = hint.to_dict()
    return {key: data[key] for key in _NOTE_HINT_FIELDS}


def _offering_ids(offering_ids: Iterable) -> list[int]:
    if isinstance(offering_ids, (str, int)):
        offering_ids = [offering_ids]
    ids: list[int] = []
    for value in offering_ids or ():
        try:
            oid = int(value)
        except (TypeError, ValueError):
            raise ReferralError("offering ids must be whole numbers") from None
        if oid not in ids:
            ids.append(oid)
    if not ids:
        raise ReferralError("choose at least one offering")
    if len(ids) > MAX_OFFERINGS:
        raise ReferralError(f"choose at most {MAX_OFFERINGS} offerings")
    return ids


def _is_code_collision(exc: IntegrityError) -> bool:
    message = str(exc.orig)
    return "uq_referral_code" in message or "referral.code" in message


def create_referral(
    db,
    profile: ClientProfile,
    offering_ids: Iterable[int],
    now: datetime | None = None,
    *,
    code_factory: Callable[[], str] = codes.new_code,
) -> ReferralReceipt:
    """Store an anonymous referral for the chosen offerings; committed when this returns.

    Raises ReferralError for no, too many or unknown offerings (nothing stored) and
    ReferralNotSaved when the database fails. A session passed in is committed (and rolled
    back on failure), so it must not hold other unfinished work.
    """
    if not isinstance(profile, ClientProfile):
        raise TypeError("profile must be a ClientProfile")
    ids = _offering_ids(offering_ids)
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    expires_at = now + timedelta(days=retention_days())
    found_hints = eligibility.hints(profile)
    door = eligibility.local_door(profile.municipality)
    record = profile.record()
    try:
        with _session(db) as session:
            try:
                try:
                    shots = [snapshot(session, oid, profile, found_hints) for oid in ids]
                except ValueError as exc:
                    raise ReferralError(str(exc)) from exc
                collision: Exception | None = None
                for _ in range(MAX_CODE_ATTEMPTS):
                    referral = Referral(
                        code=code_factory(),
                        created_at=now,
                        expires_at=expires_at,
                        municipality_nis=record["municipality"],
                        client_group=record["group"],
                        age_bands=record["age_bands"],
                        interests=record["interests"],
                        barriers=record["barriers"],
                        language=record["language"],
                        organisation=record["organisation"],
                        offerings=shots,
                        hints=[_note_hint(h) for h in found_hints if h.for_client],
                        local_door=door.to_dict() if door else None,
                    )
                    session.add(referral)
                    try:
                        session.commit()
                    except IntegrityError as exc:
                        _rollback(session)
                        if not _is_code_collision(exc):
                            raise ReferralNotSaved(f"referral not saved: {exc.orig}") from exc
                        collision = exc  # the code is taken: draw another
                        continue
                    return ReferralReceipt(
                        code=referral.code,
                        path=note_path(referral.code),
                        url=note_url(referral.code),
                        created_at=now,
                        expires_at=expires_at,
                        offerings=tuple(s["name"] for s in shots),
                        has_sample=any(s["is_sample"] for s in shots),
                    )
                raise ReferralNotSaved("no free referral code found") from collision
            except SQLAlchemyError as exc:
                _rollback(session)
                raise ReferralNotSaved(f"referral not saved: {exc}") from exc
    except ReferralStoreUnavailable as exc:
        if isinstance(exc, ReferralNotSaved):
            raise
        raise ReferralNotSaved(str(exc)) from exc


def get_note(db, code: str | None, now: datetime | None = None) -> NoteLookup:
    """The note for a code as typed or linked: ACTIVE with the note, EXPIRED (not yet
    purged), or UNKNOWN (never made, purged, or not a code at all)."""
    canonical = codes.normalise(code)
    if canonical is None:
        return NoteLookup(UNKNOWN)
    now = now or utcnow()
    with _session(db) as session:
        try:
            referral = session.execute(
                select(Referral).where(Referral.code == canonical)
            ).scalar_one_or_none()
        except SQLAlchemyError as exc:
            _rollback(session)
            raise ReferralStoreUnavailable(f"referrals not available: {exc}") from exc
        if referral is None:
            return NoteLookup(UNKNOWN)
        if referral.expires_at <= now:
            return NoteLookup(EXPIRED, expired_at=referral.expires_at)
        return NoteLookup(ACTIVE, note=Note(
            code=referral.code,
            created_at=referral.created_at,
            expires_at=referral.expires_at,
            municipality=places.display_name(referral.municipality_nis) or "",
            offerings=tuple(referral.offerings or ()),
            hints=tuple(referral.hints or ()),
            local_door=referral.local_door,
        ))


def delete_referral(db, code: str | None) -> bool:
    """Delete one note now (the worker or client asks for it); True when there was one.
    Its counts go to the tally first, as on expiry."""
    canonical = codes.normalise(code)
    if canonical is None:
        return False
    with _session(db) as session:
        try:
            rows = session.execute(
                select(Referral).where(Referral.code == canonical)
            ).scalars().all()
            _tally(session, rows)
            for row in rows:
                session.delete(row)
            session.commit()
            return bool(rows)
        except SQLAlchemyError as exc:
            _rollback(session)
            raise ReferralStoreUnavailable(f"referral not deleted: {exc}") from exc


def _month(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


def _tally(session: Session, referrals: Iterable[Referral]) -> None:
    """Add these referrals to the monthly tally (caller's transaction)."""
    counts: Counter = Counter()
    for r in referrals:
        month = _month(r.created_at)
        counts[(month, r.municipality_nis, ALL)] += 1
        for barrier in dict.fromkeys(r.barriers or ()):
            counts[(month, r.municipality_nis, barrier)] += 1
    for (month, nis, barrier), n in counts.items():
        row = session.get(ReferralTally, (month, nis, barrier))
        if row is None:
            session.add(ReferralTally(month=month, municipality_nis=nis, barrier=barrier, count=n))
        else:
            row.count += n


def purge_expired(db=None, now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Delete every note whose expiry has passed; its counts move to the tally first, in the
    same transaction. Returns how many notes were (or, with ``dry_run``, would be) deleted.
    A session passed in is committed (rolled back on a dry run): it must hold no other work."""
    now = now or utcnow()
    with _session(db) as session:
        try:
            expired = session.execute(
                select(Referral).where(Referral.expires_at <= now)
            ).scalars().all()
            if dry_run or not expired:
                session.rollback()
                return len(expired)
            _tally(session, expired)
            session.execute(
                delete(Referral)
                .where(Referral.id.in_([r.id for r in expired]))
                .execution_options(synchronize_session=False)
            )
            session.commit()
            return len(expired)
        except SQLAlchemyError as exc:
            _rollback(session)
            raise ReferralStoreUnavailable(f"referrals not purged: {exc}") from exc


@dataclass
class ReferralCounts:
    """Referrals made in a period, per municipality (NIS code) and per barrier code."""

    total: int = 0
    by_municipality: dict[str, int] = field(default_factory=dict)
    by_barrier: dict[str, int] = field(default_factory=dict)

    def municipality_rows(self) -> list[tuple[str, str, int]]:
        """(NIS code, Dutch name, count), most referrals first."""
        return [(nis, places.display_name(nis) or nis, n)
                for nis, n in _most_first(self.by_municipality)]

    def barrier_rows(self) -> list[tuple[str, str, int]]:
        """(code, Dutch label, count) for every barrier, most first, zeros last."""
        counts = {code: self.by_barrier.get(code, 0) for code in BARRIERS}
        return [(code, BARRIERS[code].label, n) for code, n in _most_first(counts)]

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "by_municipality": [{"nis_code": c, "name": name, "count": n}
                                for c, name, n in self.municipality_rows()],
            "by_barrier": [{"code": c, "label": label, "count": n}
                           for c, label, n in self.barrier_rows()],
        }


def _most_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def counts(session: Session, since: datetime | None = None,
           until: datetime | None = None) -> ReferralCounts:
    """Referrals made in [since, until): live notes by their exact time, deleted ones from the
    tally by their month (a month counts when its first day lies in the period, rounded down
    for ``since``). A referral with several barriers counts once per barrier."""
    result = ReferralCounts()
    by_nis: Counter = Counter()
    by_barrier: Counter = Counter()

    live = select(Referral.municipality_nis, Referral.barriers)
    if since is not None:
        live = live.where(Referral.created_at >= since)
    if until is not None:
        live = live.where(Referral.created_at < until)
    for nis, barriers in session.execute(live):
        result.total += 1
        by_nis[nis] += 1
        by_barrier.update(dict.fromkeys(barriers or (), 1))

    old = select(ReferralTally.municipality_nis, ReferralTally.barrier, ReferralTally.count)
    if since is not None:
        old = old.where(ReferralTally.month >= _month(since))
    if until is not None:
        old = old.where(ReferralTally.month < (until.date() if isinstance(until, datetime)
                                               else until))
    for nis, barrier, n in session.execute(old):
        if barrier == ALL:
            result.total += n
            by_nis[nis] += n
        else:
            by_barrier[barrier] += n

    result.by_municipality = dict(by_nis)
    result.by_barrier = dict(by_barrier)
    return result
