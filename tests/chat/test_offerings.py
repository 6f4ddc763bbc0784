"""Which shown offering a typed question ("wat kost de tweede") is about (bot.chat.offerings)."""
import pytest

from bot.chat.offerings import offering_asked_about

ON_SCREEN = [
    {"id": "11", "name": "Vrij zwemmen"},
    {"id": "12", "name": "Zwemles voor kinderen"},
    {"id": "13", "name": "Yoga in het buurthuis"},
]


@pytest.mark.parametrize("text, expected", [
    ("wat kost de eerste", "11"),
    ("meer info over de tweede aub", "12"),
    ("vertel me meer over nummer 3", "13"),
    ("de 2de, is die gratis", "12"),
    ("info over de laatste", "13"),
    ("INFO OVER DIE ZWEMLES", "12"),
    ("hoe laat begint de yoga", "13"),
    ("waar is die zwemles voor kinderen", "12"),
])
def test_a_place_in_the_list_or_a_word_of_the_name_points_at_one(text, expected):
    assert offering_asked_about(text, ON_SCREEN) == expected


@pytest.mark.parametrize("text", [
    "hoeveel kost dat",          # says nothing about which
    "wat kost de vijfde",        # only three on screen
    "is er iets met kinderen",   # who it is for says nothing about which
    "en nummer 9",
])
def test_an_unclear_question_points_at_none(text):
    assert offering_asked_about(text, ON_SCREEN) is None


def test_with_one_offering_on_screen_any_question_is_about_it():
    assert offering_asked_about("is da gratis", ON_SCREEN[:1]) == "11"


def test_with_nothing_on_screen_there_is_nothing_to_point_at():
    assert offering_asked_about("wat kost de eerste", []) is None
