"""The note page and its QR code through a real aiohttp app and a real database."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import aiohttp_jinja2
import jinja2
import pytest
import zxingcpp
from aiohttp import web
from PIL import Image

from bot import config
from bot.plain_language import MAX_SENTENCE_WORDS, check_text, sentences, words
from bot.referral import ClientProfile, create_referral, match
from bot.db import session_scope
from bot.web import referral_page
from tests.referral.conftest import NOW, SCHAARBEEK

WEB = Path(referral_page.__file__).resolve().parent
PUBLIC = "https://klik.example.be"


def app_for(url: str) -> web.Application:
    """Like bot.web.app.create_app: Jinja2 templates, static files, and the referral routes."""
    app = web.Application()
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(str(WEB / "templates")),
                         autoescape=jinja2.select_autoescape(["html"]))
    app.router.add_static("/static/", WEB / "static")
    referral_page.add_routes(app, config.Settings(database_url=url), clock=lambda: NOW)
    return app


@pytest.fixture
async def client(aiohttp_client, db_url):
    return await aiohttp_client(app_for(db_url))


def refer(url, profile, now=NOW, n=3):
    with session_scope(url) as s:
        ids = [m.offering_id for m in match(s, profile)[:n]]
    return create_referral(url, profile, ids, now=now)


class Page(HTMLParser):
    """The visible text, headings, images and inline-style use of an HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.text: list[str] = []
        self.headings: list[int] = []
        self.images: list[dict] = []
        self.inline_style = False
        self.scripts = 0
        self.lang = None
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "style" in attrs or tag == "style":
            self.inline_style = True
        if tag == "script":
            self.scripts += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(attrs)
        if tag in ("title", "script", "style"):
            self._skip += 1
        if tag in ("p", "li", "dt", "dd", "h1", "h2", "h3", "figcaption", "br"):
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("title", "script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return re.sub(r"[ \t]+", " ", "".join(self.text))


async def test_the_note_shows_what_where_when_price_and_what_to_bring(client, db_url,
                                                                        family_gent):
    receipt = refer(db_url, family_gent)
    resp = await client.get(receipt.path)
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    html = await resp.text()
    page = Page(html)
    text = page.visible
    for name in receipt.offerings:
        assert name in text
    assert "Zwemles voor kinderen" in text and "woensdag 14:00-14:45" in text  # what, when
    assert "Stedelijk zwembad" in text and "9000 Gent" in text  # where
    assert "Gewone prijs: €5." in text
    assert "Met een UiTPAS met kansentarief betaal je €1." in text  # with their discount
    assert "je identiteitskaart (eID)" in text and "je UiTPAS" in text  # what to bring
    assert "het sociaal huis of OCMW van Gent" in text  # who to ask
    assert "Let op: dit zijn voorbeelden." in text and "Voorbeeld: dit bestaat niet echt." in text
    assert "30 mei 2027" in text  # expiry: 90 days after 1 March 2027
    assert "Bron: Gemeente Pelt, UiTPAS kansentarief" in text
    assert f"Link: http://{client.server.host}:{client.server.port}{receipt.path}" in text


async def test_the_page_is_accessible_markup_without_inline_code(client, db_url, family_gent):
    receipt = refer(db_url, family_gent)
    page = Page(await (await client.get(receipt.path)).text())
    assert page.lang == "nl"
    assert not page.inline_style and page.scripts == 0
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:]))
    assert page.images and all(img.get("alt") for img in page.images)


async def test_the_page_has_large_type_and_a4_print_styles(client, db_url, family_gent):
    receipt = refer(db_url, family_gent)
    html = await (await client.get(receipt.path)).text()
    assert '<link rel="stylesheet" href="/static/referral.css">' in html
    resp = await client.get("/static/referral.css")
    assert resp.status == 200
    css = await resp.text()
    assert re.search(r"html\s*\{\s*font-size:\s*125%", css)  # 20px instead of 16px
    print_block = css[css.index("@media print"):]
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", print_block)
    assert ".screen-only { display: none; }" in print_block


async def test_no_client_name_or_status_on_the_page(client, db_url):
    profile = ClientProfile.build(municipality="Gent", group="kind", ages="7",
                                  barriers=["geld"], statuses=["leefloon"])
    receipt = refer(db_url, profile)
    text = Page(await (await client.get(receipt.path)).text()).visible.lower()
    assert "leefloon" not in text and "7 jaar" not in text
    assert "er staat geen naam op dit blad." in text


async def test_the_qr_code_decodes_to_the_link_of_the_page(client, db_url, family_gent):
    receipt = refer(db_url, family_gent)
    page = Page(await (await client.get(receipt.path)).text())
    qr_src = page.images[0]["src"]
    assert qr_src == f"{receipt.path}/qr.png"
    resp = await client.get(qr_src)
    assert resp.status == 200 and resp.content_type == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(await resp.read())))
    assert [d.text for d in decoded] == [str(client.make_url(receipt.path))]


async def test_the_qr_code_uses_the_public_url(client, db_url, family_gent, monkeypatch):
    monkeypatch.setenv("KLIK_PUBLIC_URL", PUBLIC + "/")
    receipt = refer(db_url, family_gent)
    assert receipt.url == PUBLIC + receipt.path
    resp = await client.get(receipt.path + "/qr.png")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(await resp.read())))
    assert [d.text for d in decoded] == [receipt.url]
    assert f"Link: {receipt.url}" in Page(await (await client.get(receipt.path)).text()).visible


async def test_a_typed_code_finds_the_note(client, db_url, family_gent):
    receipt = refer(db_url, family_gent)
    typed = "-".join([receipt.code[:5], receipt.code[5:10], receipt.code[10:]]).lower()
    resp = await client.get(f"/verwijzing/{typed}")
    assert resp.status == 200


async def test_an_unknown_code_gets_a_clear_404_page(client):
    resp = await client.get("/verwijzing/K7Q4MM2XFA3C9PQ")
    assert resp.status == 404
    page = Page(await resp.text())
    assert "We vinden dit blad niet" in page.visible
    assert "90 dagen" in page.visible
    assert check_text("404", page.visible) == []
    assert (await client.get("/verwijzing/K7Q4MM2XFA3C9PQ/qr.png")).status == 404
    assert (await client.get("/verwijzing/%3Cscript%3E")).status == 404


async def test_an_expired_code_gets_a_clear_410_page(client, db_url):
    profile = ClientProfile(municipality=SCHAARBEEK, group="senior", barriers=("geld",))
    receipt = refer(db_url, profile, now=NOW - timedelta(days=91))
    resp = await client.get(receipt.path)
    assert resp.status == 410
    page = Page(await resp.text())
    assert "Dit blad bestaat niet meer" in page.visible
    assert "28 februari 2027" in page.visible  # 91 days earlier + 90 days
    assert check_text("410", page.visible) == []
    assert (await client.get(receipt.path + "/qr.png")).status == 410


async def test_a_database_that_is_down_gets_a_clear_503_page(aiohttp_client):
    client = await aiohttp_client(app_for("postgresql://nobody@127.0.0.1:1/none"))
    resp = await client.get("/verwijzing/K7Q4MM2XFA3C9PQ")
    assert resp.status == 503
    assert "Probeer het later nog eens." in Page(await resp.text()).visible


async def test_the_fixed_texts_of_the_note_are_plain_dutch(client, db_url):
    profile = ClientProfile(municipality=SCHAARBEEK, group="volwassene", barriers=("geld",))
    receipt = refer(db_url, profile, n=1)
    text = Page(await (await client.get(receipt.path)).text()).visible
    for sentence in ("Op dit blad staat wat je kan doen.",
                     "Scan de code met je gsm. Dan zie je dit blad op je gsm.",
                     "Je kan ook de persoon bellen die je dit blad gaf."):
        assert sentence in text
        assert check_text("note", sentence) == []
    # Every sentence on the page, catalogue text included, stays short.
    for sentence in sentences(text):
        assert len(words(sentence)) <= MAX_SENTENCE_WORDS, sentence
