"""/staff/audit: the audit log, newest first, for administrators."""
from __future__ import annotations

from aiohttp import web
from sqlalchemy import func, select

from bot.audit import AuditEntry
from bot.db import session_scope
from bot.web.staff.auth import PREFIX, admin_only
from bot.web.staff.common import page_from, render


@admin_only
async def audit_page(request: web.Request) -> web.Response:
    actor = request.query.get("actor", "").strip()[:50]
    action = request.query.get("action", "").strip()[:50]
    with session_scope() as db:
        query = select(AuditEntry)
        if actor:
            query = query.where(AuditEntry.actor == actor)
        if action:
            query = query.where(AuditEntry.action.startswith(action))
        total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        page = page_from(request.query, total, default_size=50)
        rows = db.execute(
            query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset(page.offset).limit(page.size)
        ).scalars().all()
        entries = [
            {"at": e.at, "actor": e.actor, "action": e.action, "target_type": e.target_type,
             "target_id": e.target_id, "before": e.before, "after": e.after}
            for e in rows
        ]
    return await render(
        request, "staff/audit.html",
        {"entries": entries, "page": page, "query": {"actor": actor, "action": action},
         "section": "audit"},
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get(f"{PREFIX}/audit", audit_page)
