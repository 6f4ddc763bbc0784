"""Talks to the Rasa workers' REST channel over one pooled HTTP session.

Each conversation goes to one worker chosen by a stable hash of its sender id, so its turns
stay in order; when that worker is down the next one takes over.
"""
from __future__ import annotations

import hashlib

import aiohttp


class RasaUnavailable(RuntimeError):
    pass


def worker_order(sender: str, workers: list[str]) -> list[str]:
    """The workers in the order to try for this sender: its own first, then the others."""
    start = int.from_bytes(hashlib.blake2b(sender.encode(), digest_size=8).digest(), "big") % len(workers)
    return workers[start:] + workers[:start]


class RasaClient:
    def __init__(self, workers: list[str], session: aiohttp.ClientSession, timeout: float = 30.0):
        if not workers:
            raise ValueError("at least one Rasa worker is needed")
        self.workers = workers
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
        payload = {"sender": sender, "message": message, "metadata": metadata or {}}
        last_error: Exception | None = None
        for base in worker_order(sender, self.workers):
            try:
                async with self.session.post(
                    f"{base}/webhooks/rest/webhook", json=payload, timeout=self.timeout
                ) as resp:
                    if resp.status != 200:
                        last_error = RasaUnavailable(f"{base} answered {resp.status}")
                        continue
                    return [_public(m) for m in await resp.json()]
            except (aiohttp.ClientError, TimeoutError) as exc:  # down or too slow: try the next
                last_error = exc
        raise RasaUnavailable(str(last_error))


def _public(message: dict) -> dict:
    """Rasa's REST message without the recipient id (the widget knows who it is)."""
    return {k: v for k, v in message.items() if k != "recipient_id"}
