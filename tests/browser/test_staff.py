"""The staff needs inbox in a real browser against the real gateway (`python -m bot serve`, no
Rasa needed): sign in, filter, open a need, change its status with a note, see both in the
history; export the filter; axe-core finds no WCAG A/AA violations on the two pages."""
from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.in)")

import requests
from playwright.sync_api import expect

from bot.config import PROJECT_ROOT
from bot.db import dispose_all
from bot.needs.service import record_need
from tests.conftest import free_port

PASSWORD = "een-lang-wachtwoord-voor-de-browser"
T0 = datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc)


class Gateway:
    """`python -m bot serve` on a free port with its own var/ directory."""

    def __init__(self, var_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{var_dir / 'klik.db'}"
        self.env = {k: v for k, v in os.environ.items() if k != "KLIK_KEEP_TENSORFLOW"}
        self.env.update(
            KLIK_PORT=str(self.port),
            KLIK_RASA_PORT=str(free_port()),  # nothing listens there: Rasa is not needed
            KLIK_ACTION_PORT=str(free_port()),
            KLIK_VAR_DIR=str(var_dir),
            KLIK_DATABASE_URL=self.database_url,
            KLIK_TRACKER_STORE_URL=f"sqlite:///{var_dir / 'tracker.db'}",
            KLIK_SECRET_KEY="browser-test-secret-key-for-staff-sessions",
        )
        self.proc: subprocess.Popen | None = None

    def bot(self, *args: str, **env) -> None:
        subprocess.run([sys.executable, "-m", "bot", *args], cwd=PROJECT_ROOT, check=True,
                       env={**self.env, **env}, capture_output=True, timeout=300)

    def start(self, timeout: float = 120) -> "Gateway":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"], cwd=PROJECT_ROOT, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gateway exited while starting:\n" + self.proc.stdout.read())
            try:
                if requests.get(f"{self.url}/staff/login", timeout=2).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gateway did not listen in time")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, playwright_driver):
    """The gateway with staff member 'mila' and three needs (two in Gent, one in Antwerpen)."""
    gateway = Gateway(tmp_path_factory.mktemp("staff-var"))
    gateway.bot("migrate")
    gateway.bot("create-user", "mila", "--role", "staff", KLIK_PASSWORD=PASSWORD)
    url = gateway.database_url
    gateway.needs = {
        "gent": record_need(url, kind="nood", source="inwoner", municipality_nis="44021",
                            text="Geen zwemles voor mijn dochter op zaterdag", now=T0),
        "gent_idee": record_need(url, kind="idee", source="hulpverlener",
                                 municipality_nis="44021", text="Een repair café in de bib",
                                 now=T0 + timedelta(hours=1)),
        "antwerpen": record_need(url, kind="nood", source="inwoner", municipality_nis="11002",
                                 text="Theater met ringleiding", now=T0 + timedelta(hours=2)),
    }
    dispose_all()
    gateway.start()
    yield gateway
    gateway.stop()


def sign_in(page, gateway) -> None:
    page.goto(f"{gateway.url}/staff/needs")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))
    page.get_by_label("Gebruikersnaam").fill("mila")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(f"{gateway.url}/staff/needs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")


def inbox_codes(page) -> list[str]:
    return page.locator("table.needs-table tbody th[scope=row] a").all_inner_texts()


def test_filter_open_change_status_with_a_note_and_see_the_history(gateway, page):
    needs = gateway.needs
    sign_in(page, gateway)
    assert inbox_codes(page) == [needs[k].display_code for k in ("antwerpen", "gent_idee", "gent")]

    page.get_by_label("Gemeente (naam, postcode of NIS-code)").fill("Gent")
    page.get_by_label("Soort").select_option(label="Nood")
    page.get_by_role("button", name="Filter").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["municipality"] == ["Gent"] and query["kind"] == ["nood"]
    assert inbox_codes(page) == [needs["gent"].display_code]

    page.get_by_role("link", name=needs["gent"].display_code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Melding {needs['gent'].display_code}")
    expect(page.locator("blockquote.need-text")).to_have_text(
        "Geen zwemles voor mijn dochter op zaterdag")
    status = page.get_by_label("Nieuwe status")
    assert status.locator("option").all_inner_texts() == ["In behandeling"]  # the table's only step
    status.select_option(label="In behandeling")
    page.get_by_label("Notitie bij de wijziging (niet verplicht)").fill(
        "Ik vraag het na bij de sportdienst.")
    page.get_by_role("button", name="Wijzig de status").click()

    expect(page.get_by_role("status")).to_have_text("De status is nu 'In behandeling'.")
    history = page.locator("table.needs-history tbody tr")
    expect(history).to_have_count(2)
    last = history.nth(1)
    expect(last).to_contain_text("mila")
    expect(last).to_contain_text("Status: 'Nieuw' → 'In behandeling'")
    expect(last).to_contain_text("Ik vraag het na bij de sportdienst.")
    expect(page.locator("dl.fields")).to_contain_text("In behandeling")

    # Back in the inbox the filter still finds it, now under its new status.
    page.goto(f"{gateway.url}/staff/needs?status=in_behandeling")
    assert inbox_codes(page) == [needs["gent"].display_code]


def test_export_downloads_the_filter_as_csv(gateway, page):
    sign_in(page, gateway)
    page.goto(f"{gateway.url}/staff/needs?municipality=44021")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteer als CSV").click()
    assert download.value.suggested_filename.startswith("meldingen-")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read()), delimiter=";"))
    assert sorted(r["Code"] for r in rows) == sorted(
        gateway.needs[k].display_code for k in ("gent", "gent_idee"))
    assert {r["Gemeente"] for r in rows} == {"Gent"}


def test_needs_pages_pass_axe(gateway, page):
    from tests.browser.widget import axe_violations

    sign_in(page, gateway)
    for path in ("/staff/needs", f"/staff/needs/{gateway.needs['antwerpen'].id}"):
        page.goto(gateway.url + path)
        count, report = axe_violations(page)
        assert count == 0, report
