"""The OpenAPI document is served and true: schemathesis fuzzes the real gateway against it.

The gateway runs on a free port in its own thread (schemathesis calls it synchronously);
nothing listens where Rasa should be, so /api/chat answers the documented 503.
"""
from __future__ import annotations

import asyncio
import threading

import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from bot.db import migrate
from bot.web import openapi
from tests.conftest import free_port
from tests.web.conftest import SENDER, gateway_app

# A 503 is documented (Rasa is down here); any other 5xx is a failure.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", "503"]}}})
schema = schemathesis.openapi.from_dict(openapi.document(), config=CONFIG)


def only_unavailable_is_a_5xx(ctx, response, case):
    """The one 5xx the gateway may give is 'unavailable'; every error is our JSON error."""
    if response.status_code >= 500:
        assert response.status_code == 503, response.status_code
        assert response.json()["error"]["code"] == "unavailable"
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"][0]
        assert content_type.startswith("application/json"), content_type
        error = response.json()["error"]
        assert error["code"] and error["nl"] and error["en"]


class LiveGateway:
    """The wired gateway app served by aiohttp on 127.0.0.1, in a thread with its own loop."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.url = ""
        self.error: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self.app)
        try:
            self.loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0)
            self.loop.run_until_complete(site.start())
            host, port = runner.addresses[0][:2]
            self.url = f"http://{host}:{port}"
        except BaseException as exc:  # reported to the test thread
            self.error = exc
            self.ready.set()
            return
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())
        self.loop.close()

    def __enter__(self) -> str:
        self.thread.start()
        self.ready.wait(30)
        if self.error is not None:
            raise self.error
        return self.url

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


@pytest.fixture
def live_url(klik_env, monkeypatch):
    monkeypatch.setenv("KLIK_RASA_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ACTION_PORT", str(free_port()))
    # The fuzzer is one fast sender: the limits are tested in test_rate_limit.py.
    monkeypatch.setenv("KLIK_RATE_PER_SENDER", "100000/1")
    monkeypatch.setenv("KLIK_RATE_PER_CLIENT", "100000/1")
    migrate.upgrade()
    with LiveGateway(gateway_app()) as url:
        yield url


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_keeps_its_documented_contract(case, live_url):
    # Every answer is documented, JSON, of the documented shape; no 5xx but the documented 503.
    case.call_and_validate(base_url=live_url, additional_checks=[only_unavailable_is_a_5xx])


async def test_the_document_is_served(web_client):
    resp = await web_client.get("/api/openapi.json")
    assert resp.status == 200
    doc = await resp.json()
    assert doc["openapi"].startswith("3.0")
    assert {"/api/chat", "/api/forget", "/api/feedback"} <= set(doc["paths"])
    for path in ("/api/chat", "/api/forget", "/api/feedback"):
        assert {"200", "400", "413", "429", "503"} <= set(doc["paths"][path]["post"]["responses"])


def test_every_post_route_of_the_api_is_documented(klik_env):
    app = gateway_app()
    routes = {(r.method, r.resource.canonical) for r in app.router.routes()
              if r.resource is not None and r.resource.canonical.startswith("/api/")}
    documented = {(method.upper(), path) for path, ops in openapi.document()["paths"].items()
                  for method in ops}
    assert routes - {("HEAD", "/api/openapi.json")} == documented


async def _error_code(resp) -> str:
    assert 400 <= resp.status < 500
    assert resp.content_type == "application/json"
    error = (await resp.json())["error"]
    assert error["nl"] and error["en"]
    return error["code"]


@pytest.mark.parametrize("message", [
    "hallo\u0000", "a\u0007b", "\u001b[31mrood", "x\u007fy", "half \ud800 teken",
])
async def test_control_characters_in_a_chat_message_are_refused(web_client, message):
    resp = await web_client.post("/api/chat", json={"sender": SENDER, "message": message})
    assert await _error_code(resp) == "invalid_characters"


async def test_tabs_and_new_lines_are_fine(web_client):
    resp = await web_client.post("/api/chat", json={"sender": SENDER, "message": "een\n\ttwee\r\n"})
    assert resp.status == 503  # validation passed; nothing listens where Rasa should be


@pytest.mark.parametrize("text", ["dank\u0000", "half \ud800 teken"])
async def test_control_characters_in_feedback_text_are_refused(web_client, text):
    body = {"sender": SENDER, "message_index": 0, "value": "up", "text": text}
    resp = await web_client.post("/api/feedback", json=body)
    assert await _error_code(resp) == "invalid_text"


@pytest.mark.parametrize("path", ["/api/chat", "/api/forget", "/api/feedback"])
@pytest.mark.parametrize("raw", [
    b'{"sender": "' + SENDER.encode() + b'", "message": "caf\xe9"}',  # Latin-1, not UTF-8
    b'{"sender": "' + SENDER.encode() + b'", "message": "\xed\xa0\x80"}',  # encoded surrogate
    b"\xff\xfe{}",
])
async def test_invalid_utf8_is_a_json_400(web_client, path, raw):
    resp = await web_client.post(path, data=raw, headers={"Content-Type": "application/json"})
    assert await _error_code(resp) == "invalid_json"


@pytest.mark.parametrize("path", ["/api/chat", "/api/forget", "/api/feedback"])
async def test_deeply_nested_json_is_a_400_not_a_crash(web_client, path):
    raw = b"[" * 8000 + b"]" * 8000  # within the size limit, beyond Python's recursion limit
    resp = await web_client.post(path, data=raw, headers={"Content-Type": "application/json"})
    assert await _error_code(resp) == "invalid_json"


@pytest.mark.parametrize("path", ["/api/chat", "/api/forget", "/api/feedback"])
async def test_a_huge_body_is_a_json_413_on_every_route(web_client, path):
    resp = await web_client.post(path, data=b"{" + b" " * 40_000 + b"}",
                                 headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert (await resp.json())["error"]["code"] == "too_large"
