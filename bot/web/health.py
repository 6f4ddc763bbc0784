"""GET /healthz: the state of every part Klik needs."""
from __future__ import annotations

import asyncio

import aiohttp

from bot import db


async def _http_ok(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as resp:
            return resp.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


async def _database_ok(url: str) -> bool:
    try:
        await asyncio.get_running_loop().run_in_executor(None, db.ping, url)
        return True
    except Exception:  # any failure means "down" here; the detail goes to the log
        return False


async def check(session: aiohttp.ClientSession, settings) -> dict:
    rasa_checks = [_http_ok(session, f"{url}/") for url in settings.rasa_urls]
    results = await asyncio.gather(
        _http_ok(session, f"{settings.action_url}/health"),
        _database_ok(settings.database_url),
        *rasa_checks,
    )
    actions_ok, database_ok, *rasa_ok = results
    workers = {url: ("ok" if ok else "down") for url, ok in zip(settings.rasa_urls, rasa_ok)}
    components = {
        "gateway": "ok",
        "rasa": "ok" if all(rasa_ok) else "down",
        "actions": "ok" if actions_ok else "down",
        "database": "ok" if database_ok else "down",
    }
    healthy = all(v == "ok" for v in components.values())
    return {"status": "ok" if healthy else "down", "components": components, "rasa_workers": workers}
