"""/staff/conversations: review what Klik said, where it failed, and export the failures.

Staff (not only admins) see the recent conversations from Rasa's tracker store with filters in
the URL, one transcript with the predicted intent per message, mark a conversation as
reviewed, and download the messages that fell back as a Rasa NLU YAML snippet.
"""
from __future__ import annotations

import asyncio
import functools
from datetime import date, datetime, timedelta
from urllib.parse import quote, urlencode

from aiohttp import web

from bot import config, feedback, privacy, review, transcripts
from bot.conversations import ConversationStoreUnavailable
from bot.db import session_scope
from bot.web.staff.auth import PREFIX
from bot.web.staff.common import USER, flash, page_from, render, see_other

BASE = f"{PREFIX}/conversations"
FLAGS = ("fallback", "need", "low", "down", "unreviewed")
DEFAULT_DAYS = 30  # without dates the list shows the last month, so it stays quick
UNAVAILABLE = "De gesprekken zijn nu niet beschikbaar. Probeer het later opnieuw."


class BadFilter(ValueError):
    """A filter value we cannot use; the message is Dutch and shown to staff."""


def _date(query, name: str, label: str) -> date | None:
    raw = query.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise BadFilter(f"De datum bij '{label}' klopt niet. Gebruik jjjj-mm-dd.") from None


def filters_from(query, *, today: date) -> tuple[review.Filters, dict]:
    """The filters of a GET query, and the query to keep in links (with the default dates)."""
    flags = {flag: query.get(flag) == "1" for flag in FLAGS}
    since, until = _date(query, "from", "van"), _date(query, "to", "tot en met")
    if since is None:  # an empty "from" too: Page.link drops empty values from the URL
        since = (until or today) - timedelta(days=DEFAULT_DAYS)
    if since and until and since > until:
        raise BadFilter("De datum 'van' ligt na de datum 'tot en met'.")
    kept = {flag: "1" for flag, on in flags.items() if on}
    kept["from"] = since.isoformat()
    kept["to"] = until.isoformat() if until else ""
    return review.Filters(**flags, since=since, until=until), kept


def href(sender_id: str) -> str:
    return f"{BASE}/{quote(sender_id, safe='')}"


def _today() -> date:
    return datetime.now(review.BRUSSELS).date()


async def _blocking(func, *args, **kwargs):
    # Tracker reads can take a moment; keep the event loop free for chat traffic.
    return await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(func, *args, **kwargs))


def _tracker_url() -> str:
    return config.load().tracker_store_url


async def _error(request, title: str, message: str, status: int) -> web.Response:
    return await render(request, "staff/error.html",
                        {"title": title, "message": message, "section": "review"},
                        status=status)


def _list(filters: review.Filters, tracker_url: str) -> list[review.Row]:
    with session_scope() as db:
        rows = review.conversations(db, filters, tracker_url=tracker_url)
        db.expunge_all()  # the review marks are read after the session closes
        return rows


async def list_page(request: web.Request) -> web.Response:
    try:
        filters, query = filters_from(request.query, today=_today())
    except BadFilter as exc:
        return await _error(request, "Filter klopt niet", str(exc), 400)
    try:
        rows = await _blocking(_list, filters, _tracker_url())
    except ConversationStoreUnavailable:
        return await _error(request, "Gesprekken", UNAVAILABLE, 503)
    page = page_from(request.query, len(rows))
    export = "?" + urlencode({k: v for k, v in query.items() if v})
    return await render(request, "staff/review_list.html", {
        "rows": rows[page.offset : page.offset + page.size], "page": page,
        "query": query, "filters": filters, "export": export, "base": BASE, "href": href,
        "low_confidence": transcripts.LOW_CONFIDENCE, "section": "review",
    })


def _detail(sender_id: str, tracker_url: str) -> dict | None:
    messages = transcripts.transcript(sender_id, tracker_url=tracker_url)
    if not messages:
        return None
    with session_scope() as db:
        votes = feedback.for_conversation(db, sender_id)
        mark = review.review_of(db, sender_id)
        needs = [{"id": n.id, "code": n.code, "status": n.status}
                 for n in review.needs_of(db, sender_id)]
        db.expunge_all()
    # The widget numbers the bot messages it showed from 0; feedback refers to that number.
    by_index = {vote.message_index: vote for vote in votes}
    lines, bot_number = [], 0
    for message in messages:
        vote = None
        if message.who == "bot":
            vote = by_index.pop(bot_number, None)
            bot_number += 1
        lines.append({"message": message, "vote": vote})
    return {
        "lines": lines, "mark": mark, "needs": needs,
        "unmatched": [
            {"value": vote.value, "message_text": privacy.redact(vote.message_text or "").text}
            for vote in sorted(by_index.values(), key=lambda v: v.message_index)
        ],
        "users": sum(1 for m in messages if m.who == "user"),
        "fallbacks": sum(1 for m in messages if m.fell_back),
    }


def _sender(request: web.Request) -> str | None:
    sender_id = request.match_info["sender_id"]
    return sender_id if 0 < len(sender_id) <= review.MAX_SENDER_CHARS else None


async def _not_found(request) -> web.Response:
    return await _error(request, "Gesprek niet gevonden",
                        "Dit gesprek bestaat niet (meer). Misschien is het gewist.", 404)


async def detail_page(request: web.Request) -> web.Response:
    sender_id = _sender(request)
    if sender_id is None:
        return await _not_found(request)
    try:
        detail = await _blocking(_detail, sender_id, _tracker_url())
    except ConversationStoreUnavailable:
        return await _error(request, "Gesprek", UNAVAILABLE, 503)
    if detail is None:
        return await _not_found(request)
    return await render(request, "staff/review_detail.html", {
        **detail, "sender_id": sender_id, "short_id": review.short_sender(sender_id),
        "base": BASE, "href": href, "low_confidence": transcripts.LOW_CONFIDENCE,
        "section": "review",
    })


async def mark_reviewed(request: web.Request) -> web.Response:
    sender_id = _sender(request)
    if sender_id is None:
        return await _not_found(request)
    try:
        exists = await _blocking(transcripts.transcript, sender_id, tracker_url=_tracker_url())
    except ConversationStoreUnavailable:
        return await _error(request, "Gesprek", UNAVAILABLE, 503)
    if not exists:
        return await _not_found(request)
    with session_scope() as db:
        changed = review.mark_reviewed(db, sender_id, request[USER].username)
    await flash(request, "Het gesprek is gemarkeerd als bekeken." if changed
                else "Dit gesprek was al bekeken.")
    raise see_other(href(sender_id))


def _fallbacks(filters: review.Filters, tracker_url: str) -> list[transcripts.Message]:
    with session_scope() as db:
        return review.fallbacks(db, filters, tracker_url=tracker_url)


async def fallbacks_yaml(request: web.Request) -> web.Response:
    try:
        filters, _ = filters_from(request.query, today=_today())
    except BadFilter as exc:
        return await _error(request, "Filter klopt niet", str(exc), 400)
    try:
        messages = await _blocking(_fallbacks, filters, _tracker_url())
    except ConversationStoreUnavailable:
        return await _error(request, "Gesprekken", UNAVAILABLE, 503)
    name = f"klik-terugval-{_today():%Y%m%d}.yml"
    return web.Response(
        text=review.nlu_yaml(messages), content_type="text/yaml", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def add_routes(app: web.Application) -> None:
    # The export first: otherwise "fallbacks.yml" would be taken for a sender id.
    app.router.add_get(f"{BASE}/fallbacks.yml", fallbacks_yaml)
    app.router.add_get(BASE, list_page)
    app.router.add_get(f"{BASE}/{{sender_id}}", detail_page)
    app.router.add_post(f"{BASE}/{{sender_id}}/reviewed", mark_reviewed)
