"""Set-up commands: migrate, build-nlp, create-user, set-password."""
from __future__ import annotations

import getpass
import os
import sys


def _migrate(args) -> int:
    from bot.db import migrate

    migrate.upgrade()
    print("Database is up to date.")
    return 0


def _build_nlp(args) -> int:
    from bot.nlp import PIPELINE_DIR
    from bot.nlp.build import build

    path = build(args.output or PIPELINE_DIR)
    print(f"Dutch spaCy pipeline built in {path}")
    return 0


def _password() -> str:
    if os.environ.get("KLIK_PASSWORD"):
        return os.environ["KLIK_PASSWORD"]
    if not sys.stdin.isatty():
        raise SystemExit("Set KLIK_PASSWORD or run this in a terminal to type the password.")
    first = getpass.getpass("Wachtwoord: ")
    if first != getpass.getpass("Nog eens: "):
        raise SystemExit("De twee wachtwoorden zijn niet gelijk.")
    return first


def _create_user(args) -> int:
    from bot import accounts
    from bot.db import session_scope

    try:
        with session_scope() as session:
            user = accounts.create_user(session, args.name, _password(), args.role)
            print(f"Gebruiker {user.username} ({user.role}) aangemaakt.")
    except accounts.AccountError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _set_password(args) -> int:
    from bot import accounts
    from bot.db import session_scope

    try:
        with session_scope() as session:
            accounts.set_password(session, args.name, _password())
            print(f"Wachtwoord van {args.name} gewijzigd.")
    except accounts.AccountError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def register(sub) -> None:
    p = sub.add_parser("migrate", help="create or upgrade the database (Alembic)")
    p.set_defaults(func=_migrate)
    p = sub.add_parser("build-nlp", help="build the Dutch spaCy pipeline")
    p.add_argument("--output", help="directory (default build/spacy/nl_klik)")
    p.set_defaults(func=_build_nlp)
    p = sub.add_parser("create-user", help="create a staff account")
    p.add_argument("name")
    p.add_argument("--role", choices=["admin", "staff"], required=True)
    p.set_defaults(func=_create_user)
    p = sub.add_parser("set-password", help="change a staff account's password")
    p.add_argument("name")
    p.set_defaults(func=_set_password)
