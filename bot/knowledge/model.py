"""The curated knowledge base (data/knowledge/*.yml): entries, loading and validation.

Every entry is written by people from ../shared/FACTS.md and names its source, so the bot never
answers a factual question without saying where the answer comes from. A bad entry stops the
load with an error that names the file and the entry, so a content mistake shows up at start.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.catalogue import taxonomy
from bot.config import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
SYNONYMS_FILE = "synonyms.yml"

REGIONS = ("vlaanderen", "brussel", "overal")
THEMES = ("barriers", "schemes", "publication", "klik")

# The two cost filters, besides the catalogue's access features (bot/catalogue/taxonomy.py).
COST_FILTERS = ("gratis", "kansentarief")
# What a barrier entry may name as the catalogue features that remove its barrier, so an action
# can add offerings that have them: the code ("begeleiding") or its Dutch label ("begeleiding of
# samen gaan mogelijk"), always kept as the code, which is what the catalogue search reads.
CATALOGUE_FEATURES = {
    **{f: f for f in COST_FILTERS},
    **{c.code: c.code for c in taxonomy.FEATURES.values()},
    **{c.label: c.code for c in taxonomy.FEATURES.values()},
}

MAX_ANSWER_WORDS = 80
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_URL_RE = re.compile(r"^(https?://\S+|docs/\S+\.md)$")


class KnowledgeError(ValueError):
    """A knowledge file or entry is not valid; the message names the file and the entry."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str  # a web address, or docs/<file>.md for what Klik says about itself


@dataclass(frozen=True)
class Button:
    title: str
    payload: str  # a question of another entry (answered by retrieval) or a Rasa "/intent"


@dataclass(frozen=True)
class SearchOffer:
    """A search the answer offers ("Ik kan ook gratis activiteiten voor je zoeken"): a button,
    and what a "ja" starts. It searches the entry's catalogue features: "gratis" as the free
    filter, access features as required ones ("kansentarief" only ranks, as it does anyway)."""

    title: str  # the button: "Zoek gratis activiteiten"
    features: tuple[str, ...]  # codes of the entry's catalogue_features
    audience: str | None = None  # taxonomy.AUDIENCES code, when the answer names one
    category: str | None = None  # taxonomy.CATEGORIES code, when the answer names one

    def entities(self) -> dict:
        """The search as payload entities (``/search_activity{...}``) of the domain."""
        barriers = [f for f in self.features if f != "kansentarief"]
        found = {"barrier": barriers} if barriers else {}
        if self.audience:
            found["audience"] = self.audience
        if self.category:
            found["category"] = self.category
        return found


@dataclass(frozen=True)
class Entry:
    id: str
    theme: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    source: Source
    last_checked: dt.date
    applies_to: str = "overal"
    buttons: tuple[Button, ...] = ()
    catalogue_features: tuple[str, ...] = ()  # codes: taxonomy.FEATURES and COST_FILTERS
    search: SearchOffer | None = None

    def applies_in(self, region: str | None) -> bool:
        return region is None or self.applies_to in ("overal", region)


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    synonyms: dict[str, tuple[str, ...]]  # canonical word -> words that mean the same here
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)


def _fail(path: Path, entry_id: str | None, message: str) -> KnowledgeError:
    where = f"{path.name}" + (f", entry {entry_id!r}" if entry_id else "")
    return KnowledgeError(f"{where}: {message}")


def _text(raw: dict, key: str, path: Path, entry_id: str | None) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, entry_id, f"'{key}' must be a non-empty text")
    return " ".join(value.split()) if key != "answer" else _clean_answer(value)


def _clean_answer(value: str) -> str:
    # Keep line breaks (lists), drop the indentation and trailing spaces YAML leaves behind.
    lines = [" ".join(line.split()) for line in value.strip().splitlines()]
    return "\n".join(line for line in lines if line)


def _entry(raw: object, theme: str, path: Path) -> Entry:
    if not isinstance(raw, dict):
        raise _fail(path, None, f"every entry must be a mapping, got {type(raw).__name__}")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        raise _fail(path, str(entry_id), "'id' must be lower-case letters, digits and _")
    known = {
        "id", "topic", "questions", "answer", "buttons", "source", "last_checked",
        "applies_to", "catalogue_features", "search",
    }
    unknown = set(raw) - known
    if unknown:
        raise _fail(path, entry_id, f"unknown field(s): {', '.join(sorted(unknown))}")

    questions = raw.get("questions")
    if not isinstance(questions, list) or len(questions) < 3:
        raise _fail(path, entry_id, "'questions' must list at least 3 phrasings")
    if not all(isinstance(q, str) and q.strip() for q in questions):
        raise _fail(path, entry_id, "every question must be a non-empty text")

    answer = _text(raw, "answer", path, entry_id)
    words = len(answer.split())
    if words > MAX_ANSWER_WORDS:
        raise _fail(path, entry_id, f"answer has {words} words, at most {MAX_ANSWER_WORDS}")

    source = raw.get("source")
    if not isinstance(source, dict):
        raise _fail(path, entry_id, "'source' must have a title and a url")
    title = _text(source, "title", path, entry_id)
    url = _text(source, "url", path, entry_id)
    if not _URL_RE.match(url):
        raise _fail(path, entry_id, f"source url {url!r} is not http(s):// or docs/….md")

    checked = raw.get("last_checked")
    if isinstance(checked, str):
        try:
            checked = dt.date.fromisoformat(checked)
        except ValueError:
            checked = None
    if not isinstance(checked, dt.date):
        raise _fail(path, entry_id, "'last_checked' must be a date (YYYY-MM-DD)")

    applies_to = raw.get("applies_to", "overal")
    if applies_to not in REGIONS:
        raise _fail(path, entry_id, f"'applies_to' must be one of {', '.join(REGIONS)}")

    features = raw.get("catalogue_features") or []
    bad = [f for f in features if f not in CATALOGUE_FEATURES]
    if not isinstance(features, list) or bad:
        raise _fail(path, entry_id, f"unknown catalogue feature(s): {bad or features!r}")
    features = list(dict.fromkeys(CATALOGUE_FEATURES[f] for f in features))

    search = _search_offer(raw.get("search"), features, path, entry_id)

    buttons = []
    for button in raw.get("buttons") or []:
        if not isinstance(button, dict):
            raise _fail(path, entry_id, "every button needs a title and a payload")
        buttons.append(
            Button(_text(button, "title", path, entry_id), _text(button, "payload", path, entry_id))
        )

    return Entry(
        id=entry_id,
        theme=theme,
        topic=_text(raw, "topic", path, entry_id),
        questions=tuple(" ".join(q.split()) for q in questions),
        answer=answer,
        source=Source(title, url),
        last_checked=checked,
        applies_to=applies_to,
        buttons=tuple(buttons),
        catalogue_features=tuple(features),
        search=search,
    )


MAX_BUTTON_TITLE = 30  # characters: longer titles wrap on a phone


def _search_offer(raw: object, features: list[str], path: Path, entry_id: str) -> SearchOffer | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"title", "audience", "category"}:
        raise _fail(path, entry_id, "'search' must have a title, may have audience and category")
    title = _text(raw, "title", path, entry_id)
    if len(title) > MAX_BUTTON_TITLE:
        raise _fail(path, entry_id, f"search title is over {MAX_BUTTON_TITLE} characters")
    audience = raw.get("audience")
    if audience is not None and audience not in taxonomy.AUDIENCES:
        raise _fail(path, entry_id, f"search audience {audience!r} is no audience code")
    category = raw.get("category")
    if category is not None and category not in taxonomy.CATEGORIES:
        raise _fail(path, entry_id, f"search category {category!r} is no category code")
    offer = SearchOffer(title, tuple(features), audience, category)
    if not offer.entities().get("barrier"):
        raise _fail(path, entry_id, "'search' needs catalogue_features to search on")
    return offer


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(path, None, f"not valid YAML: {exc}") from exc


def _load_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    if not path.exists():
        return {}
    raw = _read_yaml(path)
    groups = (raw or {}).get("synonyms") if isinstance(raw, dict) else None
    if not isinstance(groups, dict):
        raise _fail(path, None, "expected a mapping 'synonyms: {word: [words]}'")
    result = {}
    for canonical, words in groups.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise _fail(path, None, f"synonyms of {canonical!r} must be a list of words")
        result[str(canonical).lower()] = tuple(w.lower() for w in words)
    return result


def load(directory: Path | str = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Read and validate every theme file in ``directory`` (one file per theme)."""
    directory = Path(directory)
    entries: list[Entry] = []
    for theme in THEMES:
        path = directory / f"{theme}.yml"
        if not path.exists():
            raise KnowledgeError(f"{path.name}: missing (expected one file per theme)")
        raw = _read_yaml(path)
        if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
            raise _fail(path, None, "expected a top-level 'entries:' list")
        entries.extend(_entry(item, theme, path) for item in raw["entries"])

    seen: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen:
            raise KnowledgeError(
                f"{entry.theme}.yml, entry {entry.id!r}: id also used in {seen[entry.id]}.yml"
            )
        seen[entry.id] = entry.theme

    kb = KnowledgeBase(tuple(entries), _load_synonyms(directory / SYNONYMS_FILE))
    _check_buttons(kb)
    return kb


def _check_buttons(kb: KnowledgeBase) -> None:
    """A text payload must be a question of an entry, so a follow-up button always lands."""
    questions = {" ".join(q.lower().split()) for e in kb.entries for q in e.questions}
    for entry in kb.entries:
        for button in entry.buttons:
            if button.payload.startswith("/"):
                continue
            if " ".join(button.payload.lower().split()) not in questions:
                raise KnowledgeError(
                    f"{entry.theme}.yml, entry {entry.id!r}: button payload "
                    f"{button.payload!r} is not a question of any entry"
                )


@lru_cache(maxsize=1)
def default() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    return load(KNOWLEDGE_DIR)
