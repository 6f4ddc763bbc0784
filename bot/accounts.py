"""Staff accounts: argon2-hashed passwords, roles (staff, admin), lockout after failed logins.

Every change to an account is written to the audit log in the same transaction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, Column, Integer, String, select
from sqlalchemy.orm import Session

from bot import audit
from bot.db import Base
from bot.needs.model import UTCDateTime, utcnow

ROLES = ("staff", "admin")
ROLE_LABELS = {"staff": "Medewerker", "admin": "Beheerder"}
MIN_PASSWORD_LENGTH = 12
# Five wrong passwords in a row lock the account for a quarter of an hour.
MAX_FAILED_LOGINS = 5
LOCK_PERIOD = timedelta(minutes=15)
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")
_hasher = PasswordHasher()


class User(Base):
    __tablename__ = "staff_user"

    id = Column(Integer, primary_key=True)
    username = Column(String(50), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(10), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(UTCDateTime())
    last_login_at = Column(UTCDateTime())

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


class AccountError(ValueError):
    """A problem with an account request, worded for the person who made it."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Rol moet een van {', '.join(ROLES)} zijn.")


def find_user(session: Session, username: str) -> User | None:
    return session.execute(
        select(User).where(User.username == (username or "").strip().lower())
    ).scalar_one_or_none()


def _existing(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"Gebruiker {username} bestaat niet.")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.username)).scalars())


def create_user(session: Session, username: str, password: str, role: str,
                *, by: str = "system") -> User:
    username = (username or "").strip().lower()
    if not _NAME.match(username):
        raise AccountError(
            "Gebruik 2 tot 50 kleine letters, cijfers, punt, streepje of underscore als naam."
        )
    _check_role(role)
    _check_password(password)
    if find_user(session, username):
        raise AccountError(f"Gebruiker {username} bestaat al.")
    user = User(username=username, password_hash=_hasher.hash(password), role=role,
                active=True, failed_logins=0)
    session.add(user)
    session.flush()
    audit.record(session, by, "user.create", target_type="user", target_id=username,
                 after={"role": role, "active": True})
    return user


def set_password(session: Session, username: str, password: str, *, by: str = "system") -> User:
    user = _existing(session, username)
    _check_password(password)
    user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(session, by, "user.password", target_type="user", target_id=user.username)
    return user


def set_role(session: Session, username: str, role: str, *, by: str) -> User:
    user = _existing(session, username)
    _check_role(role)
    if user.username == by and role != "admin" and user.role == "admin":
        raise AccountError("Je kunt je eigen beheerdersrol niet afnemen.")
    if user.role != role:
        audit.record(session, by, "user.role", target_type="user", target_id=user.username,
                     before={"role": user.role}, after={"role": role})
        user.role = role
    return user


def set_active(session: Session, username: str, active: bool, *, by: str) -> User:
    user = _existing(session, username)
    if user.username == by and not active:
        raise AccountError("Je kunt je eigen account niet uitzetten.")
    if user.active != active:
        audit.record(session, by, "user.active", target_type="user", target_id=user.username,
                     before={"active": user.active}, after={"active": active})
        user.active = active
    return user


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked: bool = False


def login(session: Session, username: str, password: str,
          *, now: datetime | None = None) -> LoginResult:
    """Check a login; counts failures and locks the account after MAX_FAILED_LOGINS.

    Unknown, inactive and locked accounts cost the same hashing work as a wrong password, so
    timing does not tell which names exist. The caller commits.
    """
    now = now or utcnow()
    user = find_user(session, username)
    if user is None or not user.active:
        _hasher.hash(password or "")
        return LoginResult(None)
    if user.locked_until and user.locked_until > now:
        _hasher.hash(password or "")
        return LoginResult(None, locked=True)
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.failed_logins = 0
            user.locked_until = now + LOCK_PERIOD
            audit.record(session, "system", "user.locked", target_type="user",
                         target_id=user.username, after={"locked_until": user.locked_until.isoformat()},
                         now=now)
            return LoginResult(None, locked=True)
        return LoginResult(None)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the login succeeds, else None."""
    return login(session, username, password).user
