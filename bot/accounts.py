"""Staff accounts: argon2-hashed passwords and roles (staff, admin)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Column, DateTime, Integer, String, select
from sqlalchemy.orm import Session

from bot.db import Base

ROLES = ("staff", "admin")
MIN_PASSWORD_LENGTH = 12
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")
_hasher = PasswordHasher()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class User(Base):
    __tablename__ = "staff_user"

    id = Column(Integer, primary_key=True)
    username = Column(String(50), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(10), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AccountError(ValueError):
    """A problem with an account request, worded for the person who made it."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")


def create_user(session: Session, username: str, password: str, role: str) -> User:
    username = username.strip().lower()
    if not _NAME.match(username):
        raise AccountError(
            "Gebruik 2 tot 50 kleine letters, cijfers, punt, streepje of underscore als naam."
        )
    if role not in ROLES:
        raise AccountError(f"Rol moet een van {', '.join(ROLES)} zijn.")
    _check_password(password)
    if session.execute(select(User).where(User.username == username)).scalar_one_or_none():
        raise AccountError(f"Gebruiker {username} bestaat al.")
    user = User(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, username: str, password: str) -> User:
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise AccountError(f"Gebruiker {username} bestaat niet.")
    _check_password(password)
    user.password_hash = _hasher.hash(password)
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password matches, else None (same work either way)."""
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        # Hash anyway so a missing user takes as long as a wrong password.
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user
