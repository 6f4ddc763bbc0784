"""Reference codes: alphabet, spelling variants, finding them in a message, surviving redaction."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import privacy
from bot.needs import codes


def test_alphabet_has_no_look_alikes():
    for char in "01OILBSZU":
        assert char not in codes.ALPHABET
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET)


def test_new_codes_are_well_formed_and_do_not_repeat():
    drawn = [codes.new_code() for _ in range(5000)]
    assert len(set(drawn)) == len(drawn)
    for code in drawn:
        assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
        assert codes.normalise(code) == code
    # Random, not counting: consecutive codes share no long common prefix.
    shared = sum(a[:3] == b[:3] for a, b in zip(drawn, drawn[1:]))
    assert shared < 5


@pytest.mark.parametrize(
    "typed", ["K7Q4-M2XF", "k7q4-m2xf", "K7Q4M2XF", "k7q4 m2xf", " K7Q4 - M2XF ", "K7Q4–M2XF"]
)
def test_spelling_variants_normalise(typed):
    assert codes.normalise(typed) == "K7Q4M2XF"
    assert codes.format_code(codes.normalise(typed)) == "K7Q4-M2XF"


def test_look_alikes_are_read_as_the_character_they_resemble():
    assert codes.normalise("KSQ4-M2XF") == "K5Q4M2XF"
    assert codes.normalise("K7Q4-MZXF") == "K7Q4M2XF"


@pytest.mark.parametrize(
    "typed",
    [None, "", "K7Q4-M2X", "K7Q4-M2XFF", "K7Q4-M2X0", "K7Q4-M2XI", "KKKK-MMMM", "2345-6789"],
)
def test_malformed_codes_are_refused(typed):
    assert codes.normalise(typed) is None


@pytest.mark.parametrize(
    "message, code",
    [
        ("wat is er met mijn melding k7q4 m2xf?", "K7Q4M2XF"),
        ("Mijn code is K7Q4-M2XF.", "K7Q4M2XF"),
        ("code:K7Q4M2XF", "K7Q4M2XF"),
        ("ab12 k7q4 m2xf", "K7Q4M2XF"),
        ("hoe staat het met deze zaak", None),
        ("mijn melding van 2024", None),
        ("ik woon in 9000 Gent", None),
        ("", None),
    ],
)
def test_parse_code_finds_a_code_inside_a_message(message, code):
    assert codes.parse_code(message) == code


@settings(max_examples=300)
@given(st.text(alphabet=codes.ALPHABET, min_size=8, max_size=8).filter(
           lambda c: codes.normalise(c) == c),
       st.sampled_from(["wat is er met {}?", "{}", "melding {} aub", "Code: {}."]),
       st.sampled_from(["dash", "plain", "space", "lower"]))
def test_codes_survive_the_gateways_redaction(code, template, style):
    shown = {
        "dash": codes.format_code(code),
        "plain": code,
        "space": f"{code[:4]} {code[4:]}",
        "lower": codes.format_code(code).lower(),
    }[style]
    redacted = privacy.redact(template.format(shown))
    assert redacted.kinds == frozenset()
    assert codes.parse_code(redacted.text) == code
