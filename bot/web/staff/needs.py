"""/staff/needs: the needs inbox (filters in the URL, sorting, paging, bulk status change), the
CSV export of the same filter, and a need's page (conversation, workflow, notes, public reply,
assignment, "dubbel van", history).

Handlers only read forms and show results: every change goes through bot.needs.service, which
checks the workflow table and writes the audit log in the same transaction.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import parse_qsl, quote, urlencode

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from bot import accounts, audit, places, transcripts
from bot.conversations import ConversationStoreUnavailable
from bot.db import session_scope
from bot.needs import codes, inbox, service, workflow
from bot.needs.model import SOURCES, Need, utcnow
from bot.web.staff.auth import PREFIX
from bot.web.staff.common import (
    PAGE_SIZES,
    USER,
    flash,
    page_from,
    render,
    see_other,
    text_field,
)

log = logging.getLogger(__name__)

BASE = f"{PREFIX}/needs"
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
# Form fields are read a little longer than the service allows, so it can say "te lang".
FORM_TEXT_LIMIT = service.MAX_NOTE + 100
NO_CONVERSATION = "Geen gesprek (meer) bewaard."
# Around the need: this many messages before the moment it was recorded, and after it.
MESSAGES_BEFORE, MESSAGES_AFTER = 30, 10
MAX_CODES_IN_MESSAGE = 10  # flash messages live in the session cookie: keep them short
# Bulk targets: every status the workflow table lets a need move to (so not "nieuw").
BULK_TARGETS = {status: label for status, label in workflow.LABELS.items()
                if any(status in targets for targets in workflow.TRANSITIONS.values())}


def detail_url(need_id: int, anchor: str = "") -> str:
    return f"{BASE}/{need_id}" + (f"#{anchor}" if anchor else "")


def _list_query(flt: inbox.NeedFilter, size: int, number: int = 1) -> dict[str, str]:
    """The inbox URL's query: the filter, plus page size and number when not the default."""
    query = flt.to_query()
    if size != DEFAULT_PAGE_SIZE:
        query["per"] = str(size)
    if number > 1:
        query["page"] = str(number)
    return query


def _href(path: str, query: dict) -> str:
    return path + ("?" + urlencode(query) if query else "")


def _inbox_back(raw: str) -> str:
    """Back to the inbox with the query the bulk form came from; the path is always ours."""
    values = dict(parse_qsl(raw))
    size = int(values["per"]) if _is_id(values.get("per")) else DEFAULT_PAGE_SIZE
    number = int(values["page"]) if _is_id(values.get("page")) else 1
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    return _href(BASE, _list_query(inbox.NeedFilter.from_query(values), size, number))


def _is_id(raw) -> bool:
    # Short enough for any database's integer: a huge number must not reach the driver.
    return isinstance(raw, str) and raw.isdigit() and len(raw) < 12


def _shorten(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:MAX_CODES_IN_MESSAGE])
    rest = len(codes) - MAX_CODES_IN_MESSAGE
    return shown + (f" en nog {rest}" if rest > 0 else "")


def _active_users(db) -> list[str]:
    return [u.username for u in accounts.list_users(db) if u.active]


async def _error(request: web.Request, title: str, message: str, status: int) -> web.Response:
    return await render(request, "staff/error.html", {"title": title, "message": message,
                                                      "section": "needs"}, status=status)


async def _not_found(request: web.Request) -> web.Response:
    return await _error(request, "Melding niet gevonden",
                        "Deze melding bestaat niet (meer). Ga terug naar de lijst.", 404)


async def _unavailable(request: web.Request) -> web.Response:
    return await _error(request, "Even niet beschikbaar",
                        "De databank antwoordt nu niet. Probeer het zo opnieuw.", 503)


# --- the inbox --------------------------------------------------------------------------------

def _sort_links(flt: inbox.NeedFilter, size: int) -> dict[str, dict]:
    """Per sortable column: the link that sorts on it and its aria-sort value."""
    links = {}
    for column in inbox.SORTS:
        current = flt.sort == column
        links[column] = {
            "href": _href(BASE, _list_query(flt.sorted_by(column), size)),
            "aria": ("descending" if flt.order == "desc" else "ascending") if current else None,
        }
    return links


def _form_values(flt: inbox.NeedFilter, query) -> dict[str, str]:
    """What the filter form shows: what was typed, with a known place and dates written out."""
    values = {name: str(query.get(name, "")).strip()[: inbox.MAX_SEARCH] for name in (
        *inbox.CHOICES, "municipality", "assigned_to", "date_from", "date_to", "q", "sort",
        "order")}
    if flt.municipality:
        values["municipality"] = inbox.municipality_label(flt.municipality)
    for name in ("date_from", "date_to"):
        if getattr(flt, name):
            values[name] = getattr(flt, name).strftime("%d-%m-%Y")
    return values


def _row(need: Need) -> dict:
    return {
        "id": need.id, "code": need.display_code, "created_at": need.created_at,
        "status": need.status_label, "kind": need.kind_label,
        "category": inbox.category_label(need.category),
        "municipality": inbox.municipality_label(need.municipality_nis),
        "text": _shorten(need.text), "assigned_to": need.assigned_to or "",
    }


async def inbox_page(request: web.Request) -> web.Response:
    flt = inbox.NeedFilter.from_query(request.query)
    context = {
        "section": "needs", "choices": inbox.CHOICES, "form": _form_values(flt, request.query),
        "errors": flt.errors, "sizes": PAGE_SIZES, "nobody": inbox.NOBODY,
        "municipalities": sorted({m.name_nl for m in places.all_municipalities()}),
        "statuses": BULK_TARGETS, "max_text": service.MAX_NOTE,
    }
    try:
        with session_scope() as db:
            context["users"] = _active_users(db)
            if flt.errors:
                return await render(request, "staff/needs.html", context, status=400)
            total = inbox.count(db, flt)
            page = page_from(request.query, total, default_size=DEFAULT_PAGE_SIZE)
            rows = [_row(need) for need in inbox.find(db, flt, page)]
    except SQLAlchemyError:
        log.exception("needs inbox: database error")
        return await _unavailable(request)
    context.update(
        rows=rows, page=page, query=_list_query(flt, page.size),
        sorts=_sort_links(flt, page.size),
        csv_href=_href(f"{BASE}.csv", flt.to_query()),
        back=urlencode(_list_query(flt, page.size, page.number)),
    )
    return await render(request, "staff/needs.html", context)


async def export(request: web.Request) -> web.Response:
    flt = inbox.NeedFilter.from_query(request.query)
    if flt.errors:
        return await _error(request, "Export niet gemaakt", " ".join(flt.errors), 400)
    try:
        with session_scope() as db:
            body = inbox.export_csv(db, flt)
    except SQLAlchemyError:
        log.exception("needs export: database error")
        return await _unavailable(request)
    stamp = utcnow().astimezone(inbox.BRUSSELS).strftime("%Y-%m-%d")
    return web.Response(
        body=body.encode("utf-8"),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="meldingen-{stamp}.csv"',
        },
    )


async def bulk_submit(request: web.Request) -> web.Response:
    form = await request.post()
    back = _inbox_back(text_field(form, "back", 2000))
    ids = [int(v) for v in form.getall("ids", []) if _is_id(v)]
    status = text_field(form, "status", 30)
    try:
        result = service.bulk_change_status(
            None, ids, status, by=request[USER].username,
            note=text_field(form, "note", FORM_TEXT_LIMIT),
        )
    except service.NeedChangeRefused as exc:
        await flash(request, str(exc), "error")
        raise see_other(back)
    except service.NeedStoreUnavailable:
        return await _unavailable(request)
    label = workflow.LABELS[status]
    if result.changed:
        count = len(result.changed)
        noun = "melding" if count == 1 else "meldingen"
        await flash(request, f"{count} {noun} nu '{label}': {_codes(result.changed)}.")
    if result.refused:
        await flash(request, f"Niet gewijzigd, want naar '{label}' kan niet vanuit hun status: "
                             f"{_codes([code for code, _ in result.refused])}.", "error")
    if result.missing:
        missing = len(result.missing)
        await flash(request, "1 gekozen melding bestaat niet (meer)." if missing == 1 else
                    f"{missing} gekozen meldingen bestaan niet (meer).", "error")
    raise see_other(back)


# --- one need ---------------------------------------------------------------------------------

def _need_id(request: web.Request) -> int | None:
    raw = request.match_info["need_id"]
    return int(raw) if _is_id(raw) else None


def _conversation(need: Need) -> tuple[list, str | None]:
    """The redacted messages around the need, or why there are none."""
    if not need.sender_id:
        return [], NO_CONVERSATION
    try:
        messages = transcripts.transcript(need.sender_id)
    except ConversationStoreUnavailable:
        log.warning("tracker store not readable for need %s", need.id)
        return [], "Het gesprek kan nu niet geladen worden. Probeer het later opnieuw."
    if not messages:
        return [], NO_CONVERSATION
    # The messages up to the moment the need was recorded, and a few after (the consent).
    at = next((m.index for m in messages if m.at > need.created_at + timedelta(seconds=1)),
              len(messages))
    return messages[max(0, at - MESSAGES_BEFORE): at + MESSAGES_AFTER], None


_HIDDEN_IN_HISTORY = {"need.status", "need.note"}  # shown from their own tables instead


def _history(need: Need, entries) -> list[dict]:
    """Status changes, notes and other audited changes of the need, oldest first."""
    items = []
    for change in need.history:
        if change.from_status is None:
            what = f"Aangemaakt met status '{workflow.LABELS.get(change.to_status, change.to_status)}'"
        else:
            what = (f"Status: '{workflow.LABELS.get(change.from_status, change.from_status)}' → "
                    f"'{workflow.LABELS.get(change.to_status, change.to_status)}'")
        who = SOURCES.get(change.changed_by, change.changed_by)
        items.append({"at": change.changed_at, "who": who, "what": what,
                      "detail": change.note or "", "order": (0, change.id)})
    for note in need.notes:
        items.append({"at": note.created_at, "who": note.author, "what": "Interne notitie",
                      "detail": note.text, "order": (1, note.id)})
    for entry in entries:
        if entry.action in _HIDDEN_IN_HISTORY:
            continue
        what, detail = _audit_text(entry)
        items.append({"at": entry.at, "who": entry.actor, "what": what, "detail": detail,
                      "order": (2, entry.id)})
    items.sort(key=lambda item: (item["at"], item["order"]))
    return items


def _audit_text(entry) -> tuple[str, str]:
    after = entry.after or {}
    if entry.action == "need.reply":
        reply = after.get("reply")
        return ("Publiek antwoord gewijzigd", reply) if reply else ("Publiek antwoord gewist", "")
    if entry.action == "need.assign":
        person = after.get("assigned_to")
        return (f"Toegewezen aan {person}", "") if person else ("Niet meer toegewezen", "")
    if entry.action == "need.duplicate":
        code = after.get("duplicate_of")
        if code:
            return f"Dubbel van {codes.format_code(code)}", ""
        return "Link 'dubbel van' weggehaald", ""
    return entry.action, "; ".join(f"{k}: {v}" for k, v in after.items())


async def detail_page(request: web.Request) -> web.Response:
    need_id = _need_id(request)
    if need_id is None:
        return await _not_found(request)
    try:
        with session_scope() as db:
            need = db.execute(
                select(Need).where(Need.id == need_id).options(
                    selectinload(Need.history), selectinload(Need.notes),
                    selectinload(Need.duplicates), selectinload(Need.duplicate_of))
            ).scalar_one_or_none()
            if need is None:
                return await _not_found(request)
            entries = audit.recent(db, target_type="need", target_id=need.id, limit=500)
            context = {
                "section": "needs", "need": need, "history": _history(need, entries),
                "next_statuses": [(s, workflow.LABELS[s]) for s in workflow.LABELS
                                  if s in workflow.allowed_next(need.status)],
                "users": _active_users(db),
                "category": inbox.category_label(need.category),
                "barriers": [inbox.barrier_label(b) for b in need.barriers or ()],
                "municipality": inbox.municipality_label(need.municipality_nis),
                "audience": inbox.audience_label(need.audience),
                "source": SOURCES.get(need.source, need.source),
                "max_text": service.MAX_NOTE,
            }
    except SQLAlchemyError:
        log.exception("need page: database error")
        return await _unavailable(request)
    context["messages"], context["no_messages"] = _conversation(need)
    if need.sender_id:
        context["conversation_href"] = f"{PREFIX}/conversations/{quote(need.sender_id, safe='')}"
    return await render(request, "staff/needs_detail.html", context)


def _status_change(need_id: int, form, by: str) -> str:
    status = text_field(form, "status", 30)
    service.change_status(None, need_id, status, by=by,
                          note=text_field(form, "note", FORM_TEXT_LIMIT))
    return f"De status is nu '{workflow.LABELS[status]}'."


def _note(need_id: int, form, by: str) -> str:
    service.add_note(None, need_id, text_field(form, "text", FORM_TEXT_LIMIT), by=by)
    return "De notitie is bewaard."


def _reply(need_id: int, form, by: str) -> str:
    service.set_public_reply(None, need_id, text_field(form, "reply", FORM_TEXT_LIMIT), by=by)
    return "Het publieke antwoord is bewaard."


def _assignment(need_id: int, form, by: str) -> str:
    service.assign(None, need_id, text_field(form, "assigned_to", 50), by=by)
    return "De toewijzing is bewaard."


def _duplicate(need_id: int, form, by: str) -> str:
    service.mark_duplicate_of(None, need_id, text_field(form, "code", 30), by=by)
    return "De link 'dubbel van' is bewaard."


# URL part -> (the change, the part of the need's page to go back to). Each change takes the
# need id, the form and the signed-in username, and returns what to tell the user.
CHANGES = {
    "status": (_status_change, "status"),
    "note": (_note, "notities"),
    "reply": (_reply, "antwoord"),
    "assign": (_assignment, "toewijzen"),
    "duplicate": (_duplicate, "dubbel"),
}


def _change_handler(change, anchor: str):
    async def handler(request: web.Request) -> web.Response:
        """Run one change on the need in the URL; flash what happened; back to its page."""
        need_id = _need_id(request)
        if need_id is None:
            return await _not_found(request)
        form = await request.post()
        try:
            done = change(need_id, form, request[USER].username)
        except LookupError:
            return await _not_found(request)
        except (workflow.TransitionNotAllowed, service.NeedChangeRefused) as exc:
            await flash(request, str(exc), "error")
        except service.NeedStoreUnavailable:
            return await _unavailable(request)
        else:
            await flash(request, done)
        raise see_other(detail_url(need_id, anchor))

    return handler


def add_routes(app: web.Application) -> None:
    app.router.add_get(BASE, inbox_page)
    app.router.add_get(f"{BASE}.csv", export)
    app.router.add_post(f"{BASE}/bulk", bulk_submit)
    app.router.add_get(f"{BASE}/{{need_id}}", detail_page)
    for name, (change, anchor) in CHANGES.items():
        app.router.add_post(f"{BASE}/{{need_id}}/{name}", _change_handler(change, anchor))
