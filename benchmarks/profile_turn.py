"""Where one chat turn spends its time: gateway, Rasa (NLU, policies, tracker store), actions.

A script, not a test. It needs a running stack: --start starts one (as benchmarks/load.py
does), or name a running one with --url, --rasa-url, --action-url and --database-url.

    .venv/bin/python benchmarks/profile_turn.py --start
    .venv/bin/python benchmarks/profile_turn.py --start --repeat 20 --cprofile
    .venv/bin/python benchmarks/profile_turn.py --url http://127.0.0.1:8080 \\
        --rasa-url http://127.0.0.1:5005 --action-url http://127.0.0.1:5055 \\
        --database-url sqlite:///var/klik.db

Three measurements of the same short conversation (--message, repeatable; default: a greeting,
a cost question, a search, the answer to the form's question), each repeated with fresh senders
and reported as medians:

1. Black box over HTTP: each message through the gateway (POST /api/chat) and, for a second
   sender, straight to Rasa's REST channel. The difference is the gateway's share.
2. Rasa in this process: the same model and endpoints.yml (action calls go to the stack's
   action server; a tracker store of its own, same kind), with timers around the tracker
   store, NLU (per pipeline component), policy predictions (per policy) and each call to the
   action server. With --cprofile also Python's profile of the whole turn.
3. The action server: the action calls Rasa made, replayed over HTTP with a new connection per
   call (as Rasa 3.6 does) and over one pooled connection, and run in this process without HTTP
   (with --cprofile: the profile of the actions).
4. Rasa's schema check of an action server answer, as Rasa 3.6 does it and with a validator
   built once.
5. With --what-if: the load scripts of benchmarks/load.py on the Rasa in this process, as is and
   with each proposed cut (patched into this process only), wall and CPU time per message, and
   whether any answer changes without TEDPolicy.

Nothing here changes Klik or Rasa on disk: the cuts are tried in this process, to size them.
"""
from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import cProfile
import io
import json
import logging
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import aiohttp

# Rasa runs in this process (part 2): keep TensorFlow importable (bot/lean.py blocks it otherwise).
os.environ["KLIK_KEEP_TENSORFLOW"] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DEFAULT_MESSAGES = ["hallo", "wat kost een UiTPAS?", "ik zoek iets om te sporten in Gent",
                    '/inform{"audience": "volwassenen"}']


def med(values) -> float:
    values = list(values)
    return statistics.median(values) if values else 0.0


class Timer:
    """Sums of wall time per (message, label) over every repeat; counts too."""

    def __init__(self):
        self.current: str | None = None  # the message being handled
        self.total: dict[tuple[str, str], list[float]] = defaultdict(list)
        self._run: dict[str, float] = defaultdict(float)
        self._count: dict[str, int] = defaultdict(int)

    def add(self, label: str, seconds: float) -> None:
        if self.current is not None:
            self._run[label] += seconds
            self._count[label] += 1

    def start_turn(self, message: str) -> None:
        self.current = message
        self._run.clear()
        self._count.clear()

    def end_turn(self) -> None:
        for label, seconds in self._run.items():
            self.total[(self.current, label)].append(seconds * 1000)
            self.total[(self.current, label + " #")].append(self._count[label])
        self.current = None

    def ms(self, message: str, label: str) -> float:
        return med(self.total.get((message, label), [0.0]))


# --- 1. black box ------------------------------------------------------------------------------

async def black_box(gateway: str, rasa: str, messages: list[str], repeat: int) -> dict:
    """Each message to the gateway (one sender) and straight to Rasa (another sender), one
    right after the other, so both see the same machine load."""
    out: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    targets = (("gateway", f"{gateway}/api/chat"), ("rasa", f"{rasa}/webhooks/rest/webhook"))
    async with aiohttp.ClientSession() as session:
        for _ in range(repeat):
            senders = {name: str(uuid.uuid4()) for name, _ in targets}
            for m in messages:
                for name, url in targets:
                    t0 = time.perf_counter()
                    body = {"sender": senders[name], "message": m}
                    async with session.post(url, json=body) as resp:
                        await resp.read()
                        if resp.status != 200:
                            raise RuntimeError(f"{url} answered {resp.status}")
                    out[m][name].append((time.perf_counter() - t0) * 1000)
    return out


def gateway_local_costs(messages: list[str], repeat: int = 200) -> dict[str, float]:
    """What the gateway does itself per message, outside the HTTP plumbing (µs)."""
    from bot import privacy
    from bot.web.validation import parse_chat

    sender = str(uuid.uuid4())
    result = {}
    for label, fn in (("redact", lambda m: privacy.redact(m)),
                      ("validate", lambda m: parse_chat({"sender": sender, "message": m}))):
        t0 = time.perf_counter()
        for _ in range(repeat):
            for m in messages:
                fn(m)
        result[label] = (time.perf_counter() - t0) / (repeat * len(messages)) * 1e6
    return result


# --- 2. Rasa in this process ----------------------------------------------------------------

def timed_async(timer: Timer, cls, name: str, label_of) -> None:
    original = getattr(cls, name)

    async def wrapper(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return await original(self, *args, **kwargs)
        finally:
            timer.add(label_of(self), time.perf_counter() - t0)

    setattr(cls, name, wrapper)


def timed_sync(timer: Timer, cls, name: str, label_of) -> None:
    original = getattr(cls, name)

    def wrapper(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            timer.add(label_of(self), time.perf_counter() - t0)

    setattr(cls, name, wrapper)


def instrument(timer: Timer, calls: list):
    """Wrap Rasa's own methods with timers; patches classes in this process only."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode

    timed_async(timer, MessageProcessor, "fetch_tracker_and_update_session",
                lambda s: "tracker load")
    timed_async(timer, MessageProcessor, "save_tracker", lambda s: "tracker save")
    timed_async(timer, MessageProcessor, "parse_message", lambda s: "NLU")
    timed_sync(timer, MessageProcessor, "_predict_next_with_tracker", lambda s: "policies")
    timed_async(timer, MessageProcessor, "run_action_extract_slots", lambda s: "extract slots")
    timed_async(timer, RemoteAction, "run", lambda s: "action calls")
    timed_async(timer, RemoteAction, "run", lambda s: f"  action {s.name()}")
    # Every graph node (NLU components and policies) by its node name, e.g. run_DIETClassifier5.
    timed_sync(timer, GraphNode, "__call__", lambda s: f"  node {s._node_name}")
    # Rasa's own work around each call: building the request (tracker state, domain) and
    # checking the answer against its JSON schema.
    timed_sync(timer, RemoteAction, "_action_call_format", lambda s: "  rasa: build action request")
    timed_sync(timer, RemoteAction, "_validate_action_result",
               lambda s: "  rasa: validate action answer")
    original_format = RemoteAction._action_call_format

    def capture(self, tracker, domain):
        body = original_format(self, tracker, domain)
        if timer.current is not None:
            calls.append((timer.current, body))
        return body

    RemoteAction._action_call_format = capture


async def run_turns(agent, timer: Timer | None, messages: list[str], repeat: int) -> dict:
    """Median ms per message over `repeat` fresh conversations."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    totals = defaultdict(list)
    for _ in range(repeat):
        sender = str(uuid.uuid4())
        for m in messages:
            if timer:
                timer.start_turn(m)
            t0 = time.perf_counter()
            await agent.handle_message(UserMessage(m, CollectingOutputChannel(), sender))
            totals[m].append((time.perf_counter() - t0) * 1000)
            if timer:
                timer.end_turn()
    return totals


async def in_process(model: Path, action_url: str, messages: list[str], repeat: int,
                     profile: bool, top: int):
    tmp = Path(tempfile.mkdtemp(prefix="klik-profile-"))
    os.environ["KLIK_ACTION_ENDPOINT_URL"] = f"{action_url}/webhook"
    os.environ["KLIK_TRACKER_STORE_URL"] = f"sqlite:///{tmp / 'tracker.db'}"
    if DEPLOYED:
        import bot.rasa_worker  # noqa: F401  (the patches every Klik Rasa worker runs with)
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    timer, calls = Timer(), []
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    t0 = time.perf_counter()
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    load_s = time.perf_counter() - t0
    instrument(timer, calls)
    # Two unmeasured conversations first: TensorFlow builds its graphs on the first predictions.
    await run_turns(agent, None, messages, 2)
    totals = await run_turns(agent, timer, messages, repeat)
    report = ""
    if profile:
        # A pass of its own: the profiler slows pure Python code (jsonschema) far more than
        # TensorFlow's C++, so its times must not mix with the table above.
        profiler = cProfile.Profile()
        for _ in range(repeat):
            sender = str(uuid.uuid4())
            for m in messages:
                profiler.enable()
                await agent.handle_message(UserMessage(m, CollectingOutputChannel(), sender))
                profiler.disable()
        report = top_functions(profiler, top)
    info = {"load_s": load_s, "totals": totals, "agent": agent, "tmp": tmp,
            "selective_domain": bool(agent.processor.action_endpoint
                                     and agent.processor.action_endpoint.kwargs.get(
                                         "enable_selective_domain"))}
    return timer, calls, info, report


# --- what if: the proposed cuts, tried on the Rasa in this process -----------------------------
# Each cut is patched in once and switched on or off by CUTS, so the configurations can take
# turns conversation by conversation and all see the same (shared, noisy) machine.

# --deployed: Rasa in this process as bot/rasa_worker.py runs it, not as Rasa ships.
DEPLOYED = False

CUTS = {"schema": False, "pool": False, "payload": False, "sqlite": False, "ted": False}


def install_cuts(agent) -> bool:
    import jsonschema
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.utils.endpoints import EndpointConfig
    from sqlalchemy import event

    # 1. Check the action server's answer with one validator built once. Rasa 3.6 calls
    #    jsonschema.validate(), which checks the schema itself first, on every answer.
    spec = RemoteAction.action_response_format_spec()
    validator = jsonschema.validators.validator_for(spec)(spec)
    as_rasa = RemoteAction._validate_action_result

    def validate_action_result(self, result):
        if not CUTS["schema"]:
            return as_rasa(self, result)
        validator.validate(result)  # raises ValidationError as before
        return True

    RemoteAction._validate_action_result = validate_action_result

    # 2. One pooled HTTP session per endpoint; Rasa 3.6 opens a new session (and TCP
    #    connection) for every action call.
    new_session = EndpointConfig.session
    shared: dict = {}

    class KeepOpen:
        def __init__(self, session):
            self.session = session

        async def __aenter__(self):
            return self.session

        async def __aexit__(self, *exc):
            return False

    def session(self):
        if not CUTS["pool"]:
            return new_session(self)
        current = shared.get(self.url)
        if current is None or current.closed:
            current = shared[self.url] = new_session(self)
        return KeepOpen(current)

    EndpointConfig.session = session

    # 3. A button payload ("/inform{...}") names its intent and entities: no NLU pipeline.
    #    Rasa 3.6 runs spaCy and DIET on it, then RegexMessageHandler overwrites the result.
    with_graph = MessageProcessor._parse_message_with_graph

    def parse(self, message, tracker, only_output_properties=True):
        text = message.text or ""
        if CUTS["payload"] and text.startswith("/"):
            unpacked = YAMLStoryReader.unpack_regex_message(
                Message(data={TEXT: text}), self.domain,
                entity_extractor_name="RegexMessageHandler")
            intent = unpacked.get(INTENT)
            if intent and intent.get("name"):
                return {TEXT: text, INTENT: intent, ENTITIES: unpacked.get(ENTITIES) or [],
                        "intent_ranking": [intent]}
        return with_graph(self, message, tracker, only_output_properties)

    MessageProcessor._parse_message_with_graph = parse

    # 4. SQLite tracker store in WAL mode with synchronous=NORMAL on pooled connections (as
    #    Klik's own database engine does). Rasa 3.6 opens a new SQLite connection per session
    #    (SQLAlchemy 1.4's NullPool) with the defaults: rollback journal, synchronous=FULL.
    store = agent.tracker_store
    for _ in range(4):
        if hasattr(store, "engine"):
            break
        store = getattr(store, "_tracker_store", None)
    engine = getattr(store, "engine", None)
    is_sqlite = engine is not None and engine.dialect.name == "sqlite"
    if is_sqlite:
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker
        from sqlalchemy.pool import QueuePool

        # A database file of its own: WAL mode stays with a file, and "as is" must not get it.
        lean_url = engine.url.set(database=str(Path(engine.url.database).with_name("lean.db")))
        lean = create_engine(lean_url, poolclass=QueuePool, pool_size=2,
                             connect_args={"check_same_thread": False})

        @event.listens_for(lean, "connect")
        def pragmas(conn, _record):
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        store.Base.metadata.create_all(lean)
        makers = {False: store.sessionmaker, True: sessionmaker(bind=lean)}
        as_store = type(store).session_scope

        @contextlib.contextmanager
        def session_scope(self):
            if self is not store:
                with as_store(self) as session:
                    yield session
                return
            session = makers[CUTS["sqlite"]]()
            try:
                yield session
            finally:
                session.close()

        type(store).session_scope = session_scope

    # 5. TEDPolicy predicts nothing: what a configuration without it does (short of retraining).
    for node in agent.processor.graph_runner._instantiated_nodes.values():
        if node._component_class.__name__ == "TEDPolicy":
            ted_fn = node._fn

            def maybe_ted(component, _fn=ted_fn, **kw):
                if CUTS["ted"]:
                    return component._prediction(component._default_predictions(kw["domain"]))
                return _fn(component, **kw)

            node._fn = maybe_ted
    return is_sqlite


MASK = [(re.compile(r"\b[A-Z0-9]{4,5}(?:-[A-Z0-9]{4,5})+\b"), "CODE"),
        (re.compile(r"/verwijzing/[A-Za-z0-9]+"), "/verwijzing/X")]


async def run_scripts(agent, scripts: list[str]) -> tuple[list[str], list[float]]:
    """The load scripts once each, clicking buttons as benchmarks/load.py does: every answer
    (codes masked) and the wall time of every turn in ms."""
    from load import SCRIPTS, next_message
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    lines, walls = [], []
    for name in scripts:
        sender, last = str(uuid.uuid4()), []
        for step in SCRIPTS[name]:
            text, _ = next_message(step, last)
            channel = CollectingOutputChannel()
            t0 = time.perf_counter()
            await agent.handle_message(UserMessage(text, channel, sender))
            walls.append((time.perf_counter() - t0) * 1000)
            last = [{k: v for k, v in m.items() if k != "recipient_id"} for m in channel.messages]
            answer = " / ".join((m.get("text") or "") for m in last)
            for pattern, repl in MASK:
                answer = pattern.sub(repl, answer)
            lines.append(f"{name}: {text} -> {answer}")
    return lines, walls


async def what_if(agent, repeat: int, scripts: list[str]):
    """The load scripts under each configuration, each cut on top of the ones before. The
    configurations take turns, one round of the scripts each, `repeat` times. CPU time is this
    process's: Rasa's own work (the action server is the stack's, another process)."""
    is_sqlite = install_cuts(agent)
    stages = [
        ("as is", []),
        ("+ schema check with a validator built once", ["schema"]),
        ("+ pooled connection to the action server", ["pool"]),
        ("+ no NLU pipeline for button payloads", ["payload"]),
        ("+ SQLite tracker store: WAL, NORMAL, pooled"
         + ("" if is_sqlite else " (not SQLite: no change)"), ["sqlite"]),
        ("+ no TEDPolicy (emulated: needs a retrained model)", ["ted"]),
    ]
    walls: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, float] = defaultdict(float)
    answers: dict[str, list[str]] = {}
    for _ in range(repeat):
        for i, (label, _) in enumerate(stages):
            for name in CUTS:
                CUTS[name] = any(name in cuts for _, cuts in stages[: i + 1])
            c0 = time.process_time()
            lines, turn_walls = await run_scripts(agent, scripts)
            cpu[label] += time.process_time() - c0
            walls[label].extend(turn_walls)
            answers.setdefault(label, lines)
    for name in CUTS:
        CUTS[name] = False
    rows = [(label, statistics.mean(walls[label]), med(walls[label]),
             cpu[label] * 1000 / len(walls[label])) for label, _ in stages]
    with_ted, without_ted = answers[stages[-2][0]], answers[stages[-1][0]]
    changed = [(a, b) for a, b in zip(with_ted, without_ted) if a != b]
    return rows, len(with_ted), changed


def top_functions(profiler: cProfile.Profile, top: int) -> str:
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    start = text.find("   ncalls")
    return text[start:] if start >= 0 else text


# --- 3. the action server ---------------------------------------------------------------------

async def replay(action_url: str, calls: list, rounds: int) -> dict[str, dict[str, float]]:
    """Each captured action call over HTTP: a new session per call (Rasa 3.6's EndpointConfig
    does that) and one pooled session."""
    url = f"{action_url}/webhook"
    out: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    async with aiohttp.ClientSession() as pooled:
        for _ in range(rounds):
            for message, body in calls:
                name = body["next_action"]
                key = f"{message} | {name}"
                t0 = time.perf_counter()
                async with aiohttp.ClientSession() as fresh:
                    async with fresh.post(url, json=body) as resp:
                        await resp.read()
                out[key]["fresh"].append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                async with pooled.post(url, json=body) as resp:
                    await resp.read()
                out[key]["pooled"].append((time.perf_counter() - t0) * 1000)
    return {k: {kind: med(v) for kind, v in d.items()} for k, d in out.items()}


class InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs each job at once in the calling thread (for the profiler only)."""

    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the awaiting code, as a pool would
            future.set_exception(exc)
        return future


async def actions_in_process(calls: list, rounds: int, profile: bool, top: int):
    """The captured calls run by rasa_sdk's executor in this process: no HTTP, no Rasa."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    times: dict[str, list[float]] = defaultdict(list)
    parse: dict[str, list[float]] = defaultdict(list)
    answers: list[dict] = []
    for i in range(rounds):
        for message, body in calls:
            key = f"{message} | {body['next_action']}"
            raw = json.dumps(body)
            t0 = time.perf_counter()
            call = json.loads(raw)  # what the action server's webhook does first
            parse[key].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            answer = await executor.run(call)
            times[key].append((time.perf_counter() - t0) * 1000)
            if i == 0:
                answers.append(answer)
    report = ""
    if profile:
        # The actions run their database work in the loop's thread pool, out of the
        # profiler's sight: run it inline for this pass.
        asyncio.get_running_loop().set_default_executor(InlineExecutor())
        profiler = cProfile.Profile()
        for _ in range(rounds):
            for _message, body in calls:
                call = json.loads(json.dumps(body))
                profiler.enable()
                await executor.run(call)
                profiler.disable()
        report = top_functions(profiler, top)
    return ({k: med(v) for k, v in times.items()}, {k: med(v) for k, v in parse.items()},
            answers, report)


def answer_check_costs(answers: list[dict], rounds: int = 20) -> dict[str, float]:
    """Rasa 3.6 checks every action server answer with jsonschema.validate(), which checks the
    schema itself and builds a new validator each time. Median ms per answer: that, and one
    validator built once and reused."""
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = jsonschema.validators.validator_for(schema)
    reused = cls(schema)
    as_rasa, once = [], []
    for _ in range(rounds):
        for answer in answers:
            t0 = time.perf_counter()
            jsonschema.validate(answer, schema)
            as_rasa.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            reused.validate(answer)
            once.append((time.perf_counter() - t0) * 1000)
    events = med(len(a.get("events") or []) for a in answers)
    return {"as Rasa 3.6 does": med(as_rasa), "validator reused": med(once), "events": events}


# --- the report --------------------------------------------------------------------------------

def short(message: str, width: int = 34) -> str:
    return message if len(message) <= width else message[: width - 1] + "…"


def print_black_box(bb: dict, local: dict) -> None:
    print("\n1. Over HTTP (median ms per message)")
    print(f"{'message':<36}{'gateway':>9}{'Rasa REST':>11}{'gateway share':>15}")
    for m, d in bb.items():
        g, r = med(d["gateway"]), med(d["rasa"])
        print(f"{short(m):<36}{g:>9.1f}{r:>11.1f}{g - r:>15.1f}")
    print("gateway's own work per message: "
          + ", ".join(f"{k} {v:.0f} µs" for k, v in local.items()))


def print_in_process(timer: Timer, info: dict, messages: list[str]) -> None:
    print(f"\n2. Rasa in this process (model loaded in {info['load_s']:.0f} s; median ms per turn;"
          f" # = calls per turn)")
    labels = ["tracker load", "NLU", "extract slots", "policies", "action calls", "tracker save"]
    print(f"{'message':<36}{'total':>8}" + "".join(f"{name:>14}" for name in labels)
          + f"{'rest':>8}")
    for m in messages:
        total = med(info["totals"][m])
        parts = [timer.ms(m, name) for name in labels]
        # The parts follow each other (predict, run the action, predict again …): no nesting.
        # Medians of parts need not add up to the median total, so "rest" can be negative.
        rest = total - sum(parts)
        cells = ""
        for name, v in zip(labels, parts):
            n = timer.ms(m, name + " #")
            cells += (f"{v:>9.1f} ({n:.0f})" if name in ("policies", "action calls")
                      else f"{v:>14.1f}")
        print(f"{short(m):<36}{total:>8.1f}{cells}{rest:>8.1f}")
    # The components and policies, summed over the messages.
    per_node: dict[str, float] = defaultdict(float)
    per_action: dict[str, float] = defaultdict(float)
    for (m, label), values in timer.total.items():
        if label.endswith(" #"):
            continue
        if label.startswith("  node "):
            per_node[label[7:]] += med(values)
        elif label.startswith("  action "):
            per_action[label[9:]] += med(values)
        elif label.startswith("  rasa: "):
            per_action["(inside those) " + label[8:]] += med(values)
    print("\n   graph nodes, median ms summed over the conversation (NLU components, policies):")
    for name, v in sorted(per_node.items(), key=lambda kv: -kv[1])[:14]:
        print(f"   {name:<48}{v:>8.1f}")
    print("\n   action server calls as Rasa sees them, median ms summed over the conversation:")
    for name, v in sorted(per_action.items(), key=lambda kv: -kv[1]):
        print(f"   {name:<48}{v:>8.1f}")


def print_actions(calls: list, replayed: dict, inproc: dict, parse: dict, selective: bool) -> None:
    print("\n3. Action server (median ms per call)")
    print(f"{'message | action':<60}{'KB':>7}{'KB w/o domain':>15}{'HTTP new conn':>15}"
          f"{'HTTP pooled':>13}{'no HTTP':>9}")
    seen = set()
    for message, body in calls:
        key = f"{message} | {body['next_action']}"
        if key in seen:
            continue
        seen.add(key)
        size = len(json.dumps(body)) / 1024
        without = len(json.dumps({k: v for k, v in body.items() if k != "domain"})) / 1024
        r = replayed.get(key, {})
        print(f"{short(key, 58):<60}{size:>7.1f}{without:>15.1f}{r.get('fresh', 0):>15.1f}"
              f"{r.get('pooled', 0):>13.1f}{inproc.get(key, 0):>9.1f}")
    print(f"   (selective domain {'on' if selective else 'off'}: without it every call carries "
          "the whole domain; json.loads of one body: "
          f"{med(parse.values()):.2f} ms median)")


@contextlib.contextmanager
def stack_for(args):
    if args.start:
        from load import own_stack

        with own_stack(args.workers) as stack:
            yield (stack.url, f"http://127.0.0.1:{stack.rasa_port}",
                   f"http://127.0.0.1:{stack.action_port}", stack.database_url)
    else:
        yield args.url, args.rasa_url, args.action_url, args.database_url


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--start", action="store_true", help="start a stack of its own")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--url", help="a running gateway")
    p.add_argument("--rasa-url", help="that stack's first Rasa worker")
    p.add_argument("--action-url", help="that stack's action server")
    p.add_argument("--database-url", help="that stack's app database (the actions read it)")
    p.add_argument("--model", default=str(ROOT / "models" / "klik.tar.gz"))
    p.add_argument("--message", action="append", help="a message of the conversation (repeat)")
    p.add_argument("--repeat", type=int, default=10, help="conversations per measurement")
    p.add_argument("--cprofile", action="store_true", help="also print Python's profiles")
    p.add_argument("--top", type=int, default=25, help="functions per profile")
    p.add_argument("--skip-rasa", action="store_true", help="only part 1 (no model loaded here)")
    p.add_argument("--deployed", action="store_true",
                   help="run part 2 with bot/rasa_worker.py's patches, as a Klik worker runs")
    p.add_argument("--what-if", action="store_true",
                   help="also try the proposed cuts on the Rasa in this process (part 5)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of the load scripts per"
                                                          " configuration in part 5 (default 3)")
    p.add_argument("--scripts", help="load scripts whose answers part 5 compares without TED "
                                     "(default: all with --start, the non-writing ones with --url)")
    args = p.parse_args(argv)
    if not args.start and not all((args.url, args.rasa_url, args.action_url, args.database_url)):
        p.error("give --start, or all of --url, --rasa-url, --action-url and --database-url")
    args.messages = args.message or DEFAULT_MESSAGES
    from load import SCRIPTS, WRITING_SCRIPTS

    if args.scripts:
        args.scripts = [x.strip() for x in args.scripts.split(",") if x.strip()]
        if not args.scripts or set(args.scripts) - set(SCRIPTS):
            p.error(f"--scripts: choose from {', '.join(SCRIPTS)}")
    else:
        args.scripts = [x for x in SCRIPTS if args.start or x not in WRITING_SCRIPTS]
    return args


async def main_async(args) -> None:
    from load import machine

    print(f"machine: {machine()}")
    with stack_for(args) as (gateway, rasa, action, database_url):
        # The actions run in this process too (part 3): same app database as the stack.
        os.environ["KLIK_DATABASE_URL"] = database_url
        bb = await black_box(gateway, rasa, args.messages, args.repeat)
        print_black_box(bb, gateway_local_costs(args.messages))
        if args.skip_rasa:
            return
        timer, calls, info, rasa_profile = await in_process(
            Path(args.model), action, args.messages, args.repeat, args.cprofile, args.top)
        print_in_process(timer, info, args.messages)
        one_round = calls[: len(calls) // args.repeat] if calls else []
        replayed = await replay(action, one_round, args.repeat)
        inproc, parse, answers, action_profile = await actions_in_process(
            one_round, args.repeat, args.cprofile, args.top)
        print_actions(one_round, replayed, inproc, parse, info["selective_domain"])
        check = answer_check_costs(answers)
        print(f"\n4. Rasa's check of an action server answer (median ms per answer, "
              f"{check['events']:.0f} events): jsonschema.validate as Rasa 3.6 does "
              f"{check['as Rasa 3.6 does']:.2f}, "
              f"validator built once {check['validator reused']:.2f}")
        if args.what_if:
            rows, turns, changed = await what_if(info["agent"], args.rounds, args.scripts)
            print(f"\n5. What if: the load scripts ({', '.join(args.scripts)}; {turns} turns) on"
                  f" the Rasa in this process, {args.rounds} rounds; each cut on top of those"
                  " above")
            print(f"   {'':<52}{'mean ms':>9}{'p50 ms':>8}{'Rasa CPU ms':>13}   per message")
            base = rows[0][3]
            for label, mean, p50, cpu_ms in rows:
                print(f"   {label:<52}{mean:>9.1f}{p50:>8.1f}{cpu_ms:>13.1f}"
                      f"   ({cpu_ms / base * 100:.0f} % CPU)")
            print(f"   without TEDPolicy {len(changed)} of {turns} answers changed"
                  + (":" if changed else "."))
            for before, after in changed[:10]:
                print(f"     with TED:    {before[:150]}\n     without TED: {after[:150]}")
        if args.cprofile:
            print("\nPython profile of Rasa handling the turns (sorted by own time):")
            print(rasa_profile)
            print("\nPython profile of the actions without HTTP (sorted by own time):")
            print(action_profile)
        shutil.rmtree(info["tmp"], ignore_errors=True)


def main(argv=None) -> int:
    global DEPLOYED
    args = parse_args(argv)
    DEPLOYED = args.deployed
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
