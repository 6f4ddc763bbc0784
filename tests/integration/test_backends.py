"""Each stack really uses the stores it was given: PostgreSQL for both databases and Redis for
Rasa's conversation locks in the "postgres+redis" stack, SQLite files in the other."""
import json
import os
import uuid

import pytest
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.stack


def test_the_conversation_lands_in_the_stacks_tracker_store(stack):
    sender = str(uuid.uuid4())
    stack.chat(sender, "hallo")
    events = stack.rows("tracker", "SELECT type_name FROM events WHERE sender_id = :s", s=sender)
    assert "user" in [e["type_name"] for e in events]
    expected = "postgresql" if stack.backend == "postgres+redis" else "sqlite"
    assert make_url(stack.tracker_store_url).get_backend_name() == expected
    assert make_url(stack.database_url).get_backend_name() == expected


def test_postgres_stack_writes_no_sqlite_files(stack):
    if stack.backend != "postgres+redis":
        pytest.skip("only the PostgreSQL stack must leave var/ without database files")
    stack.chat(str(uuid.uuid4()), "hallo")
    assert stack.rows("app", "SELECT count(*) AS n FROM alembic_version")[0]["n"] == 1
    assert sorted(p.name for p in stack.var_dir.glob("*.db")) == []


def test_rasa_takes_its_conversation_lock_in_redis(stack):
    if stack.backend != "postgres+redis":
        pytest.skip("the SQLite stack keeps Rasa's locks in memory")
    import redis

    client = redis.Redis.from_url(os.environ["KLIK_TEST_REDIS_URL"])
    sender = str(uuid.uuid4())
    key = f"{stack.env['KLIK_REDIS_KEY_PREFIX']}:lock:{sender}"
    # A lock left behind by a worker that died, its only ticket long expired. Rasa reads it,
    # serves the turn and, with nobody else waiting, deletes it: a key that only the Redis lock
    # store can know about. An in-memory lock store would leave it untouched.
    stale = {"conversation_id": sender, "tickets": [json.dumps({"number": 0, "expires": 1.0})]}
    client.set(key, json.dumps(stale))
    try:
        assert client.exists(key)
        assert stack.chat(sender, "hallo")
        assert not client.exists(key), "Rasa did not use the Redis lock store"
    finally:
        client.delete(key)
        client.close()


def test_the_generated_endpoints_file_names_redis_but_not_its_password(tmp_path, monkeypatch):
    from rasa.shared.utils.io import read_yaml_file

    from bot import config, runner

    settings = config.Settings(redis_url="rediss://klik:s%40cret@cache.example:6380/2",
                               var_dir=tmp_path)
    monkeypatch.setenv("KLIK_REDIS_KEY_PREFIX", "klikgent")
    path = runner.endpoints_file(settings)
    assert path == tmp_path / "endpoints.yml" and "s@cret" not in path.read_text()
    monkeypatch.setenv("KLIK_ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("KLIK_TRACKER_STORE_URL", "sqlite:///x.db")
    for name, value in runner.child_env(settings).items():
        monkeypatch.setenv(name, value)
    assert read_yaml_file(str(path))["lock_store"] == {
        "type": "redis", "url": "cache.example", "port": 6380, "db": 2, "username": "klik",
        "use_ssl": True, "key_prefix": "klikgent", "password": "s@cret"}
    # Without KLIK_REDIS_URL Rasa gets endpoints.yml itself: locks in memory.
    assert runner.endpoints_file(config.Settings(var_dir=tmp_path)) == runner.ENDPOINTS
    assert "lock_store" not in read_yaml_file(str(runner.ENDPOINTS))
