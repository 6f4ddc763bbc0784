"""Rate limits for POST /api/*: token buckets per sender and per client address, in memory.

A bucket holds up to `burst` requests and refills evenly over `seconds`. Limits come from
KLIK_RATE_PER_SENDER and KLIK_RATE_PER_CLIENT as "burst/seconds" (or just "burst": per minute):

- per sender (one conversation): "20/20", a burst of 20, then one a second; nobody types faster.
- per client address: "600/60", ten a second; a whole municipality office may share one address.

Behind a reverse proxy every request comes from the proxy: list it in KLIK_TRUSTED_PROXIES
(addresses or networks, comma-separated) so the address in X-Forwarded-For counts instead.
IPv6 clients count per /64 network, because one machine easily holds a whole /64.

Each worker process keeps its own buckets (the limit is per process); memory stays bounded
because only the most recently used keys are kept.
"""
from __future__ import annotations

import ipaddress
import json
import math
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from aiohttp import web

from bot.web.validation import _is_uuid

SENDER_VARIABLE = "KLIK_RATE_PER_SENDER"
CLIENT_VARIABLE = "KLIK_RATE_PER_CLIENT"
PROXIES_VARIABLE = "KLIK_TRUSTED_PROXIES"
DEFAULT_SENDER = "20/20"
DEFAULT_CLIENT = "600/60"
MAX_KEYS = 10_000
API_PREFIX = "/api/"

MESSAGE_NL = "Even te veel berichten. Wacht een paar seconden en probeer opnieuw."
MESSAGE_EN = "Too many requests. Wait a few seconds and try again."


@dataclass(frozen=True)
class Rate:
    burst: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.burst / self.seconds


def parse_rate(raw: str, variable: str = "rate") -> Rate:
    """ "20/20" → 20 requests per 20 seconds; "120" → 120 per minute."""
    burst, _, seconds = raw.strip().partition("/")
    try:
        rate = Rate(int(burst), float(seconds) if seconds else 60.0)
    except ValueError:
        rate = None
    if rate is None or rate.burst < 1 or not 0 < rate.seconds < math.inf:
        raise SystemExit(f"{variable}: {raw!r} is not a rate like 20/20 (requests/seconds)")
    return rate


def _rate_from_env(variable: str, default: str) -> Rate:
    return parse_rate(os.environ.get(variable, "").strip() or default, variable)


class TokenBuckets:
    """One token bucket per key; the least recently used keys are dropped beyond `max_keys`."""

    def __init__(self, rate: Rate, max_keys: int = MAX_KEYS) -> None:
        self.rate = rate
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key → tokens, time

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str, now: float) -> float:
        """Take one token: 0.0 when allowed, else the seconds until one is back."""
        tokens, then = self._buckets.pop(key, (float(self.rate.burst), now))
        tokens = min(float(self.rate.burst), tokens + max(0.0, now - then) * self.rate.per_second)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate.per_second
        self._buckets[key] = (tokens, now)  # re-inserted last: most recently used
        while len(self._buckets) > self.max_keys:
            # A dropped key starts full again; a flood of fresh keys still meets the client limit.
            self._buckets.popitem(last=False)
        return wait


def trusted_proxies(raw: str | None = None) -> tuple:
    """The networks from KLIK_TRUSTED_PROXIES (or ``raw``); malformed entries are refused."""
    raw = os.environ.get(PROXIES_VARIABLE, "") if raw is None else raw
    networks = []
    for item in raw.split(","):
        if not item.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise SystemExit(f"{PROXIES_VARIABLE}: {item.strip()!r} is not an address or network")
    return tuple(networks)


def _address(raw: str | None):
    try:
        return ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None


def client_key(remote: str | None, forwarded_for: str | None, proxies: tuple) -> str:
    """The key a client address counts under."""
    address = _address(remote)
    if address is not None and any(address in net for net in proxies) and forwarded_for:
        # The nearest address that is not one of our proxies: earlier ones the client can forge.
        for hop in reversed(forwarded_for.split(",")):
            hop_address = _address(hop)
            if hop_address is None:
                break
            address = hop_address
            if not any(hop_address in net for net in proxies):
                break
    if address is None:
        return remote or "?"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def limited(wait: float) -> web.Response:
    return web.json_response(
        {"error": {"code": "rate_limited", "nl": MESSAGE_NL, "en": MESSAGE_EN}},
        status=429, headers={"Retry-After": str(max(1, math.ceil(wait)))},
    )


async def _sender(request: web.Request) -> str | None:
    # The body is read once and cached by aiohttp, so the handler reads it again for free.
    # A body over the size limit raises 413 here; errors_middleware (outside) answers it.
    try:
        body = json.loads(await request.read())
    except (ValueError, RecursionError):
        return None
    sender = body.get("sender") if isinstance(body, dict) else None
    return sender.lower() if _is_uuid(sender) else None


def middleware(sender_rate: Rate | None = None, client_rate: Rate | None = None,
               proxies: tuple | None = None, clock: Callable[[], float] = time.monotonic):
    """An aiohttp middleware limiting POST /api/*; place it inside errors_middleware."""
    senders = TokenBuckets(sender_rate or _rate_from_env(SENDER_VARIABLE, DEFAULT_SENDER))
    clients = TokenBuckets(client_rate or _rate_from_env(CLIENT_VARIABLE, DEFAULT_CLIENT))
    proxies = trusted_proxies() if proxies is None else proxies

    @web.middleware
    async def ratelimit(request: web.Request, handler):
        if request.method != "POST" or not request.path.startswith(API_PREFIX):
            return await handler(request)
        now = clock()
        client = client_key(request.remote, request.headers.get("X-Forwarded-For"), proxies)
        wait = clients.take(client, now)
        if not wait:
            sender = await _sender(request)
            if sender is not None:
                wait = senders.take(sender, now)
        if wait:
            return limited(wait)
        return await handler(request)

    return ratelimit
