"""The issue's example questions, asked as a new resident would, through the real stack."""
import uuid

import pytest

pytestmark = pytest.mark.stack


def offerings_in(messages):
    return [o for m in messages if (m.get("custom") or {}).get("type") == "offerings"
            for o in m["custom"]["offerings"]]


def all_text(messages):
    return " ".join(m.get("text") or "" for m in messages)


# (first message, answers the person gives to Klik's questions, what every result must fit)
EXAMPLES = [
    ("wat kan ik doen in Gent?", ["maakt niet uit", "voor mezelf"], {"municipality": "Gent"}),
    ("iets sportiefs voor mijn zoon van 10 in Antwerpen", [], {"municipality": "Antwerpen", "category": "sport"}),
    ("zijn er gratis musea in Brussel", ["voor het hele gezin"], {"category": "museum", "price": "gratis"}),
    ("activiteiten met kinderopvang in Mechelen", ["maakt niet uit", "voor mezelf"],
     {"municipality": "Mechelen", "reason": "kinderopvang"}),
]


@pytest.mark.parametrize("first, answers, fits", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_question_ends_with_fitting_offerings_within_three_answers(stack, first, answers, fits):
    sender = str(uuid.uuid4())
    replies = [stack.chat(sender, first)]
    for answer in answers:
        if offerings_in(replies[-1]):
            break
        replies.append(stack.chat(sender, answer))
    assert len(replies) <= 3
    found = offerings_in(replies[-1])
    assert found, f"no offerings after {len(replies)} answers: {all_text(replies[-1])}"
    for o in found:
        if "municipality" in fits:
            assert o["municipality"] == fits["municipality"], o
        if "category" in fits:
            assert o["category"] == fits["category"], o
        if "price" in fits:
            assert o["price"] == fits["price"], o
        if "reason" in fits:
            assert fits["reason"] in " ".join(o["reasons"]), o
    assert "voorbeeldgegevens" in all_text(replies[-1])


def test_yes_to_the_search_a_knowledge_answer_offers_starts_it(stack):
    sender = str(uuid.uuid4())
    answer = stack.chat(sender, "ik heb te weinig geld om iets te doen")
    assert "gratis activiteiten voor je zoeken" in all_text(answer)
    buttons = [b["payload"] for m in answer for b in m.get("buttons") or []]
    assert '/search_activity{"barrier": ["gratis"]}' in buttons
    assert "In welke gemeente" in all_text(stack.chat(sender, "ja graag"))
    assert "Wat doe je graag" in all_text(stack.chat(sender, "Gent"))
    assert "Voor wie" in all_text(stack.chat(sender, "maakt niet uit"))
    replies = stack.chat(sender, "voor mezelf")
    found = offerings_in(replies)
    assert found and all(o["price"] == "gratis" for o in found), all_text(replies)


def test_place_with_a_typo_is_understood(stack):
    sender = str(uuid.uuid4())
    first = stack.chat(sender, "ik zoek iets om te zwemmen")
    assert "gemeente" in all_text(first)
    second = stack.chat(sender, "antwerpn")
    assert "Voor wie" in all_text(second)


def test_more_info_and_show_more(stack):
    sender = str(uuid.uuid4())
    stack.chat(sender, "wat kan ik doen in Gent?")
    stack.chat(sender, "maakt niet uit")
    results = stack.chat(sender, "voor mezelf")
    first = offerings_in(results)[0]
    details = stack.chat(sender, first["more_payload"])
    assert first["name"] in all_text(details) and "Waar:" in all_text(details)
    more = stack.chat(sender, "/show_more")
    assert offerings_in(more) and offerings_in(more)[0]["id"] != first["id"]


def test_knowledge_answer_names_its_source(stack):
    messages = stack.chat(str(uuid.uuid4()), "wat is artikel 27 eigenlijk")
    assert "Bron:" in all_text(messages)
    assert "1,25" in all_text(messages)


def test_distress_in_the_middle_of_a_search_gets_help_lines_at_once(stack):
    sender = str(uuid.uuid4())
    stack.chat(sender, "ik zoek iets om te zwemmen")
    help_messages = stack.chat(sender, "ik zie het nie meer zitten, ik wil dood")
    assert "1813" in all_text(help_messages)
    after = stack.chat(sender, "hallo")
    assert "Ik ben Klik" in all_text(after)  # the search form is closed
