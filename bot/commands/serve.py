"""Run-time commands: run (everything), serve (the gateway alone)."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot import config

DEFAULT_MODEL = config.PROJECT_ROOT / "models" / "klik.tar.gz"


def _run(args) -> int:
    from bot import runner

    return asyncio.run(runner.run(config.load(), Path(args.model)))


def _serve(args) -> int:
    from bot.web.app import serve

    from bot import privacy

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    privacy.install_log_redaction()  # no phone number, e-mail, IBAN … in the gateway's log
    serve()
    return 0


def register(sub) -> None:
    p = sub.add_parser("run", help="start the action server, Rasa and the gateway")
    p.add_argument("--model", default=str(DEFAULT_MODEL))
    p.set_defaults(func=_run)
    p = sub.add_parser("serve", help="start the gateway only")
    p.set_defaults(func=_serve)
