"""One chat turn in the gateway, around the call to Rasa.

- Personal data is redacted before the message reaches Rasa, so the tracker store never holds it,
  and the person is told kindly that it is not needed.
- Distress gets the help lines even when Rasa cannot answer.
- An answer is never empty.
- "Forget me" is carried out here, after Rasa has saved the turn (an action cannot do it: Rasa
  would write the events back when it saves the tracker).
"""
from __future__ import annotations

import asyncio
import functools
import logging

from bot import config, privacy, safety
from bot.web.rasa_client import RasaClient, RasaUnavailable

log = logging.getLogger("klik.gateway")

FORGET_MARK = "forget_conversation"  # custom payload key an action sets to ask for erasure
NO_ANSWER = "Er ging iets mis bij mij. Probeer het zo opnieuw."
FORGET_FAILED = "Wissen lukt nu niet. Probeer het straks opnieuw."


async def _blocking(func, *args):
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(func, *args))


async def handle(rasa: RasaClient, settings: config.Settings, sender: str, message: str,
                 metadata: dict) -> list[dict]:
    redacted = privacy.redact(message)
    try:
        replies = await rasa.send(sender, redacted.text, metadata)
    except RasaUnavailable:
        distress = safety.check(redacted.text)
        if distress is not None:
            return safety.help_messages(distress)
        raise
    if not replies:
        # Rasa answered nothing: usually the action server failed. Never leave silence.
        log.warning("empty answer from Rasa for one turn")
        replies = [{"text": NO_ANSWER}]
    if redacted.changed:
        replies = [{"text": privacy.REMINDER}, *replies]
    if any((r.get("custom") or {}).get(FORGET_MARK) for r in replies):
        replies = await _forget(settings, sender, replies)
    return replies


def absolute_links(replies: list[dict], base: str) -> list[dict]:
    """Links to Klik's own pages ("[Open](/verwijzing/…)") made absolute, so they work in a
    widget on another site and when copied into a text message."""
    base = base.rstrip("/")
    return [{**r, "text": r["text"].replace("](/", f"]({base}/")}
            if isinstance(r.get("text"), str) and "](/" in r["text"] else r for r in replies]


async def _forget(settings: config.Settings, sender: str, replies: list[dict]) -> list[dict]:
    from bot.web.care import forget_everything

    kept = [r for r in replies if not (r.get("custom") or {}).get(FORGET_MARK)]
    try:
        report = await _blocking(forget_everything, sender, settings)
    except Exception as exc:  # a store is down: say so, keep the conversation
        log.warning("forget failed: %s", exc)
        return [*kept, {"text": FORGET_FAILED}]
    return [*kept, {"text": report["message"], "custom": {"forgotten": True}}]
