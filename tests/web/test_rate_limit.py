"""Rate limits on POST /api/*: per sender and per client address, 429 JSON in Dutch."""
from __future__ import annotations

import pytest

from bot.db import migrate
from bot.web import ratelimit
from bot.web.ratelimit import Rate, TokenBuckets, client_key, parse_rate, trusted_proxies
from tests.conftest import free_port
from tests.web.conftest import gateway_app

SENDERS = [f"0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b{n:02d}" for n in range(20)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def feedback(sender: str) -> dict:
    return {"sender": sender, "message_index": 0, "value": "up"}


@pytest.fixture
def make_client(aiohttp_client, klik_env, monkeypatch):
    monkeypatch.setenv("KLIK_RASA_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ACTION_PORT", str(free_port()))
    monkeypatch.setenv("KLIK_ALLOWED_ORIGINS", "https://www.gent.be")
    migrate.upgrade()

    async def make(sender: str, client: str, clock: Clock):
        return await aiohttp_client(gateway_app(
            sender_rate=parse_rate(sender), client_rate=parse_rate(client), clock=clock))

    return make


# --- the buckets --------------------------------------------------------------------------

def test_a_bucket_allows_its_burst_then_asks_to_wait():
    buckets = TokenBuckets(Rate(burst=3, seconds=3))
    assert [buckets.take("a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", 0.0) == pytest.approx(1.0)
    assert buckets.take("a", 0.5) == pytest.approx(0.5)
    assert buckets.take("a", 1.0) == 0.0  # one token back after a second
    assert buckets.take("b", 1.0) == 0.0  # other keys have their own bucket


def test_a_bucket_refills_up_to_its_burst_only():
    buckets = TokenBuckets(Rate(burst=2, seconds=2))
    buckets.take("a", 0.0)
    assert [buckets.take("a", 3600.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]


def test_memory_stays_bounded_and_keeps_the_busy_keys():
    buckets = TokenBuckets(Rate(burst=1, seconds=60), max_keys=100)
    buckets.take("flooder", 0.0)
    for n in range(1000):
        buckets.take(f"key{n}", 0.0)
        if n % 50 == 0:
            assert buckets.take("flooder", 0.0) > 0  # still limited: recently used, so kept
    assert len(buckets) == 100


@pytest.mark.parametrize("raw, rate", [("20/20", Rate(20, 20.0)), ("120", Rate(120, 60.0)),
                                       (" 600/60 ", Rate(600, 60.0)), ("5/0.5", Rate(5, 0.5))])
def test_rates_are_read_as_burst_per_seconds(raw, rate):
    assert parse_rate(raw) == rate


@pytest.mark.parametrize("raw", ["", "0/10", "10/0", "ten", "10/x", "-5/10", "10/inf"])
def test_a_wrong_rate_stops_the_start_with_a_clear_message(raw):
    with pytest.raises(SystemExit, match="KLIK_RATE_PER_SENDER"):
        parse_rate(raw, "KLIK_RATE_PER_SENDER")


def test_the_defaults_are_kind_to_people_and_to_offices(monkeypatch):
    monkeypatch.delenv(ratelimit.SENDER_VARIABLE, raising=False)
    monkeypatch.delenv(ratelimit.CLIENT_VARIABLE, raising=False)
    sender = parse_rate(ratelimit.DEFAULT_SENDER)
    client = parse_rate(ratelimit.DEFAULT_CLIENT)
    assert sender.per_second == pytest.approx(1.0)  # about one message a second
    assert client.per_second >= 10 * sender.per_second and client.burst >= 10 * sender.burst


# --- client addresses ---------------------------------------------------------------------

def test_client_addresses():
    none = ()
    assert client_key("192.0.2.7", None, none) == "192.0.2.7"
    # One machine easily holds a whole IPv6 /64.
    assert client_key("2001:db8:1:2:aaaa::1", None, none) == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:2:bbbb::9", None, none) == "2001:db8:1:2::/64"
    assert client_key("::ffff:192.0.2.7", None, none) == "192.0.2.7"
    assert client_key(None, None, none) == "?"


def test_forwarded_for_counts_only_behind_a_trusted_proxy():
    proxies = trusted_proxies("10.0.0.0/8, 192.0.2.1")
    # Without a trusted proxy in front, the header is the client's own claim: ignored.
    assert client_key("198.51.100.9", "203.0.113.5", proxies) == "198.51.100.9"
    assert client_key("10.0.0.2", "203.0.113.5", proxies) == "203.0.113.5"
    # A client may forge the first hops; the nearest untrusted hop counts.
    assert client_key("10.0.0.2", "1.1.1.1, 203.0.113.5, 192.0.2.1", proxies) == "203.0.113.5"
    assert client_key("10.0.0.2", None, proxies) == "10.0.0.2"


def test_a_wrong_proxy_setting_stops_the_start():
    with pytest.raises(SystemExit, match="KLIK_TRUSTED_PROXIES"):
        trusted_proxies("10.0.0.0/8, proxy.local")


# --- through the gateway ------------------------------------------------------------------

async def test_a_flooding_sender_gets_a_dutch_429_and_others_go_on(make_client):
    clock = Clock()
    client = await make_client("3/3", "1000/1", clock)
    for _ in range(3):
        assert (await client.post("/api/feedback", json=feedback(SENDERS[0]))).status == 200
    resp = await client.post("/api/feedback", json=feedback(SENDERS[0].upper()))
    assert resp.status == 429
    assert resp.headers["Retry-After"] == "1"
    error = (await resp.json())["error"]
    assert error == {"code": "rate_limited", "nl": ratelimit.MESSAGE_NL, "en": ratelimit.MESSAGE_EN}
    assert "wacht" in error["nl"].lower()
    # The limit counts over all routes of the API.
    assert (await client.post("/api/forget", json={"sender": SENDERS[0]})).status == 429
    assert (await client.post("/api/feedback", json=feedback(SENDERS[1]))).status == 200
    clock.now += 1
    assert (await client.post("/api/feedback", json=feedback(SENDERS[0]))).status == 200


async def test_one_address_has_a_higher_limit_over_all_its_senders(make_client):
    clock = Clock()
    client = await make_client("2/2", "5/10", clock)
    statuses = [(await client.post("/api/feedback", json=feedback(s))).status for s in SENDERS[:6]]
    assert statuses == [200] * 5 + [429]
    resp = await client.post("/api/feedback", json=feedback(SENDERS[7]))
    assert resp.status == 429 and resp.headers["Retry-After"] == "2"
    # Junk counts too: a flood of bad requests is still a flood.
    clock.now += 2
    bad = await client.post("/api/chat", data=b"{kapot", headers={"Content-Type": "application/json"})
    assert bad.status == 400
    assert (await client.post("/api/chat", data=b"{kapot")).status == 429


async def test_a_429_reaches_the_widget_on_another_site(make_client):
    client = await make_client("1/60", "1000/1", Clock())
    await client.post("/api/feedback", json=feedback(SENDERS[0]))
    resp = await client.post("/api/feedback", json=feedback(SENDERS[0]),
                             headers={"Origin": "https://www.gent.be"})
    assert resp.status == 429
    assert resp.headers["Access-Control-Allow-Origin"] == "https://www.gent.be"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_pages_and_reads_are_not_limited(make_client):
    client = await make_client("1/60", "1/60", Clock())
    for _ in range(3):
        assert (await client.get("/api/openapi.json")).status == 200
        assert (await client.get("/")).status == 200
    assert (await client.post("/api/feedback", json=feedback(SENDERS[0]))).status == 200
    assert (await client.post("/api/feedback", json=feedback(SENDERS[1]))).status == 429
    # Staff sign-in has its own throttle (staff/auth.py), not this one.
    assert (await client.post("/staff/login", data={"username": "x"})).status != 429
