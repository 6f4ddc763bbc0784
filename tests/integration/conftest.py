"""The real stack for the integration tests, once per backend.

"sqlite" always; "postgres+redis" when KLIK_TEST_POSTGRES_URL and KLIK_TEST_REDIS_URL are set
(.ci/run sets them): fresh PostgreSQL databases for the app and Rasa's tracker store, and the
Redis lock store under a key prefix of its own. The fixture is package-scoped and parametrized,
so pytest runs every test on SQLite, stops that stack, then runs them all again on the next one:
never two stacks at once, and none left running when tests/browser starts its own. Tests that
start their own stack (test_supervisor.py) go first, before the shared one starts.
"""
import os
import uuid
from contextlib import ExitStack

import pytest

from tests.databases import postgres_database
from tests.integration.stack import Stack


def backends() -> list[str]:
    names = ["sqlite"]
    if os.environ.get("KLIK_TEST_POSTGRES_URL") and os.environ.get("KLIK_TEST_REDIS_URL"):
        names.append("postgres+redis")
    return names


@pytest.fixture(scope="package", params=backends())
def stack(request, tmp_path_factory):
    """One real stack per backend: trained model, action server, Rasa, gateway."""
    var_dir = tmp_path_factory.mktemp(f"stack-var-{request.param.replace('+', '-')}")
    with ExitStack() as cleanup:
        extra_env = {}
        if request.param == "postgres+redis":
            import redis

            prefix = f"kliktest{uuid.uuid4().hex[:12]}"
            extra_env = {
                "KLIK_DATABASE_URL": cleanup.enter_context(postgres_database()),
                "KLIK_TRACKER_STORE_URL": cleanup.enter_context(postgres_database()),
                "KLIK_REDIS_URL": os.environ["KLIK_TEST_REDIS_URL"],
                "KLIK_REDIS_KEY_PREFIX": prefix,
            }
            client = redis.Redis.from_url(os.environ["KLIK_TEST_REDIS_URL"])
            cleanup.callback(client.close)
            cleanup.callback(lambda: [client.delete(k) for k in client.scan_iter(f"{prefix}:*")])
        s = Stack(var_dir, extra_env=extra_env, backend=request.param)
        cleanup.callback(s.stop)  # runs first: the databases are dropped after the stack stops
        yield s.start()


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by backend
def pytest_collection_modifyitems(items):
    here = [i for i, item in enumerate(items) if item.nodeid.startswith("tests/integration/")]
    if not here:
        return
    own = [items[i] for i in here if "stack" not in getattr(items[i], "fixturenames", ())]
    shared = [items[i] for i in here if "stack" in getattr(items[i], "fixturenames", ())]
    for i, item in zip(here, own + shared):
        items[i] = item
