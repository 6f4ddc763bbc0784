"""Validation of a chat request: the contract of POST /api/chat."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

MAX_MESSAGE_CHARS = 1000
# Control characters (tab and new lines excepted) and lone surrogates: nobody types them, and
# the stores refuse them (PostgreSQL: NUL; SQLite: surrogates).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_bad_chars(text: str) -> bool:
    return _BAD_CHARS.search(text) is not None


class InvalidRequest(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    message: str
    metadata: dict = field(default_factory=dict)


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def parse_chat(body: object) -> ChatRequest:
    if not isinstance(body, dict):
        raise InvalidRequest("invalid_body")
    sender, message = body.get("sender"), body.get("message")
    if not _is_uuid(sender):
        raise InvalidRequest("invalid_sender")
    if not isinstance(message, str) or not message.strip():
        raise InvalidRequest("invalid_message")
    if len(message) > MAX_MESSAGE_CHARS:
        raise InvalidRequest("message_too_long")
    if has_bad_chars(message):
        raise InvalidRequest("invalid_characters")
    metadata = body.get("metadata", {})
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise InvalidRequest("invalid_metadata")
    # Only what Klik uses travels on: a municipality NIS code from the embedding page.
    nis = metadata.get("municipality")
    is_nis = isinstance(nis, str) and nis.isascii() and nis.isdigit() and len(nis) == 5
    clean = {"municipality": nis} if is_nis else {}
    return ChatRequest(sender=sender.lower(), message=message.strip(), metadata=clean)
