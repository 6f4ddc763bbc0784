"""Unmet needs and ideas: model, reference codes, workflow and the service API.

Callers (Rasa actions, gateway, staff pages) use the functions re-exported here.
"""
from bot.needs.codes import format_code
from bot.needs.model import KINDS, SOURCES, Need, NeedNote, NeedStatusChange
from bot.needs.service import (
    NOT_SAVED,
    NO_CODE,
    UNKNOWN_CODE,
    BulkResult,
    ConsentMissing,
    NeedChangeRefused,
    NeedNotSaved,
    NeedStoreUnavailable,
    add_note,
    assign,
    bulk_change_status,
    change_status,
    find_by_code,
    mark_duplicate_of,
    parse_code,
    record_need,
    set_public_reply,
    status_message,
    status_reply,
)
from bot.needs.workflow import TransitionNotAllowed

__all__ = [
    "KINDS", "SOURCES", "Need", "NeedNote", "NeedStatusChange", "format_code",
    "NOT_SAVED", "NO_CODE", "UNKNOWN_CODE",
    "BulkResult", "ConsentMissing", "NeedChangeRefused", "NeedNotSaved", "NeedStoreUnavailable",
    "TransitionNotAllowed",
    "add_note", "assign", "bulk_change_status", "change_status", "find_by_code",
    "mark_duplicate_of", "parse_code", "record_need", "set_public_reply", "status_message",
    "status_reply",
]
