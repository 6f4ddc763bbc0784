"""Conversation care from the widget: forget my conversation, thumbs up or down on an answer.

POST /api/forget   {"sender": "<uuid4>"}
    -> 200 {"events_deleted", "needs_detached", "feedback_detached", "message"}
POST /api/feedback {"sender": "<uuid4>", "message_index": 0.., "value": "up"|"down",
                    "text": "<the bot message as shown>" (optional)}
    -> 200 {"stored": "up"|"down"}
Errors have the shape of /api/chat's: {"error": {"code", "nl", "en"}} with 400 or 503.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot import config, feedback
from bot.conversations import ConversationStoreUnavailable, forget_conversation
from bot.db import session_scope
from bot.needs.service import NeedStoreUnavailable
from bot.web.errors import MESSAGES, json_error
from bot.web.validation import InvalidRequest, _is_uuid, has_bad_chars

log = logging.getLogger("klik.gateway")
MAX_MESSAGE_INDEX = 100_000

# Codes only these routes use; the shared ones come from bot.web.errors.
CARE_MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_feedback_value": ("Kies up of down.", "The value must be up or down."),
    "invalid_message_index": ("Het berichtnummer moet 0 of meer zijn.",
                              "The message_index must be a whole number from 0."),
    "invalid_text": ("De tekst moet tekst zijn.", "The text must be a string."),
}


def _error(code: str, status: int) -> web.Response:
    if code in MESSAGES:
        return json_error(code, status)
    nl, en = CARE_MESSAGES[code]
    return web.json_response({"error": {"code": code, "nl": nl, "en": en}}, status=status)


@dataclass(frozen=True)
class FeedbackRequest:
    sender: str
    message_index: int
    value: str
    text: str | None


def parse_sender(body: object) -> str:
    if not isinstance(body, dict):
        raise InvalidRequest("invalid_body")
    sender = body.get("sender")
    if not _is_uuid(sender):
        raise InvalidRequest("invalid_sender")
    return sender.lower()


def parse_feedback(body: object) -> FeedbackRequest:
    sender = parse_sender(body)
    index = body.get("message_index")
    # bool is an int in Python; true is not a message number.
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= MAX_MESSAGE_INDEX:
        raise InvalidRequest("invalid_message_index")
    value = body.get("value")
    if value not in feedback.VALUES:
        raise InvalidRequest("invalid_feedback_value")
    text = body.get("text")
    if text is not None and (not isinstance(text, str) or has_bad_chars(text)):
        raise InvalidRequest("invalid_text")
    return FeedbackRequest(sender, index, value, (text or "").strip() or None)


async def _body(request: web.Request) -> object:
    try:
        return await request.json()
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, nesting beyond the stack
        raise InvalidRequest("invalid_json") from None


def forget_everything(sender: str, settings: config.Settings) -> dict:
    """Erase a conversation: its feedback and needs are detached, its events deleted."""
    # Feedback first, like the needs: a failure later leaves nothing pointing at a lost chat.
    with session_scope(settings.database_url) as session:
        detached = feedback.detach(session, sender)
    report = forget_conversation(
        sender, tracker_url=settings.tracker_store_url, db=settings.database_url
    )
    return {
        "events_deleted": report.events_deleted,
        "needs_detached": report.needs_detached,
        "feedback_detached": detached,
        "message": report.message(),
    }


def add_routes(app: web.Application, settings: config.Settings) -> None:
    async def run(func, *args, **kwargs):
        # The database calls block: keep them off the event loop.
        return await asyncio.get_running_loop().run_in_executor(
            None, functools.partial(func, *args, **kwargs)
        )

    async def forget(request: web.Request) -> web.Response:
        try:
            sender = parse_sender(await _body(request))
        except InvalidRequest as exc:
            return _error(exc.code, 400)
        try:
            return web.json_response(await run(forget_everything, sender, settings))
        except (NeedStoreUnavailable, ConversationStoreUnavailable, SQLAlchemyError) as exc:
            log.warning("forget failed: %s", exc)
            return _error("unavailable", 503)

    async def give_feedback(request: web.Request) -> web.Response:
        try:
            req = parse_feedback(await _body(request))
        except InvalidRequest as exc:
            return _error(exc.code, 400)
        try:
            stored = await run(feedback.save, req.sender, req.message_index, req.value,
                               req.text, url=settings.database_url)
        except SQLAlchemyError as exc:
            log.warning("feedback not stored: %s", exc)
            return _error("unavailable", 503)
        return web.json_response({"stored": stored})

    app.router.add_post("/api/forget", forget)
    app.router.add_post("/api/feedback", give_feedback)
