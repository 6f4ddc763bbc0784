"""Jinja filters for staff pages: Belgian dates and times."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def localtime(value) -> str:
    """A UTC datetime as Brussels time, '24-11-2026 14:05'; a date as '24-11-2026'."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(BRUSSELS)
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def fields(value) -> str:
    """A before/after dict as 'status: nieuw; note: …' for the audit log."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {fields(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(fields(item) for item in value)
    if value is True or value is False:
        return "ja" if value else "nee"
    return str(value)


def register(env) -> None:
    env.filters["localtime"] = localtime
    env.filters["fields"] = fields
