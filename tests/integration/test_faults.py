"""Faults through the real stack: a part is killed or cut off, the runner restarts it, and the
resident always gets a Dutch answer and never loses an answered turn or a need.

Every stack start costs a minute or more, so all checks share one stack with two Rasa workers,
on PostgreSQL when KLIK_TEST_POSTGRES_URL is set (the database check needs it). The tests run in
file order and each leaves the stack healthy for the next; the last one stops it with SIGTERM.
"""
from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.web.rasa_client import worker_order
from bot.web.turn import NO_ANSWER
from tests.databases import postgres_database
from tests.integration.stack import Stack

pytestmark = pytest.mark.stack

NOT_SAVED = "Sorry, bewaren lukt nu niet. Er is niets opgeslagen. Probeer het straks opnieuw."
RESTART_TIMEOUT_S = 240  # a Rasa worker loads its model again: a minute on a busy 2-core machine


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """One stack for every test here: two Rasa workers; PostgreSQL stores when available."""
    with ExitStack() as cleanup:
        extra_env = {"KLIK_RASA_WORKERS": "2"}
        if os.environ.get("KLIK_TEST_POSTGRES_URL"):
            extra_env["KLIK_DATABASE_URL"] = cleanup.enter_context(postgres_database())
            extra_env["KLIK_TRACKER_STORE_URL"] = cleanup.enter_context(postgres_database())
        stack = Stack(tmp_path_factory.mktemp("faults-var"), extra_env=extra_env)
        cleanup.callback(stack.stop)  # first: the databases are dropped after the stack stops
        yield stack.start()


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text") or "" for m in messages]


def current_pid(stack: Stack, name: str) -> int:
    """The pid of the process's latest start ("started" or "restarted NAME (pid N)")."""
    pids = [int(m.group(1)) for line in list(stack.lines)
            for m in [re.search(rf"started {name} \(pid (\d+)\)", line)] if m]
    assert pids, f"no pid for {name} in:\n{stack.log()}"
    return pids[-1]


def health(stack: Stack) -> tuple[int, dict]:
    resp = requests.get(f"{stack.url}/healthz", timeout=10)
    return resp.status_code, resp.json()


def klik_lines(stack: Stack, needle: str) -> list[str]:
    return [line for line in list(stack.lines) if line.startswith("klik") and needle in line]


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # gone once the runner has reaped it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"pid {pid} still there after SIGKILL")


def wait_until_back(stack: Stack, name: str) -> None:
    deadline = time.monotonic() + RESTART_TIMEOUT_S
    while time.monotonic() < deadline:
        if klik_lines(stack, f"{name} is back") and health(stack)[0] == 200:
            return
        assert stack.proc.poll() is None, f"the runner stopped:\n{stack.log()}"
        time.sleep(1)
    raise AssertionError(f"{name} not back within {RESTART_TIMEOUT_S} s:\n{stack.log()}")


def test_action_server_killed_the_bot_says_so_in_dutch_and_recovers(faulty):
    sender = str(uuid.uuid4())
    assert "Bron:" in " ".join(texts(faulty.chat(sender, "wat is artikel 27 eigenlijk"))), \
        "the knowledge question must work before the fault"

    kill(current_pid(faulty, "actions"))
    status, report = health(faulty)
    assert status == 503 and report["components"]["actions"] == "down", report
    assert report["components"]["rasa"] == "ok"

    # While it is down (it needs many seconds to start again): a knowledge question, a search
    # and a greeting each get the Dutch "something went wrong, try again", never silence.
    for message in ("wat is artikel 27 eigenlijk", "iets sportiefs voor mijn zoon van 10 in Antwerpen",
                    "hallo"):
        assert texts(faulty.chat(sender, message)) == [NO_ANSWER], message
    assert "opnieuw" in NO_ANSWER and "mis" in NO_ANSWER

    wait_until_back(faulty, "actions")
    died = klik_lines(faulty, "actions died")
    assert len(died) == 1 and "SIGKILL" in died[0] and "restarting it in" in died[0], died
    # The same conversation works again: a knowledge answer with its source, then a search.
    assert "Bron:" in " ".join(texts(faulty.chat(sender, "wat is artikel 27 eigenlijk")))
    found = faulty.chat(sender, "iets sportiefs voor mijn zoon van 10 in Antwerpen")
    assert any((m.get("custom") or {}).get("type") == "offerings" for m in found), found


def test_rasa_worker_killed_its_conversations_move_to_the_other(faulty):
    workers = [f"http://127.0.0.1:{faulty.rasa_port + i}" for i in range(2)]
    on_second = (s for s in iter(lambda: str(uuid.uuid4()), None)
                 if worker_order(s, workers)[0] == workers[1])
    sender = next(on_second)
    asked = faulty.chat(sender, "ik zoek iets om te zwemmen")  # the second worker asks where
    assert "gemeente" in " ".join(texts(asked))

    kill(current_pid(faulty, "rasa2"))
    status, report = health(faulty)
    assert status == 503 and report["components"]["rasa"] == "down", report
    assert report["rasa_workers"] == {workers[0]: "ok", workers[1]: "down"}

    # The first worker carries on with the conversation's state from the shared tracker store.
    assert "Voor wie" in " ".join(texts(faulty.chat(sender, "antwerpn")))
    for _ in range(3):  # new conversations that hash to the dead worker are answered as well
        assert "Ik ben Klik" in texts(faulty.chat(next(on_second), "hallo"))[0]

    wait_until_back(faulty, "rasa2")
    assert health(faulty)[1]["rasa_workers"] == {workers[0]: "ok", workers[1]: "ok"}
    assert "Ik ben Klik" in texts(faulty.chat(next(on_second), "hallo"))[0]


@contextmanager
def database_cut_off(database_url: str):
    """No new connections to this database and the open ones ended, until the block ends."""
    name = make_url(database_url).database
    admin = create_engine(os.environ["KLIK_TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT",
                          future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def test_database_down_while_confirming_a_need_nothing_half_written_then_saved_once(faulty):
    if not faulty.database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (KLIK_TEST_POSTGRES_URL)")
    sender = str(uuid.uuid4())

    def rows(sql: str, **params) -> list[dict]:
        # A connection of its own each time: the cut-off ends pooled ones.
        engine = create_engine(faulty.database_url, poolclass=NullPool, future=True)
        try:
            with engine.connect() as conn:
                return [dict(r._mapping) for r in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    def needs():
        return rows("SELECT id, code, kind, text, consent_given FROM need WHERE sender_id = :s",
                    s=sender)

    def history_rows():
        return rows("SELECT count(*) AS n FROM need_status_change")[0]["n"]

    history_before = history_rows()
    asked = faulty.chat(sender, "er is niks te doen voor jongeren in mijn dorp")
    assert "zonder je naam" in " ".join(texts(asked))

    with database_cut_off(faulty.database_url):
        status, report = health(faulty)
        assert status == 503 and report["components"]["database"] == "down", report
        refused = faulty.chat(sender, "/affirm")
    assert texts(refused)[0] == NOT_SAVED, refused
    assert needs() == [] and history_rows() == history_before  # nothing, not half of it

    # The database is back: the same yes saves the need, once and whole.
    saved = " ".join(texts(faulty.chat(sender, "/affirm")))
    assert "Je code is" in saved, saved
    stored = needs()
    assert len(stored) == 1, stored
    need = stored[0]
    assert need["code"].replace("-", "") in saved.replace("-", "")
    assert "jongeren" in need["text"] and need["consent_given"]
    assert rows("SELECT to_status FROM need_status_change WHERE need_id = :id",
                id=need["id"]) == [{"to_status": "nieuw"}]
    assert history_rows() == history_before + 1


def test_sigterm_with_a_turn_in_flight_answers_it_and_keeps_it(faulty):
    """Last: stops the stack. The action server is paused so the turn is surely in flight."""
    sender = str(uuid.uuid4())
    question = "wat is artikel 27 eigenlijk"
    pids = {name: current_pid(faulty, name) for name in ("actions", "rasa1", "rasa2", "gateway")}
    answer: dict = {}

    def ask():
        try:
            answer["messages"] = faulty.chat(sender, question)
        except Exception as exc:  # reported by the assertion below
            answer["error"] = exc

    os.kill(pids["actions"], signal.SIGSTOP)
    try:
        client = threading.Thread(target=ask)
        client.start()
        time.sleep(2)  # the turn waits in Rasa for the paused action server
        faulty.proc.send_signal(signal.SIGTERM)
        # The gateway stops taking new requests while the turn is still in flight.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                requests.get(f"{faulty.url}/widget.js", timeout=5)
            except requests.ConnectionError:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the gateway still takes requests after SIGTERM")
        assert client.is_alive(), answer
    finally:
        os.kill(pids["actions"], signal.SIGCONT)
    client.join(60)
    assert "Bron:" in " ".join(texts(answer.get("messages", []))), answer

    assert faulty.proc.wait(60) == 0, faulty.log()
    for name, pid in pids.items():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not klik_lines(faulty, "killing it"), faulty.log()  # each stopped on SIGTERM alone

    events = [json.loads(r["data"]) for r in faulty.rows(
        "tracker", "SELECT data FROM events WHERE sender_id = :s ORDER BY id", s=sender)]
    users = [i for i, e in enumerate(events) if e["event"] == "user" and e.get("text") == question]
    assert users, "the answered turn is not in the tracker store"
    assert any(e["event"] == "bot" and "Bron:" in (e.get("text") or "")
               for e in events[users[-1]:]), events
