"""Recording needs, finding them by code, telling their status, changing it, anonymising them;
and what staff do with a need: notes, a public reply, assignment, "dubbel van", bulk changes.

Every function takes ``db``: a Session, a database URL, or None for settings.database_url.
Functions that write commit before they return, so a caller may tell the resident "noted" as
soon as the call returns. Database trouble surfaces as NeedStoreUnavailable (NeedNotSaved for
writes), never as a half-written need. Every change staff make (``by=`` a username) writes an
audit row in the same transaction.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Iterator

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot import audit, privacy
from bot.db import session_factory
from bot.needs import codes, workflow
from bot.needs.model import KINDS, SOURCES, Need, NeedNote, NeedStatusChange, utcnow

MAX_TEXT = 2000
MAX_CODE_ATTEMPTS = 5
MAX_NOTE = 2000  # internal notes, status-change notes and public replies
MAX_BULK = 500  # needs in one bulk change

# Sentences for the conversation around these functions (B1, "je").
NO_CODE = "Wat is de code van je melding? Die ziet eruit als K7Q4-M2XF."
UNKNOWN_CODE = "Ik vind geen melding met die code. Kijk de code nog eens na."
NOT_SAVED = "Het lukt nu niet om je melding te bewaren. Probeer het later nog eens."


class ConsentMissing(ValueError):
    """A need is only stored when the person said yes."""


class NeedStoreUnavailable(RuntimeError):
    """The needs database could not be reached or refused the work."""


class NeedNotSaved(NeedStoreUnavailable):
    """The need was not stored; nothing of it remains in the database."""


class NeedChangeRefused(ValueError):
    """A change staff asked for that cannot be made; the message is Dutch, for the staff page."""


@contextmanager
def session_for(db) -> Iterator[Session]:
    """The caller's session as is, or a new one (closed afterwards) for a URL or the default."""
    if isinstance(db, Session):
        yield db
        return
    try:
        session = session_factory(db)()
    except (SQLAlchemyError, OSError) as exc:  # bad URL or unusable SQLite directory
        raise NeedStoreUnavailable(f"database not available: {exc}") from exc
    try:
        yield session
    finally:
        session.close()


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    except SQLAlchemyError:
        pass  # the connection is gone; the transaction died with it


def _short(value: str | None, limit: int, name: str) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value or None


def _barriers(values: Iterable[str]) -> list[str]:
    if isinstance(values, str):
        values = [values]
    seen: list[str] = []
    for value in values or ():
        value = _short(value, 50, "barrier")
        if value and value not in seen:
            seen.append(value)
    return seen


def _municipality(nis: str | None) -> str | None:
    if nis is None or str(nis).strip() == "":
        return None
    from bot.places import by_nis

    municipality = by_nis(nis)
    if municipality is None:
        raise ValueError(f"unknown municipality NIS code {nis!r}")
    return municipality.nis_code


def _is_code_collision(exc: IntegrityError) -> bool:
    message = str(exc.orig)
    return "uq_need_code" in message or "need.code" in message


def record_need(
    db=None,
    *,
    kind: str,
    source: str,
    text: str,
    consent: bool = True,
    sender_id: str | None = None,
    category: str | None = None,
    barriers: Iterable[str] = (),
    municipality_nis: str | None = None,
    audience: str | None = None,
    age_band: str | None = None,
    now: datetime | None = None,
    code_factory: Callable[[], str] = codes.new_code,
) -> Need:
    """Store a need, redacted, with a fresh reference code; committed when this returns.

    Raises ConsentMissing without consent (nothing stored), ValueError for invalid fields,
    NeedNotSaved when the database fails (nothing stored). A session passed in is committed
    (and rolled back on failure), so it must not hold other unfinished work.
    """
    if consent is not True:
        raise ConsentMissing("A need is only stored with the person's consent.")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}")
    words = privacy.redact((text or "").strip()).text.strip()
    if not words:
        raise ValueError("text is empty")
    if len(words) > MAX_TEXT:
        words = words[: MAX_TEXT - 1].rstrip() + "…"
    fields = dict(
        kind=kind,
        source=source,
        text=words,
        sender_id=_short(sender_id, 255, "sender_id"),
        category=_short(category, 50, "category"),
        barriers=_barriers(barriers),
        municipality_nis=_municipality(municipality_nis),
        audience=_short(audience, 50, "audience"),
        age_band=_short(age_band, 20, "age_band"),
    )
    now = now or utcnow()

    try:
        with session_for(db) as session:
            collision: Exception | None = None
            for _ in range(MAX_CODE_ATTEMPTS):
                need = Need(
                    code=code_factory(),
                    created_at=now,
                    consent_given=True,
                    consent_at=now,
                    status=workflow.INITIAL,
                    **fields,
                )
                need.history.append(
                    NeedStatusChange(
                        from_status=None,
                        to_status=workflow.INITIAL,
                        changed_by=source,
                        changed_at=now,
                    )
                )
                session.add(need)
                try:
                    session.commit()
                    return need
                except IntegrityError as exc:
                    _rollback(session)
                    if not _is_code_collision(exc):
                        raise NeedNotSaved(f"need not saved: {exc.orig}") from exc
                    collision = exc  # someone else holds this code: draw another
                except SQLAlchemyError as exc:
                    _rollback(session)
                    raise NeedNotSaved(f"need not saved: {exc}") from exc
            raise NeedNotSaved("no free reference code found") from collision
    except NeedNotSaved:
        raise
    except NeedStoreUnavailable as exc:
        raise NeedNotSaved(str(exc)) from exc


def find_by_code(code: str | None, db=None) -> Need | None:
    """The need with this code (any spelling people type), or None for unknown or malformed."""
    canonical = codes.normalise(code)
    if canonical is None:
        return None
    with session_for(db) as session:
        try:
            return session.execute(
                select(Need).where(Need.code == canonical)
            ).scalar_one_or_none()
        except SQLAlchemyError as exc:
            _rollback(session)
            raise NeedStoreUnavailable(f"needs not available: {exc}") from exc


def parse_code(text: str | None) -> str | None:
    """The reference code inside a message ("wat is er met k7q4 m2xf?"), canonical, or None."""
    return codes.parse_code(text)


def status_message(need: Need) -> list[str]:
    """What the resident reads about their need: the status in plain words, then any reply."""
    lines = [
        f"Dit is de stand van je melding {need.display_code}.",
        workflow.RESIDENT_TEXT.get(need.status, workflow.RESIDENT_TEXT[workflow.NIEUW]),
    ]
    if need.public_reply and need.public_reply.strip():
        lines.append(f"Ons antwoord: {need.public_reply.strip()}")
    return lines


def status_reply(text: str | None, db=None) -> list[str]:
    """The whole answer to "wat is er met mijn melding …?": status, or why there is none."""
    code = parse_code(text)
    if code is None:
        return [NO_CODE]
    need = find_by_code(code, db)
    return status_message(need) if need else [UNKNOWN_CODE]


@contextmanager
def _changing(db, need_id: int) -> Iterator[tuple[Session, Need]]:
    """The need (locked where the backend can) in a transaction committed when the block ends.

    LookupError for an unknown need; any error rolls everything back.
    """
    with session_for(db) as session:
        try:
            need = session.get(Need, need_id, with_for_update=True)
            if need is None:
                raise LookupError(f"no need with id {need_id}")
            yield session, need
            session.commit()
        except SQLAlchemyError as exc:
            _rollback(session)
            raise NeedStoreUnavailable(f"need not changed: {exc}") from exc
        except BaseException:
            _rollback(session)
            raise


def _actor(by: str | None) -> str:
    return _short(by, 50, "by") or "onbekend"


def _staff_text(text: str | None, what: str) -> str | None:
    """Free text written by staff, redacted like a resident's; None when empty."""
    words = privacy.redact((text or "").strip()).text.strip()
    if len(words) > MAX_NOTE:
        raise NeedChangeRefused(f"{what} is te lang: maximaal {MAX_NOTE} tekens.")
    return words or None


def _audit(session: Session, by: str, action: str, need: Need, now: datetime, **values) -> None:
    audit.record(session, by, action, target_type="need", target_id=need.id, now=now, **values)


def _apply_status(session: Session, need: Need, new_status: str, by: str, note: str | None,
                  now: datetime, **extra) -> NeedStatusChange:
    """Check the move against the workflow table, then change, add history and audit."""
    workflow.check_transition(need.status, new_status)
    change = NeedStatusChange(
        need_id=need.id,
        from_status=need.status,
        to_status=new_status,
        changed_by=by,
        changed_at=now,
        note=note,
    )
    _audit(session, by, "need.status", need, now, before={"status": need.status},
           after={"status": new_status, "note": note, **extra})
    need.status = new_status
    need.closed_at = now if workflow.is_final(new_status) else None
    session.add(change)
    return change


def change_status(
    db,
    need_id: int,
    new_status: str,
    *,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> NeedStatusChange:
    """Move a need to ``new_status`` if TRANSITIONS allows it; appends history and an audit
    row; commits. The note is redacted.

    Raises workflow.TransitionNotAllowed (nothing changes), LookupError for an unknown need,
    NeedChangeRefused for a note that is too long.
    """
    now = now or utcnow()
    note = _staff_text(note, "De notitie")
    with _changing(db, need_id) as (session, need):
        return _apply_status(session, need, new_status, _actor(by), note, now)


def add_note(db, need_id: int, text: str, *, by: str, now: datetime | None = None) -> NeedNote:
    """An internal note on a need (redacted, never shown to the resident); audited; commits."""
    now = now or utcnow()
    words = _staff_text(text, "De notitie")
    if words is None:
        raise NeedChangeRefused("Schrijf eerst een notitie.")
    by = _actor(by)
    with _changing(db, need_id) as (session, need):
        note = NeedNote(need_id=need.id, author=by, created_at=now, text=words)
        session.add(note)
        _audit(session, by, "need.note", need, now, after={"note": words})
        return note


def set_public_reply(db, need_id: int, text: str | None, *, by: str,
                     now: datetime | None = None) -> Need:
    """The answer the resident reads when asking by code (status_message); empty removes it.
    Redacted; audited; commits."""
    now = now or utcnow()
    reply = _staff_text(text, "Het antwoord")
    by = _actor(by)
    with _changing(db, need_id) as (session, need):
        if need.public_reply != reply:
            _audit(session, by, "need.reply", need, now,
                   before={"reply": need.public_reply}, after={"reply": reply})
            need.public_reply = reply
        return need


def assign(db, need_id: int, username: str | None, *, by: str,
           now: datetime | None = None) -> Need:
    """Give a need to an active staff member, or to nobody (None or ""); audited; commits."""
    # Imported here: bot.accounts imports the needs model, which imports this package.
    from bot import accounts

    now = now or utcnow()
    by = _actor(by)
    with _changing(db, need_id) as (session, need):
        target = None
        if username and username.strip():
            user = accounts.find_user(session, username)
            if user is None or not user.active:
                raise NeedChangeRefused(f"Er is geen actieve medewerker '{username.strip()}'.")
            target = user.username
        if need.assigned_to != target:
            _audit(session, by, "need.assign", need, now,
                   before={"assigned_to": need.assigned_to}, after={"assigned_to": target})
            need.assigned_to = target
        return need


def mark_duplicate_of(db, need_id: int, other_code: str | None, *, by: str,
                      now: datetime | None = None) -> Need:
    """Link a need to the one it repeats, by that need's code ("K7Q4-M2XF"); empty removes
    the link. A link, not a merge: both needs stay as they are. Audited; commits.

    Refuses a malformed or unknown code, the need itself and a link back to a need that is
    already a duplicate of this one (NeedChangeRefused).
    """
    now = now or utcnow()
    by = _actor(by)
    typed = (other_code or "").strip()
    canonical = codes.normalise(typed) if typed else None
    if typed and canonical is None:
        raise NeedChangeRefused(f"'{typed[:20]}' is geen geldige code. Een code ziet eruit als "
                                "K7Q4-M2XF.")
    with _changing(db, need_id) as (session, need):
        other = None
        if canonical:
            other = session.execute(
                select(Need).where(Need.code == canonical)
            ).scalar_one_or_none()
            if other is None:
                raise NeedChangeRefused(
                    f"Er is geen melding met code {codes.format_code(canonical)}.")
            if other.id == need.id:
                raise NeedChangeRefused("Een melding kan geen dubbel van zichzelf zijn.")
            if other.duplicate_of_id == need.id:
                raise NeedChangeRefused(
                    f"Melding {other.display_code} is al een dubbel van deze melding.")
        before = need.duplicate_of.code if need.duplicate_of is not None else None
        after = other.code if other is not None else None
        if before != after:
            _audit(session, by, "need.duplicate", need, now,
                   before={"duplicate_of": before}, after={"duplicate_of": after})
            need.duplicate_of = other
        return need


@dataclass
class BulkResult:
    """What a bulk status change did: codes changed, codes refused with the reason, ids unknown."""

    changed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)


def bulk_change_status(
    db,
    need_ids: Iterable[int],
    new_status: str,
    *,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Move each need to ``new_status`` where the workflow table allows it, in one transaction;
    the others are left as they are and reported. Each change gets history and an audit row."""
    now = now or utcnow()
    if new_status not in workflow.TRANSITIONS:
        raise NeedChangeRefused(f"Onbekende status: {str(new_status)[:30]}.")
    ids = list(dict.fromkeys(int(i) for i in need_ids))
    if not ids:
        raise NeedChangeRefused("Kies eerst een of meer meldingen.")
    if len(ids) > MAX_BULK:
        raise NeedChangeRefused(f"Kies hoogstens {MAX_BULK} meldingen tegelijk.")
    note = _staff_text(note, "De notitie")
    by = _actor(by)
    result = BulkResult()
    with session_for(db) as session:
        try:
            needs = {
                need.id: need
                for need in session.execute(
                    select(Need).where(Need.id.in_(ids)).with_for_update()
                ).scalars()
            }
            for need_id in ids:
                need = needs.get(need_id)
                if need is None:
                    result.missing.append(need_id)
                    continue
                try:
                    _apply_status(session, need, new_status, by, note, now, bulk=True)
                except workflow.TransitionNotAllowed as exc:
                    result.refused.append((need.display_code, str(exc)))
                else:
                    result.changed.append(need.display_code)
            session.commit()
            return result
        except SQLAlchemyError as exc:
            _rollback(session)
            raise NeedStoreUnavailable(f"statuses not changed: {exc}") from exc
        except BaseException:
            _rollback(session)
            raise


def detach_conversations(session: Session, sender_ids: Iterable[str], *, dry_run=False) -> int:
    """Cut the link from needs to these conversations (the needs stay, anonymous).

    Works inside the caller's transaction; returns how many needs were (or would be) detached.
    """
    ids = list(dict.fromkeys(s for s in sender_ids if s))
    count = 0
    for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = ids[start : start + 500]
        if dry_run:
            count += len(
                session.execute(select(Need.id).where(Need.sender_id.in_(chunk))).all()
            )
        else:
            result = session.execute(
                update(Need)
                .where(Need.sender_id.in_(chunk))
                .values(sender_id=None)
                .execution_options(synchronize_session=False)
            )
            count += result.rowcount
    return count


def anonymise_closed(
    session: Session, closed_before: datetime, *, now: datetime | None = None, dry_run=False
) -> int:
    """Anonymise needs closed before ``closed_before``: no conversation link, text redacted
    again with today's rules. Idempotent (marked with anonymised_at). Caller's transaction."""
    now = now or utcnow()
    needs = session.execute(
        select(Need).where(
            Need.status.in_(sorted(workflow.FINAL)),
            Need.closed_at < closed_before,
            Need.anonymised_at.is_(None),
        )
    ).scalars().all()
    if not dry_run:
        for need in needs:
            need.sender_id = None
            need.text = privacy.redact(need.text).text
            need.anonymised_at = now
    return len(needs)
