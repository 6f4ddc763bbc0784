"""The OpenAPI 3.0 description of the public API, served at GET /api/openapi.json.

It describes what the gateway really does (tests/web/test_openapi.py fuzzes the running app
against it with schemathesis): keep it in step with validation.py, care.py and errors.py.
"""
from __future__ import annotations

from aiohttp import web

from bot.web.validation import MAX_MESSAGE_CHARS

PATH = "/api/openapi.json"

_UUID = {
    "type": "string",
    "format": "uuid",
    "description": "A random id the widget keeps per conversation (UUID, any case).",
    "example": "0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10",
}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "nl", "en"],
            "properties": {
                "code": {"type": "string", "description": (
                    "invalid_json, invalid_body, invalid_sender, invalid_message, "
                    "message_too_long, invalid_metadata, invalid_message_index, "
                    "invalid_feedback_value, invalid_text, too_large, rate_limited, not_found, "
                    "method_not_allowed, unavailable")},
                "nl": {"type": "string", "description": "For the person, in Dutch."},
                "en": {"type": "string"},
            },
        }
    },
}


def _error(description: str, headers: dict | None = None) -> dict:
    answer = {"description": description,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if headers:
        answer["headers"] = headers
    return answer


_ERRORS = {
    "400": _error("The request is not valid: invalid JSON, a wrong type, a missing field, a "
                  "sender that is not a UUID, control characters."),
    "413": _error("The body is larger than 16 KiB."),
    "429": _error("Too many requests from this sender or this client address.", headers={
        "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}),
    "503": _error("A part Klik needs (Rasa, the database) does not answer; try again later."),
}


def _post(summary: str, body: str, ok: dict, ok_description: str) -> dict:
    return {
        "post": {
            "summary": summary,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
            },
            "responses": {
                "200": {"description": ok_description,
                        "content": {"application/json": {"schema": ok}}},
                **_ERRORS,
            },
        }
    }


def document() -> dict:
    """The OpenAPI document (a fresh dict each call)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Klik",
            "version": "1",
            "description": ("The API behind the Klik chat widget. No cookies, no session; "
                            "cross-origin calls only from the sites in KLIK_ALLOWED_ORIGINS. "
                            "Every error is JSON with a Dutch and an English message."),
        },
        "paths": {
            "/api/chat": _post(
                "Send one message, get Klik's answers.", "ChatRequest",
                {"type": "array", "items": {"$ref": "#/components/schemas/BotMessage"}},
                "Klik's answers, in order (never empty)."),
            "/api/forget": _post(
                "Forget this conversation.", "ForgetRequest",
                {"$ref": "#/components/schemas/ForgetReport"},
                "What was erased, and a message to show."),
            "/api/feedback": _post(
                "Thumbs up or down on one of Klik's messages.", "FeedbackRequest",
                {"type": "object", "required": ["stored"],
                 "properties": {"stored": {"type": "string", "enum": ["up", "down"]}}},
                "The feedback was stored."),
            PATH: {
                "get": {
                    "summary": "This document.",
                    "responses": {"200": {"description": "The OpenAPI document.",
                                          "content": {"application/json": {
                                              "schema": {"type": "object"}}}}},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": _ERROR,
                "ChatRequest": {
                    "type": "object",
                    "required": ["sender", "message"],
                    "properties": {
                        "sender": _UUID,
                        "message": {
                            "type": "string", "minLength": 1, "maxLength": MAX_MESSAGE_CHARS,
                            # Not blank; no control characters other than tab and new lines.
                            "pattern": r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*"
                                       r"[^\s\u0000-\u001f\u007f]"
                                       r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$",
                        },
                        "metadata": {
                            "type": "object", "nullable": True,
                            "description": "Only municipality (a 5-digit NIS code) is used.",
                            "properties": {"municipality": {"type": "string",
                                                            "example": "44021"}},
                        },
                    },
                },
                "ForgetRequest": {
                    "type": "object", "required": ["sender"], "properties": {"sender": _UUID},
                },
                "FeedbackRequest": {
                    "type": "object",
                    "required": ["sender", "message_index", "value"],
                    "properties": {
                        "sender": _UUID,
                        "message_index": {"type": "integer", "minimum": 0, "maximum": 100_000,
                                          "description": "Which of Klik's messages, from 0."},
                        "value": {"type": "string", "enum": ["up", "down"]},
                        "text": {"type": "string", "nullable": True,
                                 "description": "The message as the person saw it."},
                    },
                },
                "BotMessage": {
                    "type": "object",
                    "description": "One message of Klik, as Rasa's REST channel gives it.",
                    "properties": {
                        "text": {"type": "string"},
                        "buttons": {"type": "array", "items": {
                            "type": "object",
                            "properties": {"title": {"type": "string"},
                                           "payload": {"type": "string"}}}},
                        "custom": {"type": "object"},
                    },
                },
                "ForgetReport": {
                    "type": "object",
                    "required": ["events_deleted", "needs_detached", "feedback_detached", "message"],
                    "properties": {
                        "events_deleted": {"type": "integer", "minimum": 0},
                        "needs_detached": {"type": "integer", "minimum": 0},
                        "feedback_detached": {"type": "integer", "minimum": 0},
                        "message": {"type": "string"},
                    },
                },
            }
        },
    }


async def serve(request: web.Request) -> web.Response:
    return web.json_response(document())


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, serve)
