"""Security headers on every kind of page; templates that need no 'unsafe-inline'."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.conftest import SENDER

TEMPLATES = Path(__file__).resolve().parents[2] / "bot" / "web" / "templates"


def directives(csp: str) -> dict[str, list[str]]:
    parts = (d.split() for d in csp.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


async def test_demo_page_allows_only_its_own_scripts(web_client):
    resp = await web_client.get("/")
    assert resp.status == 200
    csp = directives(resp.headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and csp["default-src"] == ["'none'"]
    assert csp["connect-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in resp.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/widget.js", "/static/widget.css"])
async def test_widget_assets_stay_loadable_from_other_sites(web_client, path):
    resp = await web_client.get(path, headers={"Origin": "https://www.gent.be"})
    assert resp.status == 200
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    # nosniff needs the right type, or browsers refuse the file.
    assert resp.headers["Content-Type"].split(";")[0] in ("application/javascript", "text/css")
    assert resp.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


async def test_staff_pages_refuse_frames_and_scripts(web_client):
    resp = await web_client.get("/staff/login")
    assert resp.status == 200
    csp = directives(resp.headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"] and "script-src" not in csp
    assert csp["default-src"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_staff_redirect_to_login_carries_the_headers_too(web_client):
    resp = await web_client.get("/staff/needs", allow_redirects=False)
    assert resp.status == 302
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


async def test_referral_page_may_show_its_qr_code_and_nothing_else(web_client):
    resp = await web_client.get("/verwijzing/ONBEKEND1")
    assert resp.status == 404  # the friendly page for an unknown code
    csp = directives(resp.headers["Content-Security-Policy"])
    assert "'self'" in csp["img-src"] and csp["style-src"] == ["'self'"]
    assert "script-src" not in csp and csp["frame-ancestors"] == ["'none'"]
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    qr = await web_client.get("/verwijzing/ONBEKEND1/qr.png")
    assert qr.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("method, path", [
    ("POST", "/api/chat"), ("GET", "/api/openapi.json"), ("GET", "/api/nothing"),
    ("GET", "/healthz"),
])
async def test_json_answers_forbid_everything(web_client, method, path):
    resp = await web_client.request(method, path, json={"sender": "x"})
    assert resp.content_type == "application/json"
    csp = directives(resp.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_unknown_page_still_gets_the_headers(web_client):
    resp = await web_client.get("/bestaat-niet")
    assert resp.status == 404
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in resp.headers


async def test_headers_a_handler_sets_itself_are_kept(web_client):
    resp = await web_client.get("/verwijzing/ONBEKEND1")
    assert resp.headers["Cache-Control"] == "no-store"  # set by referral_page itself
    assert resp.headers.getall("Referrer-Policy") == ["no-referrer"]


def _template_files():
    return sorted(TEMPLATES.rglob("*.html"))


INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> block"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_there_are_templates_to_check():
    assert len(_template_files()) > 5


@pytest.mark.parametrize("template", _template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_need_no_unsafe_inline(template):
    found = []
    for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
        found += [f"{template.name}:{number}: {what}" for rx, what in INLINE if rx.search(line)]
    assert not found, "the Content-Security-Policy would block: " + "; ".join(found)


def test_the_template_check_finds_inline_code():
    # The patterns above must catch what they are meant to catch.
    samples = ['<p style="color:red">', "<style>p{}</style>", "<script>alert(1)</script>",
               '<a onclick="x()">', '<a href="javascript:x()">']
    for sample, (rx, _) in zip(samples, INLINE):
        assert rx.search(sample)
    assert not INLINE[2][0].search('<script src="/widget.js" defer></script>')
