import pytest

from bot.web.validation import MAX_MESSAGE_CHARS, InvalidRequest, parse_chat

SENDER = "0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10"


def test_valid_request_is_trimmed_and_keeps_only_known_metadata():
    req = parse_chat({"sender": SENDER.upper(), "message": "  hallo ", "metadata": {
        "municipality": "44021", "tracking": "x"}})
    assert req.sender == SENDER
    assert req.message == "hallo"
    assert req.metadata == {"municipality": "44021"}


@pytest.mark.parametrize(
    "body, code",
    [
        ([], "invalid_body"),
        ("hallo", "invalid_body"),
        ({"message": "hallo"}, "invalid_sender"),
        ({"sender": "123", "message": "hallo"}, "invalid_sender"),
        ({"sender": 5, "message": "hallo"}, "invalid_sender"),
        ({"sender": "0b6c1f5e9a514d5e8f0e3f1c2a7d9b10", "message": "hallo"}, "invalid_sender"),
        ({"sender": SENDER}, "invalid_message"),
        ({"sender": SENDER, "message": ""}, "invalid_message"),
        ({"sender": SENDER, "message": "   \n"}, "invalid_message"),
        ({"sender": SENDER, "message": ["hallo"]}, "invalid_message"),
        ({"sender": SENDER, "message": "a" * (MAX_MESSAGE_CHARS + 1)}, "message_too_long"),
        ({"sender": SENDER, "message": "hallo", "metadata": "gent"}, "invalid_metadata"),
    ],
)
def test_invalid_requests_are_refused(body, code):
    with pytest.raises(InvalidRequest) as exc:
        parse_chat(body)
    assert exc.value.code == code


def test_message_of_exactly_the_limit_is_accepted():
    assert len(parse_chat({"sender": SENDER, "message": "a" * MAX_MESSAGE_CHARS}).message) == 1000


def test_municipality_metadata_must_look_like_a_nis_code():
    assert parse_chat({"sender": SENDER, "message": "x", "metadata": {"municipality": "Gent"}}).metadata == {}
    # Arabic-Indic digits are digits to Python, not a NIS code.
    arabic = "\u0664\u0664\u0660\u0662\u0661"
    assert parse_chat({"sender": SENDER, "message": "x", "metadata": {"municipality": arabic}}).metadata == {}
