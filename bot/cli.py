"""``python -m bot …``: every module in bot/commands registers its own sub-commands."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import bot.commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Klik command line")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(bot.commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"bot.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        raise
    except Exception as exc:  # a clear message, never a stack trace, for people at a terminal
        if getattr(args, "debug", False):
            raise
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
