"""The widget in Debian's Chromium against the real stack: keyboard, memory, safety, care."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.in)")

import re

from playwright.sync_api import expect
from sqlalchemy import select

from bot.conversations import count_events
from bot.db import session_scope
from bot.feedback import Feedback
from tests.browser.widget import (
    bot_messages,
    focused,
    launcher,
    open_widget,
    panel,
    say,
    stored_state,
    tool,
    user_messages,
    wait_for_greeting,
)

CAPABILITIES = "sport, cultuur en vrije tijd"


def test_keyboard_only_from_launcher_to_quick_reply(klik, page):
    page.goto(klik.url)
    # Tab through the page until the launcher has the focus (it is the last tab stop).
    for _ in range(30):
        page.keyboard.press("Tab")
        if (focused(page) or {}).get("cls") == "launch":
            break
    assert focused(page)["text"].endswith("Vraag het aan Klik")
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    expect(panel(page)).to_be_visible()
    expect(launcher(page)).to_have_attribute("aria-expanded", "true")
    assert focused(page)["id"] == "klik-input", "focus goes to the message field on open"
    wait_for_greeting(page)

    page.keyboard.type("wat kunde gij allemaal")
    page.keyboard.press("Enter")
    expect(bot_messages(page).last).to_contain_text("Ik ben een computer")
    expect(user_messages(page).last).to_have_text(re.compile("wat kunde gij allemaal$"))
    answers = bot_messages(page).count()
    # Typing something switched off the greeting's buttons; only the newest ones are live.
    newest = bot_messages(page).nth(answers - 1).locator(".reply")
    expect(page.locator(".replies .reply:enabled")).to_have_count(newest.count())

    # Shift+Tab from the field reaches the newest quick replies first.
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if "reply" in (focused(page) or {}).get("cls", ""):
            break
    choice = focused(page)
    assert "reply" in choice["cls"] and not choice["disabled"]
    page.keyboard.press("Enter")

    expect(user_messages(page).last).to_have_text(re.compile(re.escape(choice["text"]) + "$"))
    chosen_group = bot_messages(page).nth(answers - 1).locator(".reply")
    for i in range(chosen_group.count()):
        expect(chosen_group.nth(i)).to_be_disabled()
    expect(bot_messages(page)).not_to_have_count(answers)
    expect(page.locator(".log")).to_contain_text(CAPABILITIES)
    assert focused(page)["id"] == "klik-input", "after a choice the keyboard stays useful"

    page.keyboard.press("Escape")
    expect(panel(page)).to_be_hidden()
    expect(launcher(page)).to_have_attribute("aria-expanded", "false")
    assert focused(page)["cls"] == "launch", "Escape returns the focus to the launcher"


def test_only_new_bot_messages_are_announced(klik, page):
    page.goto(klik.url)
    open_widget(page)
    say(page, "wat kunde gij allemaal")
    log = page.get_by_role("log", name="Gesprek met Klik")
    expect(log).to_have_attribute("aria-live", "polite")
    # The person's own messages and the buttons under a bot message stay silent.
    for i in range(user_messages(page).count()):
        expect(user_messages(page).nth(i)).to_have_attribute("aria-live", "off")
    expect(page.locator(".msg.bot .acts").first).to_have_attribute("aria-live", "off")
    expect(page.locator(".typing")).to_have_attribute("aria-hidden", "true")


def test_reload_keeps_the_conversation_but_a_new_tab_does_not(klik, browser, page):
    page.goto(klik.url)
    open_widget(page)
    say(page, "wat kunde gij allemaal")
    before = page.locator(".log .msg").all_inner_texts()
    sender = stored_state(page)["sender"]

    page.reload()
    expect(panel(page)).to_be_visible()  # it was open: it stays open
    assert page.locator(".log .msg").all_inner_texts() == before
    assert stored_state(page)["sender"] == sender
    say(page, "merci")
    expect(bot_messages(page).last).to_contain_text("Graag gedaan")

    # sessionStorage belongs to the tab: a new tab (or a closed browser) starts afresh.
    other = browser.new_page()
    other.goto(klik.url)
    expect(launcher(other)).to_have_attribute("aria-expanded", "false")
    assert other.evaluate("() => sessionStorage.getItem('klik.state')") is None


def test_an_answer_in_another_language_carries_its_language_and_direction(klik, page):
    page.goto(klik.url)
    open_widget(page)
    say(page, "أبحث عن نادي رياضي لابني")
    arabic = bot_messages(page).last.locator(".bubble")
    expect(arabic).to_have_attribute("lang", "ar")
    expect(arabic).to_have_attribute("dir", "rtl")
    expect(arabic).to_contain_text("0800 13 500")
    # The widget's name in front of the answer is read in Dutch.
    expect(arabic.locator(".sr")).to_have_attribute("lang", "nl")

    say(page, "Bonjour, je voudrais savoir s'il y a une piscine près de chez moi")
    french = bot_messages(page).last.locator(".bubble")
    expect(french).to_have_attribute("lang", "fr")
    expect(french).to_have_attribute("dir", "ltr")

    say(page, "ik zoek een zwembad")
    dutch = bot_messages(page).last.locator(".bubble")
    assert dutch.get_attribute("lang") is None and dutch.get_attribute("dir") is None

    # Restored from the tab's memory, the answers keep their language.
    page.reload()
    expect(panel(page)).to_be_visible()
    expect(page.locator('.msg.bot .bubble[lang="ar"][dir="rtl"]')).to_have_count(1)
    expect(page.locator('.msg.bot .bubble[lang="fr"][dir="ltr"]')).to_have_count(1)


def test_new_conversation_starts_with_a_new_sender(klik, page):
    page.goto(klik.url)
    open_widget(page)
    say(page, "wat kunde gij allemaal")
    old = stored_state(page)["sender"]
    tool(page, "Nieuw gesprek").click()
    wait_for_greeting(page)
    expect(user_messages(page)).to_have_count(0)
    assert stored_state(page)["sender"] != old


def test_markup_in_a_message_is_shown_as_text_and_runs_nothing(klik, browser, page):
    attack = '<img src=x onerror="window.__pwned=1;alert(1)"><script>alert(2)</script>**vet**'
    page.goto(klik.url)
    open_widget(page)
    say(page, attack)
    bubble = user_messages(page).last.locator(".bubble")
    expect(bubble).to_have_text("Jij: " + attack)
    assert bubble.locator("img, script, strong").count() == 0
    assert page.locator(".log img, .log script").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert browser.dialogs == []


def test_a_dutch_message_and_a_retry_when_klik_cannot_be_reached(klik, page):
    page.route("**/api/chat", lambda route: route.abort("connectionrefused"))
    page.goto(klik.url)
    launcher(page).click()
    note = page.locator(".msg.note")
    expect(note).to_contain_text("Klik is even niet bereikbaar")
    retry = page.get_by_role("button", name="Probeer opnieuw")
    expect(retry).to_be_visible()

    page.unroute("**/api/chat")
    retry.click()
    wait_for_greeting(page)
    expect(note).to_have_count(0)
    assert focused(page)["id"] == "klik-input"


def test_feedback_is_stored_with_the_conversation(klik, page):
    page.goto(klik.url)
    open_widget(page)
    first = bot_messages(page).first
    first.get_by_role("button", name="Dit antwoord helpt me", exact=True).click()
    expect(first).to_contain_text("Bedankt!")
    down = first.get_by_role("button", name="Dit antwoord helpt me niet")
    with page.expect_response("**/api/feedback") as answer:
        down.click()
    assert answer.value.status == 200
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(first.get_by_role("button", name="Dit antwoord helpt me", exact=True)).to_have_attribute(
        "aria-pressed", "false")
    sender = stored_state(page)["sender"]

    def rows():
        with session_scope(klik.env["KLIK_DATABASE_URL"]) as s:
            return [(f.message_index, f.value, f.message_text) for f in
                    s.execute(select(Feedback).where(Feedback.sender_id == sender)).scalars()]

    assert rows() == [(0, "down", stored_state(page)["history"][0]["t"])]
    # The choice survives a reload.
    page.reload()
    expect(bot_messages(page).first.get_by_role("button", name="Dit antwoord helpt me niet")
           ).to_have_attribute("aria-pressed", "true")


def test_delete_my_conversation(klik, page):
    page.goto(klik.url)
    open_widget(page)
    say(page, "wat kunde gij allemaal")
    sender = stored_state(page)["sender"]
    bot_messages(page).first.get_by_role("button", name="Dit antwoord helpt me", exact=True).click()
    expect(bot_messages(page).first.locator(".thanks")).to_have_text("Bedankt!")
    tracker = klik.env["KLIK_TRACKER_STORE_URL"]
    assert count_events(sender, tracker_url=tracker) > 0

    tool(page, "Verwijder mijn gesprek").click()
    page.get_by_role("button", name="Nee, niet verwijderen").click()
    expect(user_messages(page)).to_have_count(1)  # "no" keeps everything

    tool(page, "Verwijder mijn gesprek").click()
    page.get_by_role("button", name="Ja, verwijder").click()
    expect(page.locator(".msg.note")).to_contain_text("Je gesprek is verwijderd")
    expect(user_messages(page)).to_have_count(0)
    expect(bot_messages(page)).to_have_count(0)
    assert stored_state(page)["sender"] != sender
    assert count_events(sender, tracker_url=tracker) == 0
    with session_scope(klik.env["KLIK_DATABASE_URL"]) as s:
        left = list(s.execute(select(Feedback.sender_id, Feedback.value)).all())
    assert (sender, "up") not in left and (None, "up") in left  # kept, but not linked to them

    page.reload()
    expect(user_messages(page)).to_have_count(0)


def test_read_aloud_uses_a_dutch_voice_and_hides_without_speech(klik, browser):
    page = browser.new_page()
    # Record what would be spoken (headless Chromium has no audio).
    page.add_init_script("""
      window.__spoken = [];
      speechSynthesis.speak = u => window.__spoken.push({text: u.text, lang: u.lang});
    """)
    page.goto(klik.url)
    open_widget(page)
    read = bot_messages(page).first.get_by_role("button", name="Lees voor")
    read.click()
    spoken = page.evaluate("() => window.__spoken")
    assert spoken == [{"text": stored_state(page)["history"][0]["t"], "lang": "nl-BE"}]
    expect(bot_messages(page).first.get_by_role("button", name="Stop met voorlezen")).to_be_visible()

    silent = browser.new_page()
    silent.add_init_script("""
      Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});
      delete window.SpeechSynthesisUtterance;
    """)
    silent.goto(klik.url)
    open_widget(silent)
    expect(silent.locator(".speak")).to_have_count(0)


def test_text_size_toggle(klik, page):
    page.goto(klik.url)
    open_widget(page)
    bubble = bot_messages(page).first.locator(".bubble")
    size = lambda: float(bubble.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))  # noqa: E731
    small = size()
    toggle = tool(page, "Tekst groter")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert size() >= small * 1.2
    page.reload()
    assert size() >= small * 1.2


def test_reduced_motion_turns_animations_off(klik, make_browser):
    page = make_browser(reduced_motion="reduce").new_page()
    page.goto(klik.url)
    open_widget(page)
    assert page.locator(".panel").evaluate("e => getComputedStyle(e).animationName") == "none"


def test_too_many_messages_shows_the_gateways_dutch_words_and_a_retry(klik, page):
    import json

    from bot.web.ratelimit import MESSAGE_NL  # the words the gateway sends

    body = json.dumps({"error": {"code": "rate_limited", "nl": MESSAGE_NL, "en": "Too many."}})
    page.route("**/api/chat", lambda route: route.fulfill(
        status=429, body=body, content_type="application/json", headers={"Retry-After": "5"}))
    page.goto(klik.url)
    launcher(page).click()
    expect(page.locator(".msg.note")).to_contain_text(MESSAGE_NL)
    page.unroute("**/api/chat")
    page.get_by_role("button", name="Probeer opnieuw").click()
    wait_for_greeting(page)
