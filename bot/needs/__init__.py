"""Unmet needs and ideas: model, reference codes, workflow and the service API.

Callers (Rasa actions, gateway, staff pages) use the functions re-exported here.
"""
from bot.needs.codes import format_code
from bot.needs.model import KINDS, SOURCES, Need, NeedStatusChange
from bot.needs.service import (
    NOT_SAVED,
    NO_CODE,
    UNKNOWN_CODE,
    ConsentMissing,
    NeedNotSaved,
    NeedStoreUnavailable,
    change_status,
    find_by_code,
    parse_code,
    record_need,
    status_message,
    status_reply,
)
from bot.needs.workflow import TransitionNotAllowed

__all__ = [
    "KINDS", "SOURCES", "Need", "NeedStatusChange", "format_code",
    "NOT_SAVED", "NO_CODE", "UNKNOWN_CODE",
    "ConsentMissing", "NeedNotSaved", "NeedStoreUnavailable", "TransitionNotAllowed",
    "change_status", "find_by_code", "parse_code", "record_need", "status_message",
    "status_reply",
]
