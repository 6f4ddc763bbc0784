"""Training an NLU-only model and parsing messages with it, the way the Rasa server does."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from bot.evaluation import EvaluationError


@dataclass(frozen=True)
class Parse:
    """What the model said about one message: the final intent and the whole ranking."""

    text: str
    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]  # as Rasa returns it, nlu_fallback included
    entities: tuple[dict, ...]


def quiet_rasa() -> None:
    """Warnings only: no epoch progress bars and no debug line per parsed message."""
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    # Rasa turns warnings back on; the dependencies' deprecation notices drown the progress.
    warnings.filterwarnings("ignore", category=DeprecationWarning)


@contextlib.contextmanager
def _training_cache(enabled: bool) -> Iterator[None]:
    # Throw-away models (folds, tests) stay out of .rasa/cache: they would only crowd out the
    # entries of the real training, and tests must not share a cache database with it.
    if enabled:
        yield
        return
    before = os.environ.get("RASA_MAX_CACHE_SIZE")
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("RASA_MAX_CACHE_SIZE", None)
        else:
            os.environ["RASA_MAX_CACHE_SIZE"] = before


def train_nlu_model(
    config: str | Path, nlu: str | Path, out_dir: str | Path, name: str, *, cache: bool = True
) -> Path:
    """Train an NLU-only model on ``nlu`` alone; returns the archive (out_dir/name.tar.gz)."""
    from rasa.model_training import train_nlu

    with _training_cache(cache):
        path = train_nlu(str(config), str(nlu), str(out_dir), fixed_model_name=name)
    if not path:
        raise EvaluationError(f"training on {nlu} with {config} gave no model")
    return Path(path)


class Model:
    """A trained model loaded with Rasa's own Agent: parses exactly as the server would."""

    def __init__(self, path: str | Path):
        from rasa.core.agent import Agent

        self.path = Path(path)
        if not self.path.is_file():
            raise EvaluationError(f"no model at {self.path}: train it first (make eval)")
        self.agent = Agent.load(str(self.path))

    @property
    def metadata(self):
        return self.agent.processor.model_metadata

    def component_config(self, class_name: str) -> dict | None:
        """The configuration of the first component of that class in the model, or None."""
        for node in self.metadata.predict_schema.nodes.values():
            if node.uses.__name__ == class_name:
                return dict(node.config)
        return None

    def parse_all(
        self, texts: Iterable[str], progress: Callable[[int, int], None] | None = None
    ) -> list[Parse]:
        return asyncio.run(self._parse_all(list(texts), progress))

    async def _parse_all(self, texts, progress) -> list[Parse]:
        parses = []
        for number, text in enumerate(texts, 1):
            data = await self.agent.parse_message(text)
            parses.append(to_parse(text, data))
            if progress:
                progress(number, len(texts))
        return parses


def to_parse(text: str, data: dict) -> Parse:
    intent = data.get("intent") or {}
    return Parse(
        text=text,
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
        ranking=tuple(
            (r["name"], float(r.get("confidence") or 0.0)) for r in data.get("intent_ranking") or []
        ),
        entities=tuple(
            {k: e.get(k) for k in ("entity", "start", "end", "value", "extractor")}
            for e in data.get("entities") or []
        ),
    )


def file_hash(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


class Progress:
    """Prints "label: 40/155" lines now and then, so a long step shows it is alive."""

    def __init__(self, label: str, every_seconds: float = 10.0):
        self.label = label
        self.every = every_seconds
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self.last >= self.every:
            self.last = now
            print(f"{self.label}: {done}/{total}", flush=True)
