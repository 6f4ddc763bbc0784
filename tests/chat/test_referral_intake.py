"""The referral intake's reading of what a worker types or taps."""
import pytest

from bot.chat import referral as intake
from bot.referral.profile import ClientProfile


@pytest.mark.parametrize("text, group", [
    ("een gezin met kinderen van 4 en 9", "gezin"),
    ("voor een kind", "kind"),
    ("een jongere", "jongere"),
    ("een oudere dame", "senior"),
    ("ik ben maatschappelijk werker", None),
])
def test_group_in(text, group):
    assert intake.group_in(text) == group


def test_family_with_ages_in_one_answer():
    update = intake.intake_update("gezin met kinderen van 4 en 9", [], "client_group", {})
    assert update.slots == {"client_group": "gezin", "client_ages": [4, 9]}


@pytest.mark.parametrize("text, expected", [
    ("geld en vervoer", ["geld", "vervoer"]),
    ("ze durft niet alleen, en spreekt weinig Nederlands", ["alleen", "taal"]),
    ("rolstoel", ["toegankelijkheid"]),
    ("blrp", []),
])
def test_barriers_in(text, expected):
    assert intake.barriers_in(text) == expected


def test_municipality_any_is_not_a_place_for_a_referral():
    update = intake.intake_update("maakt niet uit", [], "municipality", {})
    assert "municipality" not in update.slots


MATCHES = [{"id": 11, "name": "Zwembad Rooigem"}, {"id": 12, "name": "Sportclub De Pijl"},
           {"id": 13, "name": "Bib Krook"}]


@pytest.mark.parametrize("text, entities, expected", [
    ("de eerste", [], [11]),
    ("de tweede en de derde", [], [12, 13]),
    ("nummer 3", [], [13]),
    ("neem de laatste", [], [13]),
    ("kies het zwembad", [], [11]),
    ("/choose_offering", [{"entity": "offering_id", "value": "12"}], [12]),
    ("/choose_offering", [{"entity": "offering_id", "value": "99"}], []),  # not shown: refused
    ("de negende", [], []),
])
def test_picked(text, entities, expected):
    assert intake.picked(text, entities, MATCHES) == expected


def test_profile_from_slots_keeps_only_codes_and_skips_unknowns():
    profile = intake.profile_from_slots({
        "municipality": "44021", "client_group": "gezin", "client_ages": [4.0, 9.0],
        "category": "any", "referral_barriers": ["geld"], "discount_status": "onbekend",
        "client_language": "onbekend"})
    assert profile == ClientProfile(municipality="44021", group="gezin", ages=(4, 9),
                                    barriers=("geld",))
    assert intake.profile_summary(profile) == \
        "Vrije tijd voor een gezin met kinderen (0-5, 6-11 jaar) in Gent. Drempels: geld."


def test_status_buttons_follow_the_region():
    brussels = [c.payload for c in intake.status_choices("21004")]
    flanders = [c.payload for c in intake.status_choices("44021")]
    assert any("heeft_artikel27" in p for p in brussels)
    assert not any("kansentarief" in p for p in brussels)
    assert any("heeft_kansentarief" in p for p in flanders)


def test_needs_from_residents_and_workers_use_the_same_barrier_codes():
    from bot.chat.needs import need_origin

    resident = need_origin({"features": ["weinig_nederlands", "begeleiding", "ringleiding"],
                            "free": True, "audience": "any"})
    assert resident == {"source": "inwoner", "audience": None,
                        "barriers": ["geld", "taal", "alleen", "toegankelijkheid"]}
    worker = need_origin({"referral_mode": True, "referral_barriers": ["vervoer"],
                          "client_group": "senior", "features": ["kinderopvang"]})
    assert worker == {"source": "hulpverlener", "barriers": ["vervoer"], "audience": "senioren"}


def test_a_no_with_a_place_corrects_the_place_and_nothing_else():
    genk = [{"entity": "municipality", "value": "71016", "start": 14, "end": 18}]
    current = {"municipality": "44021", "client_group": "gezin"}
    update = intake.read_message("nee ik bedoel Genk", genk, "deny", "client_ages", current)
    assert update.slots == {"municipality": "71016"}


def test_a_plain_answer_is_read_as_an_answer():
    update = intake.read_message("gezin met kinderen van 4 en 9", [], "inform", "client_group", {})
    assert update.slots == {"client_group": "gezin", "client_ages": [4, 9]}
    # "nee" without a place is no correction: the rules stop the intake on it.
    assert intake.read_message("nee", [], "deny", "client_group", {}).slots == {}
