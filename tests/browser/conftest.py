"""Browser tests: Debian's Chromium, driven by Playwright, against the real Klik stack.

One stack for this package (torn down when the package is done, so it never runs next to the
integration tests' stack), a second origin served by a small local HTTP server, and a fresh
Chromium profile for every test.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from tests.conftest import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
WAIT_MS = 45_000  # a first answer may wait for the model to warm up


def _no_browser_reason() -> str | None:
    if not CHROMIUM.exists():
        return ("Debian's Chromium is missing at /usr/bin/chromium: "
                "apt-get update && apt-get install -y chromium")
    try:
        import playwright.sync_api  # noqa: F401
        import axe_playwright_python  # noqa: F401
    except ImportError:
        return "playwright and axe-playwright-python are not installed (requirements.in)"
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="package")
def other_site(tmp_path_factory):
    """A web server on 127.0.0.1:<port>, another origin than the gateway, serving pages that
    tests write into its folder. http://localhost:<port> is the same server under an origin
    the gateway does not allow."""
    root = tmp_path_factory.mktemp("other-site")
    port = free_port()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = type("Site", (), {})()
    site.root, site.port = root, port
    site.allowed = f"http://127.0.0.1:{port}"
    site.refused = f"http://localhost:{port}"
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
def klik(tmp_path_factory, other_site):
    """The real stack (trained model, action server, Rasa, gateway) allowing other_site."""
    reason = _no_browser_reason()
    if reason:
        pytest.skip(reason)
    from tests.integration.stack import Stack

    stack = Stack(tmp_path_factory.mktemp("browser-var"),
                  extra_env={"KLIK_ALLOWED_ORIGINS": other_site.allowed}).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="package")
def playwright_driver():
    reason = _no_browser_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


class Browser:
    """One fresh Chromium profile; every page's JavaScript errors and dialogs are recorded."""

    def __init__(self, driver, **context_options):
        self.profile = tempfile.mkdtemp(prefix="klik-chromium-")
        self.context = driver.chromium.launch_persistent_context(
            self.profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            locale="nl-BE", **{"viewport": {"width": 1280, "height": 800}, **context_options},
        )
        self.context.set_default_timeout(WAIT_MS)
        self.errors: list[str] = []  # uncaught JavaScript exceptions
        self.console_errors: list[str] = []  # includes failed requests, which some tests expect
        self.dialogs: list[str] = []

    def new_page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    def close(self):
        self.context.close()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def browser(playwright_driver):
    b = Browser(playwright_driver)
    yield b
    b.close()
    assert b.errors == [], "JavaScript errors on the page"


@pytest.fixture
def page(browser):
    return browser.new_page()


@pytest.fixture
def make_browser(playwright_driver):
    """For tests that need their own context options (viewport, reduced motion…)."""
    made = []

    def make(**options):
        made.append(Browser(playwright_driver, **options))
        return made[-1]

    yield make
    for b in made:
        b.close()
    assert [e for b in made for e in b.errors] == [], "JavaScript errors on the page"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
