"""One script tag on a site of another origin: CORS, data- attributes, style isolation."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.in)")

import re

import requests
from playwright.sync_api import expect

from tests.browser.widget import bot_messages, launcher, panel

HOSTILE_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Stad Gent – vrije tijd</title>
<link rel="icon" href="data:,">
<style>
  /* A host page with rough styles: none of them may reach into the widget. */
  * {{ color: #c00 !important; font-size: 9px !important; }}
  button {{ display: none !important; }}
  div {{ border: 5px dotted green; }}
</style></head>
<body><main><h1>Vrije tijd in Gent</h1><p>Welkom.</p></main>
<script src="{klik}/widget.js" defer data-title="Vrijetijdsloket" data-subtitle="Stad Gent"
  data-accent="#ffcc00" data-municipality="44021" data-position="left" data-open="false"></script>
</body></html>
"""


def contrast(rgb_a, rgb_b):
    def lum(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(rgb_a), lum(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def rgb(css):
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def host_page(other_site, klik):
    (other_site.root / "gemeente.html").write_text(HOSTILE_PAGE.format(klik=klik.url))
    return "/gemeente.html"


def test_preflight_is_answered_for_an_allowed_origin(klik, other_site):
    resp = requests.options(f"{klik.url}/api/chat", timeout=10, headers={
        "Origin": other_site.allowed, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert resp.status_code == 204
    assert resp.headers["Access-Control-Allow-Origin"] == other_site.allowed
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]


def test_preflight_is_refused_for_another_origin(klik, other_site):
    resp = requests.options(f"{klik.url}/api/chat", timeout=10, headers={
        "Origin": other_site.refused, "Access-Control-Request-Method": "POST"})
    assert resp.status_code == 403
    assert "Access-Control-Allow-Origin" not in resp.headers


def test_the_widget_works_on_an_allowed_site_and_keeps_its_own_style(klik, other_site, page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(other_site.allowed + host_page(other_site, klik))

    button = page.get_by_role("button", name="Vraag het aan Vrijetijdsloket")
    expect(button).to_be_visible()
    style = button.evaluate("""e => { const s = getComputedStyle(e);
      return {bg: s.backgroundColor, fg: s.color, size: parseFloat(s.fontSize)}; }""")
    assert rgb(style["fg"]) == (255, 255, 255)
    assert style["size"] >= 16, "the host page's font size does not reach the widget"
    # The yellow accent was darkened until white text on it is readable.
    assert contrast(rgb(style["bg"]), (255, 255, 255)) >= 4.5
    assert button.bounding_box()["x"] < 100, "data-position=left"

    button.click()
    expect(page.get_by_role("dialog", name="Vrijetijdsloket")).to_be_visible()
    expect(page.get_by_role("dialog")).to_contain_text("Stad Gent")
    # The municipality from data-municipality travelled as metadata: Klik names it.
    expect(bot_messages(page).first).to_contain_text("Gent")
    origins = {re.match(r"https?://[^/]+", u).group(0) for u in requested if u.startswith("http")}
    assert origins <= {other_site.allowed, klik.url}, "no third-party request"


def test_on_a_site_that_is_not_allowed_the_widget_says_so_in_dutch(klik, other_site, page):
    page.goto(other_site.refused + host_page(other_site, klik))
    launcher_button = page.get_by_role("button", name="Vraag het aan Vrijetijdsloket")
    launcher_button.click()
    expect(panel(page).or_(page.get_by_role("dialog"))).to_be_visible()
    expect(page.locator(".msg.note")).to_contain_text("Klik is even niet bereikbaar")
    expect(page.get_by_role("button", name="Probeer opnieuw")).to_be_visible()
    assert launcher(page).count() == 0  # this site renamed the launcher
