"""axe-core (WCAG 2.0/2.1 A and AA) on the demo page with the widget closed, open and showing
offering cards; small screens, 200% zoom, visible focus; screenshots for people to look at."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.in)")

from playwright.sync_api import expect

from tests.browser.widget import (
    axe_violations,
    bot_messages,
    launcher,
    message_field,
    open_widget,
    panel,
    say,
    tool,
    user_messages,
)

# A canned message in the shape the offering search will send. Only this card fixture is fed to
# the renderer through the public hook; every other test talks to the real stack.
CARDS = {
    "text": "Ik vond **2 dingen** voor je. Lees meer op https://www.uitinvlaanderen.be.\n"
            "- Kijk of je korting krijgt\n- Bel gerust: [bel de UiTPAS-balie](tel:+3292101010)\n"
            "Geen [link](javascript:alert(1)) hier.",
    "custom": {
        "type": "offerings",
        "offerings": [
            {"id": "o1", "name": "Zwemmen voor iedereen", "summary": "Vrij zwemmen in het stedelijk bad.",
             "price": "€ 1,20 met kansentarief", "where": "Zwembad Rooigem", "when": "Elke woensdag",
             "reasons": ["Het kost weinig", "Je hoeft niet in te schrijven"],
             "more_payload": "/offering_details{\"offering_id\": \"o1\"}"},
            {"id": "o2", "name": "Voorleesuurtje", "summary": "Verhalen voor kinderen in de bib.",
             "price": 0, "where": "Bibliotheek De Krook", "when": "Zaterdag om 10 uur",
             "reasons": ["Gratis"], "more_payload": "/offering_details{\"offering_id\": \"o2\"}"},
        ],
    },
}


def show_cards(page):
    open_widget(page)
    page.evaluate("m => window.KlikWidget.render(m)", CARDS)
    expect(page.locator(".card")).to_have_count(2)


def assert_no_violations(page):
    count, report = axe_violations(page)
    assert count == 0, report


def test_axe_with_the_widget_closed(klik, page):
    page.goto(klik.url)
    expect(launcher(page)).to_be_visible()
    assert_no_violations(page)


def test_axe_with_the_widget_open(klik, page):
    page.goto(klik.url)
    open_widget(page)
    say(page, "wat kunde gij allemaal")
    assert_no_violations(page)
    tool(page, "Verwijder mijn gesprek").click()
    expect(page.get_by_role("button", name="Ja, verwijder")).to_be_visible()
    assert_no_violations(page)


def test_axe_with_offering_cards(klik, page):
    page.goto(klik.url)
    show_cards(page)
    assert_no_violations(page)
    tool(page, "Tekst groter").click()
    assert_no_violations(page)


def test_cards_show_what_a_person_needs_to_decide(klik, page):
    page.goto(klik.url)
    show_cards(page)
    card = page.locator(".card").first
    expect(card.get_by_role("heading", name="Zwemmen voor iedereen")).to_be_visible()
    expect(card).to_contain_text("Vrij zwemmen in het stedelijk bad.")
    expect(card).to_contain_text("Prijs: € 1,20 met kansentarief")
    expect(card).to_contain_text("Waar: Zwembad Rooigem")
    expect(card).to_contain_text("Waarom dit bij je past:")
    expect(card.locator("li")).to_have_text(["Het kost weinig", "Je hoeft niet in te schrijven"])
    expect(page.locator(".card").nth(1)).to_contain_text("Prijs: gratis")

    # The safe renderer: bold, a list, http and tel links; a javascript: link stays text.
    bubble = bot_messages(page).last.locator(".bubble")
    expect(bubble.locator("strong")).to_have_text("2 dingen")
    expect(bubble.locator("ul > li")).to_have_count(2)
    web = bubble.locator("a[href^='https:']")
    expect(web).to_have_attribute("href", "https://www.uitinvlaanderen.be/")
    expect(web).to_have_attribute("rel", "noopener noreferrer")
    expect(web).to_have_attribute("target", "_blank")
    expect(bubble.locator("a[href^='tel:']")).to_have_text("bel de UiTPAS-balie")
    assert bubble.locator("a").count() == 2
    expect(bubble).to_contain_text("Geen link hier.")

    # "Meer info" asks the real stack, shown as the person's own message.
    card.get_by_role("button", name="Meer info over Zwemmen voor iedereen").click()
    expect(user_messages(page).last).to_contain_text("Meer info over Zwemmen voor iedereen")
    expect(page.locator(".typing")).to_be_hidden()


@pytest.mark.parametrize("width, height", [(375, 740), (1280, 800)])
def test_screenshots(klik, make_browser, artifacts, width, height):
    page = make_browser(viewport={"width": width, "height": height}).new_page()
    page.goto(klik.url)
    expect(launcher(page)).to_be_visible()
    page.screenshot(path=str(artifacts / f"widget-{width}-closed.png"))
    open_widget(page)
    say(page, "wat kunde gij allemaal")
    page.wait_for_timeout(800)  # let the smooth scroll finish
    page.screenshot(path=str(artifacts / f"widget-{width}-open.png"))
    page.evaluate("m => window.KlikWidget.render(m)", CARDS)
    expect(page.locator(".card")).to_have_count(2)
    page.wait_for_timeout(800)
    page.screenshot(path=str(artifacts / f"widget-{width}-cards.png"))


# 320 px wide (WCAG reflow) and 1280 px at 200% zoom, which leaves 640 x 400 CSS pixels.
@pytest.mark.parametrize("name, width, height", [("320px", 320, 640), ("zoom200", 640, 400)])
def test_small_screens_and_zoom_keep_everything_usable(klik, make_browser, artifacts, name, width, height):
    page = make_browser(viewport={"width": width, "height": height}).new_page()
    page.goto(klik.url)
    open_widget(page)
    say(page, "wat kunde gij allemaal")
    page.evaluate("m => window.KlikWidget.render(m)", CARDS)
    expect(page.locator(".card")).to_have_count(2)
    box = panel(page).bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height
    for selector in (".panel", ".log", ".card"):
        overflow = page.locator(selector).first.evaluate("e => e.scrollWidth - e.clientWidth")
        assert overflow <= 0, f"{selector} scrolls sideways at {name}"
    for control in (message_field(page), page.get_by_role("button", name="Stuur"),
                    page.get_by_role("button", name="Sluit de chat")):
        b = control.bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= width and b["y"] + b["height"] <= height
    page.wait_for_timeout(800)
    page.screenshot(path=str(artifacts / f"widget-{name}.png"))


def test_focus_is_visible(klik, page):
    page.goto(klik.url)
    launcher(page).focus()
    page.keyboard.press("Enter")  # keyboard use: :focus-visible applies from here on
    expect(panel(page)).to_be_visible()
    page.keyboard.press("Shift+Tab")
    style = page.evaluate("""() => {
      let a = document.activeElement;
      while (a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
      const s = getComputedStyle(a);
      return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), tag: a.tagName};
    }""")
    assert style["tag"] in ("BUTTON", "DIV") and style["style"] == "solid" and style["width"] >= 2
