"""The intake profile: codes only, loose input normalised, nothing identifying kept."""
from __future__ import annotations

import pytest

from bot.referral import BARRIERS, ClientProfile, ProfileError, parse_ages
from tests.referral.conftest import GENT, SCHAARBEEK


def test_the_eight_barriers_of_the_issue():
    assert list(BARRIERS) == ["geld", "vervoer", "kinderopvang", "taal", "alleen", "digitaal",
                              "toegankelijkheid", "tijd"]


def test_build_reads_names_labels_and_everyday_words():
    p = ClientProfile.build(municipality="Gent", group="Gezin", ages="4 en negen",
                            interests="zwemmen, voetbal", barriers="te duur, geen auto en opvang",
                            statuses=["verhoogde tegemoetkoming", "budgetbeheer"],
                            language="Arabisch", organisation="CAW")
    assert p.municipality == GENT and p.group == "gezin" and p.ages == (4, 9)
    assert p.interests == ("zwemmen", "sport")
    assert p.barriers == ("geld", "vervoer", "kinderopvang")
    assert p.statuses == ("verhoogde_tegemoetkoming", "schuldbemiddeling")
    assert (p.language, p.organisation) == ("ar", "caw")


def test_build_takes_a_postal_code_and_plain_codes():
    p = ClientProfile.build(municipality="1030", group="senior", barriers=["tijd"], strict=False)
    assert p.municipality == SCHAARBEEK and p.in_brussels


def test_strict_build_accepts_codes_only():
    assert ClientProfile.build(municipality=GENT, group="kind", barriers=["geld"], strict=True)
    with pytest.raises(ProfileError):
        ClientProfile.build(municipality=GENT, group="kind", barriers=["te duur"], strict=True)


@pytest.mark.parametrize("field, value", [
    ("barriers", ["Jan Peeters, 0470 12 34 56"]),
    ("statuses", ["woont bij zijn zus"]),
    ("interests", ["qwxz"]),
])
def test_free_text_is_refused_without_being_echoed(field, value):
    with pytest.raises(ProfileError) as caught:
        ClientProfile.build(municipality=GENT, group="volwassene", **{field: value})
    assert caught.value.field == field
    assert "0470" not in str(caught.value) and "Jan" not in str(caught.value)


@pytest.mark.parametrize("kwargs", [
    dict(municipality="99999", group="kind"),
    dict(municipality=GENT, group="buurman"),
    dict(municipality=GENT, group="kind", ages=(200,)),
    dict(municipality=GENT, group="kind", language="klingon"),
    dict(municipality=GENT, group="kind", barriers="geld"),  # a string, not a tuple of codes
])
def test_the_constructor_checks_every_code(kwargs):
    with pytest.raises(ProfileError):
        ClientProfile(**kwargs)


def test_the_record_keeps_age_bands_not_ages_and_no_statuses(family_gent):
    record = family_gent.record()
    assert record["age_bands"] == ["0-5", "6-11"]
    assert "ages" not in record and "statuses" not in record
    assert set(record) == {"municipality", "group", "age_bands", "interests", "barriers",
                           "language", "organisation"}


def test_parse_ages():
    assert parse_ages("mijn zoon van 7 en een dochter van 10") == (7, 10)
    assert parse_ages(["3", 12, "zes"]) == (3, 12, 6)
    assert parse_ages(None) == ()


def test_another_language_counts_as_the_language_barrier():
    assert ClientProfile(municipality=GENT, group="volwassene", language="tr").needs_little_dutch
    assert not ClientProfile(municipality=GENT, group="volwassene", language="nl").needs_little_dutch
