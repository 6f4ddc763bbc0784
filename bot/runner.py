"""``python -m bot run``: starts the action server, the Rasa worker(s) and the gateway.

Prefixes every log line with the process name, waits until all are healthy and prints the URL.

- A process that dies after start-up is restarted after a short backoff (1, 2, 4, 8 s), with one
  log line that says which, how and when; a line when it answers its health URL again. This
  holds for the gateway too: it keeps no state, and restarting it alone costs seconds where
  restarting the whole costs a minute of Rasa loading its model.
- A process that dies RESTART_LIMIT times within RESTART_WINDOW_S (5 in 2 minutes) is broken,
  not unlucky: the runner gives up, stops everything and exits with code 1, so a supervisor
  such as systemd restarts the whole. A process that dies while starting stops everything too
  (a wrong setting, not bad luck).
- Ctrl-C or SIGTERM stops the processes in order, each with SIGTERM, SIGKILL after its time
  limit: the gateway first (it stops taking requests and finishes the turns in flight), then
  the Rasa workers (nothing reaches them any more; an answered turn is already in the tracker
  store), then the action server (Rasa no longer calls it). Under systemd use KillMode=mixed,
  so the SIGTERM reaches the runner only and the order holds.
"""
from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiohttp
import yaml

from bot import config

VENV_BIN = Path(sys.executable).parent
STARTUP_TIMEOUT_S = float(os.environ.get("KLIK_STARTUP_TIMEOUT", "300"))
RESTART_LIMIT = 5  # deaths of one process within RESTART_WINDOW_S before the runner gives up
RESTART_WINDOW_S = 120.0
BACKOFF_MAX_S = 8.0
# Time each kind of process gets after SIGTERM before SIGKILL. The gateway's covers a turn in
# flight (its Rasa call times out after 30 s); all three stay within systemd's default 90 s.
STOP_TIMEOUT_S = {"gateway": 40.0, "rasa": 20.0, "actions": 10.0}


@dataclass
class Service:
    name: str
    argv: list[str]
    health_url: str
    process: asyncio.subprocess.Process | None = None
    deaths: deque = field(default_factory=deque)  # monotonic times of recent unexpected deaths

    @property
    def kind(self) -> str:
        """"gateway", "rasa" (every worker) or "actions": what the stop order goes by."""
        return "rasa" if self.name.startswith("rasa") else self.name


ENDPOINTS = config.PROJECT_ROOT / "endpoints.yml"


def redis_lock_store(redis_url: str, key_prefix: str = "") -> dict:
    """The lock_store section for Rasa's RedisLockStore, from a redis:// or rediss:// URL.

    Without the password: the generated file reads it from KLIK_REDIS_PASSWORD (see below).
    """
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise SystemExit(f"KLIK_REDIS_URL must look like redis://host:6379/0, got {redis_url!r}")
    db = parts.path.strip("/") or "0"
    if not db.isdigit():
        raise SystemExit(f"KLIK_REDIS_URL: the part after the / must be a number, got {db!r}")
    section = {"type": "redis", "url": parts.hostname, "port": parts.port or 6379, "db": int(db)}
    if parts.username:
        section["username"] = unquote(parts.username)
    if parts.scheme == "rediss":
        section["use_ssl"] = True
    if key_prefix:
        # Rasa drops a prefix that is not only letters and digits, with just a warning.
        if not key_prefix.isalnum():
            raise SystemExit(f"KLIK_REDIS_KEY_PREFIX must be letters and digits, got {key_prefix!r}")
        section["key_prefix"] = key_prefix
    return section


def endpoints_file(settings: config.Settings) -> Path:
    """endpoints.yml as is, or (with KLIK_REDIS_URL) a copy in var/ with a Redis lock store.

    Rasa refuses an unset ${VARIABLE}, so endpoints.yml itself cannot say "Redis only when set".
    """
    if not settings.redis_url:
        return ENDPOINTS
    section = redis_lock_store(settings.redis_url, os.environ.get("KLIK_REDIS_KEY_PREFIX", ""))
    text = yaml.safe_dump({"lock_store": section}, sort_keys=False)
    if urlsplit(settings.redis_url).password:
        # A plain (unquoted) ${...} is what Rasa expands; the secret never lands in var/.
        text += "  password: ${KLIK_REDIS_PASSWORD}\n"
    path = settings.var_dir / "endpoints.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ENDPOINTS.read_text().rstrip("\n") + "\n\n# Added by `python -m bot run`: "
                    "KLIK_REDIS_URL is set, so all workers share one lock store.\n" + text)
    return path


def services(settings: config.Settings, model: Path) -> list[Service]:
    py = str(VENV_BIN / "python")
    endpoints = str(endpoints_file(settings))
    result = [
        Service(
            "actions",
            [py, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)],
            f"{settings.action_url}/health",
        )
    ]
    for i, url in enumerate(settings.rasa_urls):
        port = settings.rasa_port + i
        result.append(
            Service(
                "rasa" if settings.rasa_workers == 1 else f"rasa{i + 1}",
                # Rasa's `rasa run`, with the action-answer check built once (bot/rasa_worker.py).
                [py, "-m", "bot.rasa_worker", "run", "--model", str(model), "--port", str(port),
                 "--interface", "127.0.0.1", "--credentials", "credentials.yml",
                 "--endpoints", endpoints, "--quiet"],
                f"{url}/",
            )
        )
    result.append(
        Service("gateway", [py, "-m", "bot", "serve"],
                f"http://{settings.host}:{settings.port}/healthz")
    )
    return result


def child_env(settings: config.Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        KLIK_ACTION_ENDPOINT_URL=f"{settings.action_url}/webhook",
        KLIK_TRACKER_STORE_URL=settings.tracker_store_url,
        KLIK_DATABASE_URL=settings.database_url,
        KLIK_VAR_DIR=str(settings.var_dir),
        KLIK_REDIS_PASSWORD=unquote(urlsplit(settings.redis_url).password or ""),
        TF_CPP_MIN_LOG_LEVEL="2",  # TensorFlow's start-up chatter hides what matters
        PYTHONUNBUFFERED="1",
    )
    # One TensorFlow thread pool thread per Rasa worker: a message's tensors are tiny, and with
    # several workers on few cores TF's default (a thread per core per worker) only makes them
    # fight (benchmarks/RESULTS.md: 55 -> 65 msg/s on 2 cores). An operator's value wins.
    for name in ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS"):
        env.setdefault(name, "1")
    return env


def say(name: str, text: str) -> None:
    """One log line behind a process name; a closed terminal or pipe must not stop the runner."""
    try:
        sys.stdout.write(f"{name:<8}| {text}\n")
        sys.stdout.flush()
    except (BrokenPipeError, OSError, ValueError):
        pass


def _die_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM when the runner dies, so nothing is left behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the runner's own shutdown still stops the children


async def _pump(name: str, stream: asyncio.StreamReader) -> None:
    # Keep reading even when nobody listens, so a child never blocks on a full pipe.
    while line := await stream.readline():
        say(name, line.decode(errors="replace").rstrip())


async def _healthy(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as resp:
            # The gateway's own /healthz is 503 until the others are up; any answer means it runs.
            return resp.status == 200 or url.endswith("/healthz")
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False




def _how(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


class Supervisor:
    """Starts the processes, restarts one that dies, stops them all in order."""

    def __init__(self, settings: config.Settings, procs: list[Service], env: dict[str, str]):
        self.settings = settings
        self.procs = procs
        self.env = env
        self.stop = asyncio.Event()  # Ctrl-C, SIGTERM or giving up
        self.exit_code = 0
        self.pumps: list[asyncio.Task] = []
        self.checks: set[asyncio.Task] = set()

    async def spawn(self, svc: Service, verb: str = "started") -> None:
        svc.process = await asyncio.create_subprocess_exec(
            *svc.argv, cwd=str(config.PROJECT_ROOT), env=self.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop the children in order
            preexec_fn=_die_with_parent,
        )
        self.pumps.append(asyncio.create_task(_pump(svc.name, svc.process.stdout)))
        # "started NAME (pid N)" (and "restarted …") is what tests and operators look for.
        say("klik", f"{verb} {svc.name} (pid {svc.process.pid})")

    async def _until_stop(self, aw, timeout: float | None = None) -> bool:
        """Wait for aw (or timeout); False when a stop came first."""
        task = asyncio.ensure_future(aw)
        stopper = asyncio.create_task(self.stop.wait())
        await asyncio.wait([task, stopper], timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for t in (task, stopper):
            t.cancel()
        return not self.stop.is_set()

    async def start_all(self, session: aiohttp.ClientSession) -> bool:
        """Start everything and wait until all are healthy; False when that failed or a stop came."""
        for svc in self.procs:
            await self.spawn(svc)
        started = time.monotonic()
        pending = {svc.name: svc for svc in self.procs}
        while pending and not self.stop.is_set():
            for name, svc in list(pending.items()):
                if svc.process.returncode is not None:
                    break
                if await _healthy(session, svc.health_url):
                    del pending[name]
            dead = [s for s in self.procs if s.process.returncode is not None]
            if dead:
                say("klik", f"{dead[0].name} stopped while starting "
                            f"({_how(dead[0].process.returncode)}); stopping the rest.")
                self.exit_code = 1
                return False
            if time.monotonic() - started > STARTUP_TIMEOUT_S:
                say("klik", f"still not healthy after {STARTUP_TIMEOUT_S:.0f} s: "
                            f"{', '.join(pending)}; stopping.")
                self.exit_code = 1
                return False
            await asyncio.sleep(0.5)
        if self.stop.is_set():
            return False
        say("klik", f"Klik is ready: http://{self.settings.host}:{self.settings.port}/ "
                    f"(started in {time.monotonic() - started:.0f} s; Ctrl-C stops it)")
        return True

    async def watch(self, svc: Service, session: aiohttp.ClientSession) -> None:
        """Restart svc each time it dies, until a stop; give up when it dies too often."""
        while True:
            if not await self._until_stop(svc.process.wait()):
                return
            now = time.monotonic()
            svc.deaths.append(now)
            while now - svc.deaths[0] > RESTART_WINDOW_S:
                svc.deaths.popleft()
            how = _how(svc.process.returncode)
            if len(svc.deaths) >= RESTART_LIMIT:
                say("klik", f"{svc.name} died ({how}), {len(svc.deaths)} times in "
                            f"{RESTART_WINDOW_S:.0f} s: giving up, stopping everything (exit code 1).")
                self.exit_code = 1
                self.stop.set()
                return
            delay = min(BACKOFF_MAX_S, 2.0 ** (len(svc.deaths) - 1))
            say("klik", f"{svc.name} died unexpectedly ({how}); restarting it in {delay:.0f} s "
                        f"({len(svc.deaths)} of {RESTART_LIMIT} deaths in {RESTART_WINDOW_S:.0f} s "
                        f"before giving up).")
            if not await self._until_stop(asyncio.sleep(delay), timeout=delay + 1):
                return
            await self.spawn(svc, "restarted")
            check = asyncio.create_task(self._back(svc, svc.process, session))
            self.checks.add(check)
            check.add_done_callback(self.checks.discard)

    async def _back(self, svc: Service, process, session: aiohttp.ClientSession) -> None:
        """Say when a restarted process answers again; kill it when it never does (counts as a death)."""
        started = time.monotonic()
        while process.returncode is None and not self.stop.is_set():
            if await _healthy(session, svc.health_url):
                say("klik", f"{svc.name} is back (healthy {time.monotonic() - started:.0f} s "
                            f"after the restart).")
                return
            if time.monotonic() - started > STARTUP_TIMEOUT_S:
                say("klik", f"{svc.name} still not healthy {STARTUP_TIMEOUT_S:.0f} s after the "
                            f"restart; killing it.")
                process.kill()
                return
            await asyncio.sleep(0.5)

    async def stop_all(self) -> None:
        """SIGTERM in order: gateway, Rasa workers, action server; SIGKILL after each one's limit."""
        for kind in ("gateway", "rasa", "actions"):
            group = [s for s in self.procs if s.kind == kind
                     and s.process and s.process.returncode is None]
            for svc in group:
                svc.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT_S[kind]
            for svc in group:
                try:
                    await asyncio.wait_for(svc.process.wait(),
                                           max(0.1, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    say("klik", f"{svc.name} did not stop within {STOP_TIMEOUT_S[kind]:.0f} s "
                                f"of SIGTERM; killing it.")
                    svc.process.kill()
                    await svc.process.wait()


async def run(settings: config.Settings, model: Path) -> int:
    if not model.exists():
        print(f"No trained model at {model}. Run `make run` (it trains first).", file=sys.stderr)
        return 1
    sup = Supervisor(settings, services(settings, model), child_env(settings))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, sup.stop.set)

    async with aiohttp.ClientSession() as session:
        if await sup.start_all(session):
            watchers = [asyncio.create_task(sup.watch(svc, session)) for svc in sup.procs]
            await sup.stop.wait()
            # Every wait in a watcher ends on the stop, so none restarts a process from here on.
            await asyncio.gather(*watchers)
            for check in list(sup.checks):
                check.cancel()

    say("klik", "stopping…")
    await sup.stop_all()
    await asyncio.gather(*sup.pumps, return_exceptions=True)
    say("klik", "stopped.")
    return sup.exit_code
