"""``python -m bot run``: starts the action server, the Rasa worker(s) and the gateway.

Prefixes every log line with the process name, waits until all are healthy, prints the URL,
stops everything cleanly on Ctrl-C or SIGTERM, and if one process dies says which and stops
the rest (a supervisor such as systemd then restarts the whole).
"""
from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import aiohttp
import yaml

from bot import config

VENV_BIN = Path(sys.executable).parent
STARTUP_TIMEOUT_S = float(os.environ.get("KLIK_STARTUP_TIMEOUT", "300"))


@dataclass
class Service:
    name: str
    argv: list[str]
    health_url: str
    process: asyncio.subprocess.Process | None = None


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
                [str(VENV_BIN / "rasa"), "run", "--model", str(model), "--port", str(port),
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


async def _stop(procs: list[Service]) -> None:
    for svc in procs:
        if svc.process and svc.process.returncode is None:
            svc.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for svc in procs:
        if svc.process and svc.process.returncode is None:
            try:
                await asyncio.wait_for(svc.process.wait(), max(0.1, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                svc.process.kill()
                await svc.process.wait()


async def run(settings: config.Settings, model: Path) -> int:
    if not model.exists():
        print(f"No trained model at {model}. Run `make run` (it trains first).", file=sys.stderr)
        return 1
    env = child_env(settings)
    procs = services(settings, model)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    pumps = []
    for svc in procs:
        svc.process = await asyncio.create_subprocess_exec(
            *svc.argv, cwd=str(config.PROJECT_ROOT), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop the children in order
            preexec_fn=_die_with_parent,
        )
        pumps.append(asyncio.create_task(_pump(svc.name, svc.process.stdout)))
        say("klik", f"started {svc.name} (pid {svc.process.pid})")

    exit_code = 0
    async with aiohttp.ClientSession() as session:
        started = time.monotonic()
        pending = {svc.name: svc for svc in procs}
        while pending and not stop.is_set():
            for name, svc in list(pending.items()):
                if svc.process.returncode is not None:
                    break
                if await _healthy(session, svc.health_url):
                    del pending[name]
            dead = [s for s in procs if s.process.returncode is not None]
            if dead:
                say("klik", f"{dead[0].name} stopped while starting "
                            f"(exit code {dead[0].process.returncode}); stopping the rest.")
                exit_code = 1
                break
            if time.monotonic() - started > STARTUP_TIMEOUT_S:
                say("klik", f"still not healthy after {STARTUP_TIMEOUT_S:.0f} s: "
                            f"{', '.join(pending)}; stopping.")
                exit_code = 1
                break
            await asyncio.sleep(0.5)
        else:
            if not stop.is_set():
                say("klik", f"Klik is ready: http://{settings.host}:{settings.port}/ "
                            f"(started in {time.monotonic() - started:.0f} s; Ctrl-C stops it)")

        if exit_code == 0:
            waiters = {asyncio.create_task(s.process.wait()): s for s in procs}
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait([stopper, *waiters], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task in waiters:
                    svc = waiters[task]
                    say("klik", f"{svc.name} stopped unexpectedly (exit code "
                                f"{svc.process.returncode}); stopping the rest.")
                    exit_code = 1
            for task in [stopper, *waiters]:
                task.cancel()

    say("klik", "stopping…")
    await _stop(procs)
    await asyncio.gather(*pumps, return_exceptions=True)
    say("klik", "stopped.")
    return exit_code
