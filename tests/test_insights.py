"""bot.insights: periods, and the counts behind /staff/insights on a fixed set of needs,
feedback and referrals, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from bot import feedback, insights
from bot.db import session_scope
from bot.insights import BadPeriod, Period, Row
from bot.needs.service import change_status, record_need
from bot.referral.model import ALL, Referral, ReferralTally

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)  # 11:00 in Brussels
ANTWERPEN, GENT, LEUVEN, BRUSSEL = "11002", "44021", "24062", "21004"


def need(url, at: datetime, text: str = "Ik vind geen zwemles.", **fields):
    return record_need(url, kind="nood", source="inwoner", text=text, now=at, **fields)


@pytest.fixture
def needs(db_url):
    """Six needs: five in the default 90-day period before NOW, one long before."""
    made = {
        "zwem": need(db_url, NOW - timedelta(days=5), barriers=["geld", "vervoer"],
                     category="zwemmen", municipality_nis=ANTWERPEN, audience="kinderen"),
        "sport": need(db_url, NOW - timedelta(days=10), barriers=["geld"], category="sport",
                      municipality_nis=GENT, audience="gezinnen"),
        "leeg": need(db_url, NOW - timedelta(days=40), text="<script>alert(1)</script> te duur"),
        "taal": need(db_url, NOW - timedelta(days=60), barriers=["weinig_nederlands"],
                     category="zwemmen", municipality_nis=ANTWERPEN, audience="volwassenen"),
        # 00:30 on 27 August in Brussels (summer time): the first day of the default period.
        "rand": need(db_url, datetime(2026, 8, 26, 22, 30, tzinfo=timezone.utc),
                     category="sport", municipality_nis=LEUVEN),
        # 23:59 on 26 August in Brussels: the day before the period.
        "oud": need(db_url, datetime(2026, 8, 26, 21, 59, tzinfo=timezone.utc),
                    barriers=["taal"], category="film", municipality_nis=BRUSSEL),
    }
    # The language need is dealt with: closed, so it is no longer open work.
    change_status(db_url, made["taal"].id, "in_behandeling", by="mila", now=NOW - timedelta(days=50))
    change_status(db_url, made["taal"].id, "opgelost", by="mila", now=NOW - timedelta(days=49))
    return made


# --- periods --------------------------------------------------------------------------------


def test_default_period_is_the_last_90_days_in_brussels_time():
    period = insights.default_period(NOW)
    assert (period.first, period.last, period.days) == (date(2026, 8, 27), date(2026, 11, 24), 90)
    assert period.since == datetime(2026, 8, 26, 22, 0, tzinfo=timezone.utc)  # CEST
    assert period.until == datetime(2026, 11, 24, 23, 0, tzinfo=timezone.utc)  # CET
    assert insights.parse_period("", "", now=NOW) == period
    assert insights.parse_period(None, "  ", now=NOW) == period


@pytest.mark.parametrize("first, last, expected", [
    ("2026-03-01", "2026-03-31", (date(2026, 3, 1), date(2026, 3, 31))),
    ("01-03-2026", "31/03/2026", (date(2026, 3, 1), date(2026, 3, 31))),
    ("1.3.2026", "2026-3-31", (date(2026, 3, 1), date(2026, 3, 31))),
    ("2026-11-01", "", (date(2026, 11, 1), date(2026, 11, 24))),  # until today
    ("", "2026-03-31", (date(2026, 1, 1), date(2026, 3, 31))),  # 90 days up to the end
    ("2026-11-24", "2026-11-24", (date(2026, 11, 24), date(2026, 11, 24))),
])
def test_dates_as_a_date_field_sends_them_or_typed_the_belgian_way(first, last, expected):
    period = insights.parse_period(first, last, now=NOW)
    assert (period.first, period.last) == expected


@pytest.mark.parametrize("first, last, message", [
    ("gisteren", "", "De begindatum 'gisteren' is geen geldige datum."),
    ("2026-02-30", "", "De begindatum '2026-02-30' is geen geldige datum."),
    ("", "31-13-2026", "De einddatum '31-13-2026' is geen geldige datum."),
    ("<b>x</b>", "", "De begindatum '<b>x</b>' is geen geldige datum."),
    ("2026-04-01", "2026-03-01", "De begindatum ligt na de einddatum."),
    ("1999-12-31", "", "De begindatum moet tussen 2000 en 2100 liggen."),
    ("2010-01-01", "2026-01-01", "Kies een periode van hoogstens 5 jaar."),
])
def test_bad_dates_give_a_dutch_message(first, last, message):
    with pytest.raises(BadPeriod) as caught:
        insights.parse_period(first, last, now=NOW)
    assert str(caught.value).startswith(message)


def test_a_period_lists_its_days_and_months():
    period = Period(date(2026, 1, 30), date(2026, 3, 2))
    assert period.days == 32
    assert period.each_day()[0] == date(2026, 1, 30) and period.each_day()[-1] == date(2026, 3, 2)
    assert period.each_month() == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


# --- needs ----------------------------------------------------------------------------------


def test_needs_per_barrier_category_municipality_audience_and_month(db_url, needs):
    with session_scope(db_url) as s:
        found = insights.need_figures(s, insights.default_period(NOW))
    assert found.total == 5  # "oud" lies one minute before the period
    assert found.per_barrier == [
        Row("geld", "Geld", 2),
        Row("vervoer", "Vervoer", 1),
        Row("weinig_nederlands", "Weinig Nederlands nodig", 1),
        Row("", "Geen drempel genoemd", 2),  # always last, even when it is not the smallest
    ]
    assert found.per_category == [
        Row("sport", "Sport en bewegen", 2),
        Row("zwemmen", "Zwemmen", 2),
        Row("", "Niet opgegeven", 1),
    ]
    assert found.per_municipality == [
        Row(ANTWERPEN, "Antwerpen", 2), Row(GENT, "Gent", 1), Row(LEUVEN, "Leuven", 1),
        Row("", "Niet opgegeven", 1),
    ]
    assert found.per_audience == [
        Row("gezinnen", "Gezinnen", 1), Row("kinderen", "Kinderen", 1),
        Row("volwassenen", "Volwassenen", 1), Row("", "Niet opgegeven", 2),
    ]
    assert found.per_month == [
        Row("2026-08", "aug 2026", 1), Row("2026-09", "sep 2026", 1),
        Row("2026-10", "okt 2026", 1), Row("2026-11", "nov 2026", 2),
    ]


def test_municipalities_beyond_the_top_are_added_up(db_url, needs):
    with session_scope(db_url) as s:
        found = insights.need_figures(s, insights.default_period(NOW), top_municipalities=1)
    assert found.per_municipality == [
        Row(ANTWERPEN, "Antwerpen", 2), Row("*", "Andere gemeenten", 2),
        Row("", "Niet opgegeven", 1),
    ]


def test_a_period_without_needs_counts_zero_in_every_month(db_url, needs):
    with session_scope(db_url) as s:
        found = insights.need_figures(s, Period(date(2025, 1, 1), date(2025, 2, 15)))
    assert found.total == 0
    assert found.per_barrier == found.per_category == found.per_municipality == []
    assert found.per_month == [Row("2025-01", "jan 2025", 0), Row("2025-02", "feb 2025", 0)]


def test_open_needs_older_than_30_days_oldest_first_whatever_the_period(db_url, needs):
    with session_scope(db_url) as s:
        found, total = insights.open_needs_older_than(s, now=NOW)
    assert total == 3
    assert [(n.id, n.age_days, n.status_label) for n in found] == [
        (needs["oud"].id, 89, "Nieuw"),
        (needs["rand"].id, 89, "Nieuw"),
        (needs["leeg"].id, 40, "Nieuw"),
    ]
    assert found[0].code == needs["oud"].display_code and "-" in found[0].code
    assert found[2].excerpt == "<script>alert(1)</script> te duur"  # escaped by the page
    assert found[1].category_label == "Sport en bewegen" and found[2].category_label == ""
    with session_scope(db_url) as s:
        limited, total = insights.open_needs_older_than(s, now=NOW, limit=1, days=41)
    assert total == 2 and [n.id for n in limited] == [needs["oud"].id]


# --- feedback -------------------------------------------------------------------------------


def test_thumbs_up_and_down_in_the_period(db_url):
    times = {("a", 0): (NOW - timedelta(days=1), "up"), ("a", 1): (NOW - timedelta(days=2), "up"),
             ("b", 0): (NOW - timedelta(days=3), "down"),
             ("c", 0): (NOW - timedelta(days=100), "down")}  # before the period
    with session_scope(db_url) as s:
        for (sender, index), (at, value) in times.items():
            feedback.record(s, sender, index, value).created_at = at
    with session_scope(db_url) as s:
        found = insights.feedback_figures(s, insights.default_period(NOW))
        empty = insights.feedback_figures(s, Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert (found.up, found.down, found.total) == (2, 1, 3)
    assert found.up_share == pytest.approx(2 / 3) and found.down_share == pytest.approx(1 / 3)
    assert (empty.total, empty.up_share) == (0, None)


# --- referrals ------------------------------------------------------------------------------


def referral(code: str, at: datetime, nis: str, barriers: list[str]) -> Referral:
    return Referral(code=code, created_at=at, expires_at=at + timedelta(days=90),
                    municipality_nis=nis, client_group="gezin", age_bands=[], interests=[],
                    barriers=barriers, offerings=[], hints=[])


def test_referrals_per_municipality_and_barrier_with_the_tally_of_deleted_ones(db_url):
    with session_scope(db_url) as s:
        s.add_all([
            referral("R1", NOW - timedelta(days=3), GENT, ["geld", "vervoer"]),
            referral("R2", NOW - timedelta(days=4), GENT, ["geld"]),
            referral("R3", NOW - timedelta(days=5), LEUVEN, []),
            referral("R4", NOW - timedelta(days=400), LEUVEN, ["taal"]),  # before the period
            # Two deleted referrals from Antwerp in October, one with a transport barrier.
            ReferralTally(month=date(2026, 10, 1), municipality_nis=ANTWERPEN, barrier=ALL,
                          count=2),
            ReferralTally(month=date(2026, 10, 1), municipality_nis=ANTWERPEN,
                          barrier="vervoer", count=1),
        ])
    with session_scope(db_url) as s:
        found = insights.referral_figures(s, insights.default_period(NOW))
    assert found.total == 5
    assert found.per_municipality == [
        Row(ANTWERPEN, "Antwerpen", 2), Row(GENT, "Gent", 2), Row(LEUVEN, "Leuven", 1)]
    assert found.per_barrier[:2] == [Row("geld", "Geld", 2), Row("vervoer", "Vervoer", 2)]
    assert all(r.count == 0 for r in found.per_barrier[2:])  # every barrier, zeros last


# --- conversations (Summary and Message objects as bot.transcripts returns them) -----------


def test_the_same_question_in_other_spelling_is_counted_together():
    assert insights.normalise_question("  Waar kan ik ZWEMMEN?? ") == "waar kan ik zwemmen"
    assert insights.normalise_question("Café in Kortrijk!") == "cafe in kortrijk"
    found = insights.top_questions(
        ["Waar kan ik zwemmen?", "waar kan ik zwemmen", "WAAR KAN IK ZWEMMEN?", "bel 0470 12 34 56",
         "Bel 0470 12 34 56", "iets", "?!", ""] + [f"vraag {i}" for i in range(12)],
        top=3,
    )
    assert [(q.text, q.count) for q in found] == [
        ("Waar kan ik zwemmen?", 3), ("bel [telefoonnummer]", 2), ("iets", 1)]


def summary(sender: str, last: datetime, fallback: bool, started: datetime | None = None):
    return SimpleNamespace(sender_id=sender, started_at=started or last, last_at=last,
                           user_messages=2, had_fallback=fallback, logged_need=False,
                           min_confidence=0.5, first_message="hoi")


def message(text: str, fell_back: bool = True, who: str = "user"):
    return SimpleNamespace(index=0, at=NOW, who=who, text=text, intent="nlu_fallback",
                           confidence=0.3, fell_back=fell_back)


def test_conversations_per_day_fallback_share_and_unanswered_questions():
    period = Period(date(2026, 11, 20), date(2026, 11, 24))
    found = insights.conversation_figures(
        [summary("a", datetime(2026, 11, 20, 23, 30, tzinfo=timezone.utc), True),  # 21 Nov
         # Begun before the period, ended in it: counted on the day it ended.
         summary("b", datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc), False,
                 started=datetime(2026, 11, 18, 9, 0, tzinfo=timezone.utc)),
         summary("c", datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc), True),
         summary("d", datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc), False)],
        [message("zwemmen?"), message("Zwemmen"), message("dansen"),
         message("niet teruggevallen", fell_back=False), message("bot", who="bot")],
        period,
    )
    assert (found.total, found.with_fallback, found.fallback_share) == (4, 2, 0.5)
    assert found.per == "dag"
    assert [(r.label, r.count) for r in found.per_period] == [
        ("20-11-2026", 0), ("21-11-2026", 2), ("22-11-2026", 0), ("23-11-2026", 0),
        ("24-11-2026", 2)]
    assert [(q.text, q.count) for q in found.unanswered] == [("zwemmen?", 2), ("dansen", 1)]


def test_a_long_period_counts_conversations_per_month():
    period = Period(date(2026, 1, 1), date(2026, 6, 30))
    found = insights.conversation_figures(
        [summary("a", datetime(2026, 2, 3, tzinfo=timezone.utc), False)], [], period)
    assert found.per == "maand" and len(found.per_period) == 6
    assert found.per_period[1] == Row("2026-02", "feb 2026", 1)
    empty = insights.conversation_figures([], [], period)
    assert (empty.total, empty.fallback_share, empty.unanswered) == (0, None, [])


def test_conversation_figures_from_a_real_tracker_store(klik_env):
    from tests.test_transcripts import T0, action, bot, fallback, save_conversation, user

    save_conversation("a", [fallback("zwemles?", "ask_offering", 0.3),
                            action("action_default_fallback")], start=T0)
    save_conversation("b", [user("hallo", "greet", 0.99), bot("Dag!")],
                      start=T0 + timedelta(days=1))
    save_conversation("c", [fallback("Zwemles", "ask_offering", 0.2)],
                      start=T0 - timedelta(days=30))  # before the period
    first = T0.date()  # 10:00 in Brussels, the same day
    period = Period(first, first + timedelta(days=6))
    found = insights.load_conversation_figures(period)
    assert (found.total, found.with_fallback) == (2, 1)
    assert [r.count for r in found.per_period] == [1, 1, 0, 0, 0, 0, 0]
    assert found.per_period[0].key == first.isoformat()
    assert [(q.text, q.count) for q in found.unanswered] == [("zwemles?", 1)]
