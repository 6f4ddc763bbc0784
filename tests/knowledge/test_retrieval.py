"""Retrieval over the real knowledge base: right entry for questions nobody wrote down, an
honest None for questions it has no answer to, and the NLU training file for ask_knowledge."""
import re
import time

import pytest
import yaml

from bot import knowledge
from bot.config import PROJECT_ROOT
from bot.knowledge.retrieval import _key

from .phrasings import UNRELATED, UNSEEN

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
NLU_FILE = NLU_DIR / "knowledge.yml"


def _examples(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data, [
        (item.get("intent"), line[2:].strip())
        for item in data.get("nlu", [])
        if "examples" in item
        for line in item["examples"].splitlines()
        if line.strip()
    ]


@pytest.fixture(scope="module")
def retriever():
    return knowledge.retriever()


def test_test_questions_are_new_to_klik():
    assert len(UNSEEN) >= 60 and len(UNRELATED) >= 10
    written = {_key(q) for e in knowledge.entries() for q in e.questions}
    written |= {_key(text) for _, text in _examples(NLU_FILE)[1]}
    assert [q for q, _ in UNSEEN if _key(q) in written] == []
    ids = {e.id for e in knowledge.entries()}
    assert {entry_id for _, entry_id in UNSEEN} <= ids


@pytest.mark.parametrize("question,entry_id", UNSEEN)
def test_unseen_question_gets_the_right_entry(retriever, question, entry_id):
    hit = retriever.answer(question)
    assert hit is not None, question
    assert hit.entry.id == entry_id, (question, hit.entry.id, hit.score, hit.coverage)


def test_most_unseen_answers_are_confident(retriever):
    confident = sum(bool((h := retriever.answer(q)) and h.confident) for q, _ in UNSEEN)
    assert confident >= 0.75 * len(UNSEEN), confident


@pytest.mark.parametrize("question", UNRELATED)
def test_unrelated_question_gets_an_honest_none(retriever, question):
    assert retriever.answer(question) is None, (question, retriever.answer(question))


def test_nonsense_and_empty_get_none(retriever):
    for text in ("", "   ", "?!", "asdfgh qwerty", "hallo"):
        assert retriever.answer(text) is None, text


def test_every_written_question_finds_its_own_entry(retriever):
    wrong = [
        (entry.id, question, getattr(retriever.answer(question), "entry", None))
        for entry in knowledge.entries()
        for question in entry.questions
        if getattr(retriever.answer(question), "entry", None) is not entry
    ]
    assert wrong == []


def test_follow_up_buttons_land_confidently_on_an_entry(retriever):
    for entry in knowledge.entries():
        for button in entry.buttons:
            hit = retriever.answer(button.payload)
            assert hit is not None and hit.confident, (entry.id, button.payload)
            assert button.payload in hit.entry.questions


def test_naming_only_the_topic_asks_for_that_entry(retriever):
    topics = {}
    for entry in knowledge.entries():
        terms = frozenset(retriever.analyzer.terms(entry.topic))
        assert terms, entry.id
        assert terms not in topics, (entry.id, topics.get(terms))
        topics[terms] = entry.id
    for question, entry_id in [
        ("uitpas?", "uitpas_what"),
        ("wat betekent kansentarief", "kansentarief_what"),
        ("Artikel 27 ???", "artikel27_what"),
        ("PASPARTOE", "paspartoe"),
    ]:
        hit = retriever.answer(question)
        assert hit.entry.id == entry_id and hit.confident, question


def test_spelling_and_flemish_forms(retriever):
    for question, entry_id in [
        ("kansetarief", "kansentarief_what"),
        ("wa is een uit pas", "uitpas_what"),
        ("wat is artikle 27", "artikel27_what"),
        ("kheb gene centen", "barrier_money"),
        ("bibliotheek lidgelt", "library_fees"),
    ]:
        hit = retriever.answer(question)
        assert hit is not None and hit.entry.id == entry_id, (question, hit)


def test_region_breaks_a_tie_between_flanders_and_brussels(retriever):
    question = "korting voor mensen met een laag inkomen"
    flanders = retriever.search(question, region="vlaanderen")
    brussels = retriever.search(question, region="brussel")
    assert flanders[0].entry.applies_to == "vlaanderen"
    assert brussels[0].entry.id == "paspartoe"
    # Regional entries stay reachable from elsewhere: "wat is artikel 27" in Gent still works.
    assert retriever.answer("wat is artikel 27", region="vlaanderen").entry.id == "artikel27_what"


def test_search_gives_alternatives_best_first(retriever):
    hits = retriever.search("hoe werkt artikel 27 juist", limit=3)
    assert len(hits) >= 2
    assert {h.entry.id for h in hits} <= {"artikel27_what", "artikel27_how", "artikel27_risk"}
    assert [h.confident for h in hits[1:]] == [False] * (len(hits) - 1)


def test_index_is_built_once_and_queries_are_fast(retriever):
    assert knowledge.retriever() is retriever
    questions = [q for q, _ in UNSEEN]
    start = time.perf_counter()
    for question in questions:
        retriever.answer(question)
    per_question = (time.perf_counter() - start) / len(questions)
    assert per_question < 0.05, per_question


def test_region_of_a_municipality():
    assert knowledge.region_of("21004") == "brussel"  # Brussel
    assert knowledge.region_of("44021") == "vlaanderen"  # Gent
    assert knowledge.region_of(None) is None and knowledge.region_of("99999") is None
    with pytest.raises(ValueError):
        knowledge.search("uitpas", region="Wallonië")


def test_module_level_api(retriever):
    hit = knowledge.answer("wie heeft recht op kansentarief?", region="vlaanderen")
    assert hit.entry.id == "kansentarief_who" and hit.confident and 0 < hit.coverage <= 1
    assert knowledge.search("hoe bak ik een taart") == []


# -- the NLU training data for ask_knowledge ----------------------------------------------------


def test_nlu_file_has_one_intent_and_enough_varied_examples():
    data, examples = _examples(NLU_FILE)
    assert data["version"] == "3.1"
    assert {intent for intent, _ in examples} == {"ask_knowledge"}
    texts = [text for _, text in examples]
    assert len(texts) >= 80
    assert len({t.lower() for t in texts}) == len(texts), "duplicates"
    assert not any(re.search(r"\[[^\]]+\]\([^)]+\)|\[[^\]]+\]\{", t) for t in texts), "entities"
    assert sum(len(t.split()) <= 2 for t in texts) >= 5  # "uitpas?", "artikel 27"


def test_nlu_examples_do_not_repeat_other_intents():
    mine = {_key(text) for _, text in _examples(NLU_FILE)[1]}
    clashes = [
        (path.name, intent, text)
        for path in sorted(NLU_DIR.glob("*.yml"))
        if path != NLU_FILE
        for intent, text in _examples(path)[1]
        if _key(text) in mine
    ]
    assert clashes == []


def test_most_nlu_examples_are_answered(retriever):
    texts = [text for _, text in _examples(NLU_FILE)[1]]
    answered = sum(retriever.answer(t) is not None for t in texts)
    assert answered >= 0.95 * len(texts), answered
