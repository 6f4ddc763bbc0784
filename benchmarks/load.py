"""Closed-loop load generator for Klik's POST /api/chat (a script, not a test).

C simulated residents talk at once. Each holds one short, realistic Dutch conversation with a
fresh sender id (uuid4), sends its next message as soon as the previous answer arrives (closed
loop: no think time, so the figures are the most the stack can do), then starts a new
conversation with a new sender. Where the bot offers buttons the resident clicks them (sends
the button's payload), as people do in the widget.

    # against a running Klik (make run), 10 residents, 2,000 measured messages:
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8080 --users 10 --messages 2000
    # start a stack of its own (trained model needed), 2 Rasa workers, stop it at the end;
    # 1 and then 10 residents, 5,000 measured messages each:
    .venv/bin/python benchmarks/load.py --start --workers 2 --users 1,10 --messages 5000
    # the same on PostgreSQL (two fresh databases, dropped afterwards) with a Redis lock store:
    .venv/bin/python benchmarks/load.py --start --workers 2 --users 1,10 --messages 5000 \\
        --postgres postgresql://postgres@127.0.0.1:5432/postgres --redis redis://127.0.0.1:6379/0
    # see what each script sends and what Klik answers (one conversation per script):
    .venv/bin/python benchmarks/load.py --start --trace

It stops by itself: after --messages measured messages (plus --warmup first) or after
--duration seconds, whichever comes first. An error is a non-200 answer, an empty answer, the
gateway's "something went wrong" stand-in for an empty Rasa answer, or no answer (timeout,
refused). Against --url the scripts that store a need or make a referral note are left out unless
named in --scripts: they would write test rows into a real database.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import socket
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
# The gateway's stand-in when Rasa answered nothing (bot/web/turn.py NO_ANSWER).
NO_ANSWER = "Er ging iets mis bij mij"


# --- the conversations --------------------------------------------------------------------------

@dataclass(frozen=True)
class Say:
    """Type a message. `kind` names the step in the per-step latency table."""
    text: str
    kind: str


@dataclass(frozen=True)
class Click:
    """Click the first button whose title is one of `titles` in the last answer; when the bot
    offered none of them, type `fallback` instead (counted as a script miss)."""
    titles: tuple[str, ...]
    fallback: str
    kind: str


@dataclass(frozen=True)
class MoreInfo:
    """Click "Meer info" on the first offering card of the last answer."""
    fallback: str
    kind: str = "details"


# Five conversations (three residents searching, one noting a need, one social worker), from what
# Klik really asks (domain.yml utter_ask_*, the buttons in bot/chat/offerings.py and
# bot/chat/referral.py). Most answers are the buttons Klik offers, clicked.
SCRIPTS: dict[str, list] = {
    # A resident: greets, asks a cost question, looks around in Gent, pages, opens a card.
    "search": [
        Say("hallo", "greet"),
        Say("wat kost een UiTPAS?", "knowledge"),
        Say("wat kan ik doen in Gent?", "search_start"),
        # Typed, not clicked: the "Maakt niet uit" button is not understood, and a clicked
        # audience adds the payload's words to the search (RESULTS.md, "Noticed on the way").
        Say("maakt niet uit", "form_answer"),
        Say("voor mezelf", "form_answer"),
        Click(("Toon meer",), "toon meer", "show_more"),
        MoreInfo("meer info over de eerste"),
        Say("wat is Artikel 27", "knowledge"),
        Say("dank je", "thanks"),
    ],
    # Sport in Gent with everything but the audience in the first message.
    "sport": [
        Say("ik zoek iets om te sporten in Gent", "search_start"),
        Click(("Voor mezelf",), "voor mezelf", "form_answer"),
        MoreInfo("meer info"),
        Say("Ik durf niet alleen te gaan", "knowledge"),
        Say("dank je", "thanks"),
    ],
    # A parent: free museums in Brussels for the family, then a question about discounts.
    "family": [
        Say("dag Klik", "greet"),
        Say("zijn er gratis musea in Brussel", "search_start"),
        Click(("Voor het gezin", "Voor een kind"), "voor het hele gezin", "form_answer"),
        MoreInfo("meer info"),
        Say("ik heb weinig geld, krijg ik korting?", "knowledge"),
        Say("doei", "goodbye"),
    ],
    # Starts from the menu button, answers every form question, then notes an unmet need.
    "need": [
        Say("hallo", "greet"),
        Click(("Iets zoeken om te doen",), "ik zoek iets om te doen", "search_start"),
        Say("Mechelen", "form_answer"),
        Click(("Sport",), "sport", "form_answer"),
        Click(("Voor een jongere",), "voor mijn dochter van 15", "form_answer"),
        Say("er is niks te doen voor jongeren in mijn dorp", "need_report"),
        Click(("Ja",), "/affirm", "need_consent"),
        Say("bedankt", "thanks"),
    ],
    # A social worker's referral intake, through to the referral note.
    "referral": [
        Say("als hulpverlener wil ik een gezin doorverwijzen naar een sportclub in Gent",
            "referral_start"),
        Say("de kinderen zijn 4 en 9", "referral_answer"),
        Click(("Geld",), "geld", "referral_answer"),
        Click(("Klaar",), "klaar", "referral_answer"),
        Click(("Leefloon", "Weet ik niet"), "weet ik niet", "referral_answer"),
        Click(("Arabisch", "Nederlands"), "Arabisch", "referral_answer"),
        Click(("Kies 1",), "1", "referral_choose"),
        Click(("Maak de brief",), "maak de brief", "referral_note"),
        Say("dank je", "thanks"),
    ],
}
WRITING_SCRIPTS = {"need", "referral"}  # store rows in the app database


def _buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in (r.get("buttons") or []) if isinstance(b, dict)]


def next_message(step, last: list[dict]) -> tuple[str, bool]:
    """The text to send for a step, and whether the script found what it expected."""
    if isinstance(step, Say):
        return step.text, True
    if isinstance(step, Click):
        for title in step.titles:
            for button in _buttons(last):
                if button.get("title") == title and button.get("payload"):
                    return button["payload"], True
        return step.fallback, False
    for r in last:
        offerings = (r.get("custom") or {}).get("offerings") or []
        if offerings and offerings[0].get("more_payload"):
            return offerings[0]["more_payload"], True
    return step.fallback, False


# --- measuring ----------------------------------------------------------------------------------

@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)  # ms, measured messages only
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    error_kinds: Counter = field(default_factory=Counter)  # step kind of each error
    misses: Counter = field(default_factory=Counter)  # script expected a button that was not there
    conversations: Counter = field(default_factory=Counter)
    warmup: int = 0
    started: float = 0.0  # when the first measured message was sent
    ended: float = 0.0


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 of 100 values is the 99th)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def classify(status: int, body) -> str | None:
    """The error kind of one answer, or None when it is a real answer."""
    if status != 200:
        return f"http_{status}"
    if not isinstance(body, list) or not body:
        return "empty_answer"
    if any(isinstance(m, dict) and NO_ANSWER in (m.get("text") or "") for m in body):
        return "no_answer_stand_in"
    return None


class Load:
    def __init__(self, url: str, users: int, messages: int, warmup: int, duration: float,
                 timeout: float, scripts: list[str], metadata: dict | None):
        self.url = url.rstrip("/") + "/api/chat"
        self.users = users
        self.total = warmup + messages
        self.warmup = warmup
        self.deadline = 0.0
        self.duration = duration
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.scripts = scripts
        self.metadata = metadata
        self.issued = 0
        self.results = Results()

    def _claim(self) -> int | None:
        """The number of the next message to send, or None when the run is over."""
        if self.issued >= self.total or time.monotonic() >= self.deadline:
            return None
        n = self.issued
        self.issued += 1
        if n == self.warmup:
            self.results.started = time.monotonic()
        return n

    async def _send(self, session: aiohttp.ClientSession, sender: str, text: str, kind: str,
                    n: int) -> list[dict] | None:
        body = {"sender": sender, "message": text}
        if self.metadata:
            body["metadata"] = self.metadata
        t0 = time.perf_counter()
        try:
            async with session.post(self.url, json=body, timeout=self.timeout) as resp:
                status = resp.status
                try:
                    answer = await resp.json(content_type=None)
                except (ValueError, aiohttp.ContentTypeError):
                    answer = None
        except asyncio.TimeoutError:
            status, answer = -1, None
            error = "timeout"
        except aiohttp.ClientError as exc:
            status, answer = -1, None
            error = f"connection:{type(exc).__name__}"
        else:
            error = classify(status, answer)
        ms = (time.perf_counter() - t0) * 1000
        r = self.results
        if n < self.warmup:
            r.warmup += 1
        else:
            r.latencies.append(ms)
            r.by_kind[kind].append(ms)
            r.ended = time.monotonic()
            if error:
                r.errors[error] += 1
                r.error_kinds[kind] += 1
        return None if error else answer

    async def _resident(self, session: aiohttp.ClientSession, index: int) -> None:
        turn = index  # residents start on different scripts, then take them in turn
        while True:
            name = self.scripts[turn % len(self.scripts)]
            turn += 1
            sender = str(uuid.uuid4())
            last: list[dict] = []
            self.results.conversations[name] += 1
            for step in SCRIPTS[name]:
                n = self._claim()
                if n is None:
                    return
                text, found = next_message(step, last)
                if not found and n >= self.warmup:
                    self.results.misses[f"{name}:{step.kind}"] += 1
                answer = await self._send(session, sender, text, step.kind, n)
                if answer is None:
                    break  # an error: this resident gives up and starts a new conversation
                last = answer

    async def run(self) -> Results:
        connector = aiohttp.TCPConnector(limit=self.users, force_close=False)
        async with aiohttp.ClientSession(connector=connector) as session:
            self.deadline = time.monotonic() + self.duration
            self.results.started = time.monotonic()
            await asyncio.gather(*(self._resident(session, i) for i in range(self.users)))
        if not self.results.ended:
            self.results.ended = time.monotonic()
        return self.results


def summary(r: Results, users: int, workers: int | None, url: str) -> dict:
    lat = r.latencies
    seconds = max(r.ended - r.started, 1e-9)
    kinds = {}
    for kind, values in sorted(r.by_kind.items(), key=lambda kv: -percentile(kv[1], 50)):
        kinds[kind] = {"n": len(values), "p50_ms": round(percentile(values, 50), 1),
                       "p95_ms": round(percentile(values, 95), 1),
                       "max_ms": round(max(values), 1), "errors": r.error_kinds.get(kind, 0)}
    return {
        "url": url, "users": users, "workers": workers, "messages": len(lat),
        "warmup": r.warmup, "duration_s": round(seconds, 2),
        "msg_per_s": round(len(lat) / seconds, 2),
        "p50_ms": round(percentile(lat, 50), 1), "p95_ms": round(percentile(lat, 95), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "max_ms": round(max(lat), 1) if lat else None,
        "errors": sum(r.errors.values()), "errors_by_kind": dict(r.errors),
        "script_misses": dict(r.misses), "conversations": dict(r.conversations),
        "per_step": kinds,
    }


def print_summary(s: dict) -> None:
    print(f"\nKlik load: {s['users']} users, {s['workers'] or '?'} Rasa worker(s), "
          f"{s['backend']}, {s['url']}")
    print(f"messages     {s['messages']} (+{s['warmup']} warm-up)")
    print(f"duration     {s['duration_s']:.1f} s")
    print(f"throughput   {s['msg_per_s']:.1f} msg/s")
    print(f"latency      p50 {s['p50_ms']:.0f} ms   p95 {s['p95_ms']:.0f} ms   "
          f"p99 {s['p99_ms']:.0f} ms   max {s['max_ms'] or 0:.0f} ms")
    kinds = ", ".join(f"{k} {v}" for k, v in s["errors_by_kind"].items()) or "none"
    print(f"errors       {s['errors']} ({kinds})")
    if s["script_misses"]:
        print("script misses (expected button not offered): "
              + ", ".join(f"{k} {v}" for k, v in s["script_misses"].items()))
    cpu = s.get("cpu_ms_per_message")
    if cpu:
        cores = os.cpu_count() or 1
        print("CPU per msg  " + ", ".join(f"{k} {v:.0f} ms" for k, v in cpu.items())
              + f"  (ceiling on {cores} cores: {cores * 1000 / max(cpu['total'], 1e-9):.0f} msg/s)")
    print(f"conversations started: "
          + ", ".join(f"{k} {v}" for k, v in s["conversations"].items()))
    print(f"\n{'step':<16}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    for kind, v in s["per_step"].items():
        print(f"{kind:<16}{v['n']:>6}{v['p50_ms']:>9.0f}{v['p95_ms']:>9.0f}{v['max_ms']:>9.0f}"
              f"{v['errors']:>8}")


# --- a stack of its own -------------------------------------------------------------------------

def _two_free_ports(count: int) -> int:
    """A port P with P .. P+count-1 all free (the Rasa workers take consecutive ports)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        ok = True
        for p in range(base, base + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no run of free ports for the Rasa workers")


def fresh_postgres(server_url: str):
    """A new empty database on that PostgreSQL server, dropped afterwards."""
    from tests.databases import fresh_database

    return fresh_database(server_url, prefix="klik_bench")


@contextlib.contextmanager
def own_stack(workers: int, keep_var: bool = False, postgres: str | None = None,
              redis_url: str | None = None, extra: dict | None = None):
    """The real stack (python -m bot run) on free ports with a temporary var dir, as the
    integration tests start it (tests/integration/stack.py); stopped when the block ends.
    With `postgres` (a server URL) the app database and the tracker store are two fresh
    databases there; with `redis_url` the workers share a Redis lock store under a key prefix
    of their own. Both are removed afterwards."""
    sys.path.insert(0, str(ROOT))
    from tests.integration.stack import Stack  # the test suite's own starter: one definition

    var = Path(tempfile.mkdtemp(prefix="klik-bench-"))
    rasa_port = _two_free_ports(workers)
    env = {"KLIK_RASA_WORKERS": str(workers), "KLIK_RASA_PORT": str(rasa_port)}
    with contextlib.ExitStack() as cleanup:
        if postgres:
            env["KLIK_DATABASE_URL"] = cleanup.enter_context(fresh_postgres(postgres))
            env["KLIK_TRACKER_STORE_URL"] = cleanup.enter_context(fresh_postgres(postgres))
        if redis_url:
            import redis

            prefix = f"klikbench{uuid.uuid4().hex[:12]}"
            env.update(KLIK_REDIS_URL=redis_url, KLIK_REDIS_KEY_PREFIX=prefix)
            client = redis.Redis.from_url(redis_url)
            cleanup.callback(client.close)
            cleanup.callback(lambda: [client.delete(k) for k in client.scan_iter(f"{prefix}:*")])
        env.update(extra or {})
        stack = Stack(var, extra_env=env)
        stack.rasa_port = rasa_port
        t0 = time.monotonic()
        print(f"starting Klik with {workers} Rasa worker(s) in {var}"
              f"{' on PostgreSQL' if postgres else ''}{' with Redis' if redis_url else ''} …",
              file=sys.stderr)
        try:
            stack.start()
            print(f"ready in {time.monotonic() - t0:.0f} s: {stack.url}", file=sys.stderr)
            yield stack
        finally:
            code = stack.stop()  # before the databases are dropped (ExitStack unwinds after)
            if code not in (0, None):
                print(f"stack stopped with exit code {code}; last log lines:\n"
                      + "\n".join(stack.lines[-30:]), file=sys.stderr)
            if not keep_var:
                import shutil

                shutil.rmtree(var, ignore_errors=True)


# --- the command --------------------------------------------------------------------------------

async def trace(url: str, scripts: list[str], metadata: dict | None) -> None:
    """One conversation per script, printing what is sent and the answer's first words."""
    async with aiohttp.ClientSession() as session:
        for name in scripts:
            sender = str(uuid.uuid4())
            last: list[dict] = []
            print(f"\n=== {name} ({sender})")
            for step in SCRIPTS[name]:
                text, found = next_message(step, last)
                body = {"sender": sender, "message": text}
                if metadata:
                    body["metadata"] = metadata
                t0 = time.perf_counter()
                async with session.post(url.rstrip("/") + "/api/chat", json=body) as resp:
                    status, answer = resp.status, await resp.json(content_type=None)
                ms = (time.perf_counter() - t0) * 1000
                mark = "" if found else "  [MISS: button not offered, typed the fallback]"
                print(f"> [{step.kind}] {text}{mark}")
                print(f"  {status} in {ms:.0f} ms")
                for m in answer if isinstance(answer, list) else [answer]:
                    if not isinstance(m, dict):
                        continue
                    line = re.sub(r"\s+", " ", m.get("text") or "")[:110]
                    extra = ""
                    if m.get("buttons"):
                        extra = "  buttons: " + " | ".join(b["title"] for b in m["buttons"])
                    if (m.get("custom") or {}).get("offerings"):
                        extra += f"  [{len(m['custom']['offerings'])} cards]"
                    print(f"  < {line}{extra}")
                last = answer if isinstance(answer, list) else []


def machine() -> str:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    load = "?"
    with contextlib.suppress(OSError):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, {model}, {mem} RAM, {platform.system()}, load {load}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running Klik gateway, e.g. http://127.0.0.1:8080")
    where.add_argument("--start", action="store_true",
                       help="start a stack of its own (python -m bot run) and stop it at the end")
    p.add_argument("--workers", type=int,
                   help="Rasa workers to start with --start (default 1); with --url only a label")
    p.add_argument("--users", default="10",
                   help="concurrent residents (default 10); a list such as 1,10 measures each in"
                        " turn on the same stack")
    p.add_argument("--messages", type=int, default=1000, help="measured messages (default 1000)")
    p.add_argument("--warmup", type=int, default=50,
                   help="messages sent first, not measured (default 50: the first turns of a fresh"
                        " Rasa worker cost more, TensorFlow still tracing)")
    p.add_argument("--duration", type=float, default=600.0,
                   help="stop after this many seconds even before --messages (default 600)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    p.add_argument("--scripts", help=f"comma-separated, from {', '.join(SCRIPTS)} (default all;"
                                     " with --url the writing ones only when named)")
    p.add_argument("--municipality", help="NIS code sent as the widget's metadata, e.g. 44021")
    p.add_argument("--json", action="store_true", help="also print one machine-readable line")
    p.add_argument("--trace", action="store_true",
                   help="run each script once and print the answers (checks the scripts)")
    p.add_argument("--keep-var", action="store_true", help="with --start: keep the var dir")
    p.add_argument("--postgres", metavar="SERVER_URL",
                   help="with --start: app database and tracker store in two fresh databases on"
                        " this PostgreSQL server, e.g. "
                        "postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--redis", metavar="URL",
                   help="with --start: Redis lock store, e.g. redis://127.0.0.1:6379/0")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                   help="with --start: one more setting for the stack, e.g. "
                        "ACTION_SERVER_SANIC_WORKERS=2 (repeat)")
    args = p.parse_args(argv)
    if args.start and args.workers is None:
        args.workers = 1
    try:
        args.users = [int(u) for u in str(args.users).split(",") if u.strip()]
    except ValueError:
        p.error("--users takes whole numbers, e.g. 10 or 1,10")
    if not args.users or min(args.users) < 1:
        p.error("--users must be at least 1")
    for name in ("messages", "workers"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            p.error(f"--{name} must be at least 1")
    if args.url and (args.postgres or args.redis or args.env):
        p.error("--postgres, --redis and --env go with --start")
    try:
        args.extra_env = dict(item.split("=", 1) for item in args.env)
    except ValueError:
        p.error("--env takes NAME=VALUE")
    if args.warmup < 0 or args.duration <= 0 or args.timeout <= 0:
        p.error("--warmup must be >= 0, --duration and --timeout > 0")
    if args.scripts:
        args.script_list = [s.strip() for s in args.scripts.split(",") if s.strip()]
        unknown = set(args.script_list) - set(SCRIPTS)
        if unknown or not args.script_list:
            p.error(f"unknown script(s): {', '.join(sorted(unknown)) or '(none given)'}")
    elif args.url:
        args.script_list = [s for s in SCRIPTS if s not in WRITING_SCRIPTS]
    else:
        args.script_list = list(SCRIPTS)
    return args


def process_ids(stack) -> dict[str, int]:
    """The stack's processes by name, from the runner's "started NAME (pid N)" lines (the
    last line per name counts: the runner may have restarted one)."""
    pids = {}
    for line in stack.lines:
        m = re.search(r"(?:re)?started (\S+) \(pid (\d+)\)", line)
        if m:
            pids[m.group(1)] = int(m.group(2))
    return pids


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """User + system CPU time of each process so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for name, pid in pids.items():
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[name] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return out


async def measure(args, url: str, workers: int | None, backend: str,
                  pids: dict[str, int] | None = None) -> list[dict]:
    metadata = {"municipality": args.municipality} if args.municipality else None
    if args.trace:
        await trace(url, args.script_list, metadata)
        return []
    summaries = []
    for users in args.users:
        load = Load(url, users, args.messages, args.warmup, args.duration, args.timeout,
                    args.script_list, metadata)
        before = cpu_seconds(pids or {})
        results = await load.run()
        after = cpu_seconds(pids or {})
        s = summary(results, users, workers, url)
        sent = results.warmup + len(results.latencies)
        if before and sent:
            # CPU time per message barely depends on what else runs on the machine, unlike
            # latency: 1000 ms x cores / total is the most messages per second the stack can do.
            s["cpu_ms_per_message"] = {name: round((after[name] - before[name]) * 1000 / sent, 1)
                                       for name in before if name in after}
            s["cpu_ms_per_message"]["total"] = round(sum(s["cpu_ms_per_message"].values()), 1)
        s["backend"] = backend
        s["machine"] = machine()
        s["scripts"] = args.script_list
        print_summary(s)
        if args.json:
            print(json.dumps(s, ensure_ascii=False))
        summaries.append(s)
    return summaries


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"machine: {machine()}", file=sys.stderr)
    if args.url:
        summaries = asyncio.run(measure(args, args.url, args.workers, "as it runs"))
    else:
        backend = ("PostgreSQL" if args.postgres else "SQLite") + (" + Redis" if args.redis else "")
        backend += "".join(f", {k}={v}" for k, v in args.extra_env.items())
        with own_stack(args.workers, args.keep_var, args.postgres, args.redis,
                       args.extra_env) as stack:
            summaries = asyncio.run(measure(args, stack.url, args.workers, backend,
                                            process_ids(stack)))
    return 1 if any(s["errors"] for s in summaries) else 0


if __name__ == "__main__":
    sys.exit(main())
