"""Helpers to drive and read the widget the way a person would (roles, names, keys)."""
from __future__ import annotations

import pytest

pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed")

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()

# The element that has the focus, looking inside shadow roots.
_FOCUSED = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a) return null;
  return {tag: a.tagName.toLowerCase(), cls: a.className || "", text: (a.textContent || "").trim(),
          label: a.getAttribute("aria-label") || "", disabled: !!a.disabled, id: a.id || ""};
}"""


def launcher(page: Page):
    return page.get_by_role("button", name="Vraag het aan Klik")


def panel(page: Page):
    return page.get_by_role("dialog", name="Klik")


def message_field(page: Page):
    return page.get_by_role("textbox", name="Je bericht aan Klik")


def bot_messages(page: Page):
    return page.locator(".msg.bot")


def user_messages(page: Page):
    return page.locator(".msg.user")


def focused(page: Page) -> dict | None:
    return page.evaluate(_FOCUSED)


def wait_for_greeting(page: Page) -> None:
    expect(bot_messages(page).first).to_contain_text("Ik ben Klik")


def open_widget(page: Page) -> None:
    launcher(page).click()
    expect(panel(page)).to_be_visible()
    wait_for_greeting(page)


def say(page: Page, text: str) -> None:
    """Type a message and send it with Enter; wait for at least one new bot message."""
    before = bot_messages(page).count()
    field = message_field(page)
    field.fill(text)
    field.press("Enter")
    expect(bot_messages(page)).not_to_have_count(before)
    expect(page.locator(".typing")).to_be_hidden()


def stored_state(page: Page) -> dict:
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('klik.state'))")


def axe_violations(page: Page) -> tuple[int, str]:
    results = _axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]})
    return results.violations_count, results.generate_report()


def tool(page: Page, name: str):
    """A button behind "Meer" (text size, new conversation, delete): opens "Meer" first."""
    more = page.get_by_role("button", name="Meer", exact=True)
    if more.get_attribute("aria-expanded") != "true":
        more.click()
    return page.get_by_role("button", name=name, exact=True)
