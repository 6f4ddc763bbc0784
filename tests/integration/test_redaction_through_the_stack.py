"""Issue 5: 500 generated messages full of personal data, sent through the real gateway and Rasa.

None of the personal data may reach Rasa's tracker store or the stack's logs, while postal codes
and municipality names do arrive (the generator is the one of the redaction property test).
"""
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings

from tests.needs.test_redaction_property import messages

pytestmark = pytest.mark.stack


def user_texts(stack, sender):
    rows = [json.loads(r["data"]) for r in stack.rows(
        "tracker", "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' "
        "ORDER BY id", sender=sender)]
    return [r.get("text") or "" for r in rows]


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sample=messages())
def test_no_personal_data_reaches_the_tracker_store_or_the_logs(stack, sample):
    text, personal, places, _ = sample
    sender = str(uuid.uuid4())
    stack.chat(sender, text[:1000])
    stored = user_texts(stack, sender)
    assert stored, "the turn was not stored"
    for kind, value in personal:
        assert value not in stored[0], (kind, value, stored[0])
        assert value not in "\n".join(stack.lines), (kind, value)
    for place in places:
        if place in text[:1000]:
            assert place in stored[0], (place, stored[0])
