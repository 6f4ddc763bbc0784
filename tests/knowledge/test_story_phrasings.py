"""The knowledge stories (tests/stories/test_knowledge.yml) against the real retrieval.

`rasa test` checks that each story's text reaches action_answer_knowledge; these tests check
that the action then finds the entry the story is named after, that every entry is reached by at
least three stories, and that no story repeats (or barely changes) a phrasing Klik was given:
an entry's `questions`, an NLU example or a held-out retrieval phrasing.
"""
import re
from collections import Counter

import pytest
import yaml

from bot import knowledge, safety
from bot.config import PROJECT_ROOT
from bot.knowledge.retrieval import _key

from .phrasings import UNSEEN

STORIES_FILE = PROJECT_ROOT / "tests" / "stories" / "test_knowledge.yml"
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
MIN_STORIES = 3
# "[gent](municipality)" and "[gent]{...}" in NLU examples: the text is "gent".
_ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _stories() -> list[tuple[str, str, str]]:
    """(story name, entry id, user text) for every story."""
    data = yaml.safe_load(STORIES_FILE.read_text(encoding="utf-8"))
    stories = []
    for story in data["stories"]:
        users = [step["user"] for step in story["steps"] if "user" in step]
        assert len(users) == 1, story["story"]
        stories.append((story["story"], story["story"].split()[0], users[0].strip()))
    return stories


STORIES = _stories()


def _nlu_examples() -> list[tuple[str, str]]:
    """(file name, example text) for every example in data/nlu."""
    examples = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            for line in (item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    examples.append((path.name, _ENTITY.sub(r"\1", line.strip()[2:])))
    return examples


def _word_edits(a: str, b: str) -> int:
    """Word-level edit distance between two folded texts."""
    a_words, b_words = a.split(), b.split()
    previous = list(range(len(b_words) + 1))
    for i, word_a in enumerate(a_words, 1):
        current = [i]
        for j, word_b in enumerate(b_words, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word_a != word_b))
            )
        previous = current
    return previous[-1]


def test_stories_are_one_knowledge_turn_with_unique_names():
    data = yaml.safe_load(STORIES_FILE.read_text(encoding="utf-8"))
    names = [story["story"] for story in data["stories"]]
    assert [name for name, count in Counter(names).items() if count > 1] == []
    for story in data["stories"]:
        steps = story["steps"]
        assert steps == [
            {"user": steps[0]["user"], "intent": "ask_knowledge"},
            {"action": "action_answer_knowledge"},
        ], story["story"]
        assert re.fullmatch(r"[a-z0-9_]+ \d+", story["story"]), story["story"]


def test_every_entry_has_at_least_three_stories():
    ids = {entry.id for entry in knowledge.entries()}
    counts = Counter(entry_id for _, entry_id, _ in STORIES)
    assert sorted(set(counts) - ids) == []  # every story names a real entry
    assert {i: counts[i] for i in sorted(ids) if counts[i] < MIN_STORIES} == {}


def test_stories_of_one_entry_are_worded_differently():
    seen: dict[str, list[str]] = {}
    for name, entry_id, text in STORIES:
        for other in seen.setdefault(entry_id, []):
            assert _word_edits(_key(text), other) > 1, (name, text, other)
        seen[entry_id].append(_key(text))


def test_no_story_repeats_what_klik_was_given():
    """Not equal (case, punctuation and Flemish forms aside) to any given phrasing."""
    given = {_key(q): f"questions of {e.id}" for e in knowledge.entries() for q in e.questions}
    given.update({_key(text): f"data/nlu/{name}" for name, text in _nlu_examples()})
    given.update({_key(q): "tests/knowledge/phrasings.py" for q, _ in UNSEEN})
    repeated = [(name, text, given[_key(text)]) for name, _, text in STORIES if _key(text) in given]
    assert repeated == []


def test_no_story_is_a_one_word_change_of_a_given_phrasing():
    """"Differently worded" means more than one word apart from its entry's own questions, from
    its held-out phrasings and from any NLU example (which would also blur the intents)."""
    nlu = [(f"data/nlu/{name}", _key(text)) for name, text in _nlu_examples()]
    close = []
    for name, entry_id, text in STORIES:
        entry = knowledge.get(entry_id)
        own = [(f"questions of {entry_id}", _key(q)) for q in (entry.questions if entry else ())]
        own += [("phrasings.py", _key(q)) for q, e in UNSEEN if e == entry_id]
        for source, other in own + nlu:
            if _word_edits(_key(text), other) <= 1:
                close.append((name, text, source, other))
    assert close == []


def test_no_story_trips_the_distress_safety_net():
    # The safety net runs first: a story it catches would get help lines, not the answer.
    assert [(name, text) for name, _, text in STORIES if safety.check(text)] == []


@pytest.mark.parametrize(
    "name,entry_id,text", STORIES, ids=[name.replace(" ", "-") for name, _, _ in STORIES]
)
def test_story_text_gets_its_entry_confidently(name, entry_id, text):
    hit = knowledge.answer(text)
    assert hit is not None, (name, text)
    assert hit.entry.id == entry_id, (name, text, hit.entry.id, hit.score, hit.coverage)
    assert hit.confident, (name, text, hit.score, hit.coverage)
