"""``python -m bot.rasa_worker run …``: Rasa's own ``rasa`` command, with two speed fixes.

- Rasa 3.6 checks every action server answer with ``jsonschema.validate``, which checks the
  schema itself and builds a new validator each time: 20-48 ms of CPU per action call, about
  half of a worker's time per message (benchmarks/RESULTS.md). Here the validator is built
  once; the check itself and its error message stay as Rasa has them.
- Calls to the action server share one pooled aiohttp session per endpoint and event loop:
  Rasa 3.6 opens a new session, and so a new TCP connection, for every action call.
- A SQLite tracker store gets a connection pool and WAL with synchronous=NORMAL, as Klik's own
  database has: Rasa opens a new connection per turn and waits for a full fsync on every
  commit, 5 ms on a quiet disk and 30-50 ms on a busy one. With WAL a crash of the process loses
  nothing; only a power cut can lose the last turns. PostgreSQL keeps Rasa's settings.

Everything else is Rasa unchanged.
"""
from __future__ import annotations

import asyncio
import sqlite3
import sys

import aiohttp
import rasa
import rasa.core.run as rasa_run
import rasa.core.tracker_store as tracker_store
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

if not rasa.__version__.startswith("3.6."):  # the patched method is Rasa 3.6's
    raise SystemExit(f"bot.rasa_worker is written for Rasa 3.6, found {rasa.__version__}")

_SPEC = RemoteAction.action_response_format_spec()
_CLS = validator_for(_SPEC)
_CLS.check_schema(_SPEC)
_VALIDATOR = _CLS(_SPEC)


def _validate_action_result(self: RemoteAction, result: dict) -> bool:
    try:
        _VALIDATOR.validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid."
        )
        raise e


RemoteAction._validate_action_result = _validate_action_result

# Shorter than the action server's keep-alive (Sanic: 5 s), so that Rasa never reuses a
# connection the server is just closing.
KEEPALIVE_SECONDS = 2.0
_sessions: dict = {}


class _Borrowed:
    """``async with`` on a shared session, without closing it at the end."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc) -> bool:
        return False


def _pooled_session(self: EndpointConfig) -> _Borrowed:
    loop = asyncio.get_running_loop()
    key = (id(loop), self.url, repr(sorted((self.headers or {}).items())), repr(self.basic_auth))
    session = _sessions.get(key)
    if session is None or session.closed:
        auth = None
        if self.basic_auth:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        # As EndpointConfig.session builds it, plus the connector that keeps connections.
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        _sessions[key] = session
    return _Borrowed(session)


EndpointConfig.session = _pooled_session


async def close_sessions() -> None:
    """Close the pooled sessions of the running loop (when the server stops)."""
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _sessions if k[0] == loop_id]:
        await _sessions.pop(key).close()


_rasa_close_resources = rasa_run.close_resources


async def _close_resources(app, loop) -> None:
    await _rasa_close_resources(app, loop)
    await close_sessions()


# serve_application registers rasa.core.run.close_resources by name when it builds the app.
rasa_run.close_resources = _close_resources

_rasa_engine_kwargs = tracker_store.create_engine_kwargs


def _engine_kwargs(url) -> dict:
    if make_url(str(url)).get_backend_name() != "sqlite":
        return _rasa_engine_kwargs(url)
    return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}


tracker_store.create_engine_kwargs = _engine_kwargs


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_conn, _record) -> None:
    if isinstance(dbapi_conn, sqlite3.Connection):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()


def main() -> None:
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
