"""Figures for the staff insights page: where the gaps are, and how well Klik answers.

Everything is counted for a period of whole days in Brussels time. Needs and feedback come from
Klik's database, conversations from Rasa's tracker store (bot.transcripts), referrals from
bot.referral. Counting happens in Python over a few columns, so the same code runs on SQLite and
PostgreSQL (barriers are a JSON list, which the two databases query differently).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import places, privacy
from bot.catalogue import taxonomy
from bot.feedback import Feedback
from bot.needs import workflow
from bot.needs.model import Need, utcnow

BRUSSELS = ZoneInfo("Europe/Brussels")
DEFAULT_DAYS = 90
MAX_DAYS = 5 * 366  # a longer period would make the per-day figures meaningless and slow
OPEN_TOO_LONG_DAYS = 30
OPEN_LIST_LIMIT = 100
TOP_MUNICIPALITIES = 15
TOP_QUESTIONS = 10
DAILY_UP_TO_DAYS = 92  # longer periods show conversations per month instead of per day

NOT_GIVEN = "Niet opgegeven"
NO_BARRIER = "Geen drempel genoemd"
OTHER_MUNICIPALITIES = "Andere gemeenten"
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class BadPeriod(ValueError):
    """A date or period staff typed that we cannot use; the message is Dutch, for the page."""


# --- the period ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days in Brussels time, both ends included."""

    first: date
    last: date

    @property
    def since(self) -> datetime:
        """The start of the first day, in UTC (inclusive)."""
        return _day_start(self.first)

    @property
    def until(self) -> datetime:
        """The start of the day after the last day, in UTC (exclusive)."""
        return _day_start(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def each_month(self) -> list[date]:
        months, month = [], self.first.replace(day=1)
        while month <= self.last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BRUSSELS).astimezone(timezone.utc)


def local_date(moment: datetime) -> date:
    """The Brussels calendar day of a moment (a naive value counts as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BRUSSELS).date()


def month_label(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def day_label(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def today(now: datetime | None = None) -> date:
    return local_date(now or utcnow())


def default_period(now: datetime | None = None) -> Period:
    """The last DEFAULT_DAYS days, today included."""
    last = today(now)
    return Period(last - timedelta(days=DEFAULT_DAYS - 1), last)


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_BELGIAN = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_date(text: str, what: str) -> date:
    """'2026-03-31' (a date field) or '31-03-2026' / '31/03/2026' (typed by hand)."""
    text = text.strip()
    iso, belgian = _ISO.match(text), _BELGIAN.match(text)
    try:
        if iso:
            year, month, day = (int(part) for part in iso.groups())
        elif belgian:
            day, month, year = (int(part) for part in belgian.groups())
        else:
            raise ValueError(text)
        found = date(year, month, day)
    except ValueError:
        shown = text if len(text) <= 30 else text[:29] + "…"
        raise BadPeriod(
            f"De {what} '{shown}' is geen geldige datum. Schrijf ze als 31-03-2026."
        ) from None
    if not 2000 <= found.year <= 2100:
        raise BadPeriod(f"De {what} moet tussen 2000 en 2100 liggen.")
    return found


def parse_period(from_text: str | None, to_text: str | None, *,
                 now: datetime | None = None) -> Period:
    """The period from the page's 'van' and 'tot en met' fields; empty fields fall back to
    the last DEFAULT_DAYS days (or DEFAULT_DAYS days from/to the one date given)."""
    from_text, to_text = (from_text or "").strip(), (to_text or "").strip()
    first = parse_date(from_text, "begindatum") if from_text else None
    last = parse_date(to_text, "einddatum") if to_text else None
    if first is None and last is None:
        return default_period(now)
    if last is None:
        last = max(first, today(now))
    if first is None:
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise BadPeriod("De begindatum ligt na de einddatum. Draai ze om.")
    if (last - first).days + 1 > MAX_DAYS:
        raise BadPeriod("Kies een periode van hoogstens 5 jaar.")
    return Period(first, last)


# --- labels ---------------------------------------------------------------------------------


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def barrier_label(code: str) -> str:
    """Needs carry barrier codes (bot.referral.profile) or the catalogue's access features
    (what the chat collected): show whichever table knows the code."""
    from bot.referral.profile import BARRIERS

    for table in (BARRIERS, taxonomy.FEATURES, taxonomy.DISCOUNTS):
        if code in table:
            return _capital(table[code].label)
    return code


def category_label(code: str) -> str:
    return _capital(taxonomy.label(taxonomy.CATEGORIES, code))


def audience_label(code: str) -> str:
    return _capital(taxonomy.label(taxonomy.AUDIENCES, code))


def municipality_label(nis: str) -> str:
    return places.display_name(nis) or nis


# --- counted rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a figure: a stable key (a code, a date, …), its Dutch label, a count."""

    key: str
    label: str
    count: int


def _ranked(counts: Counter, label, *, missing: str | None = None,
            missing_label: str = NOT_GIVEN) -> list[Row]:
    """Most first (ties by label); the 'not given' row always last, so it never hides a gap."""
    rows = [Row(key, label(key), n) for key, n in counts.items() if key is not None and n]
    rows.sort(key=lambda r: (-r.count, r.label.casefold()))
    if missing is not None and counts.get(None):
        rows.append(Row(missing, missing_label, counts[None]))
    return rows


def _top_places(rows: list[Row], top: int) -> list[Row]:
    """The first ``top`` municipalities, the rest added up, 'not given' (key "") last."""
    known = [r for r in rows if r.key]
    kept = known[:top]
    rest = sum(r.count for r in known[top:])
    if rest:
        kept.append(Row("*", OTHER_MUNICIPALITIES, rest))
    return kept + [r for r in rows if not r.key]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- needs ----------------------------------------------------------------------------------


@dataclass
class NeedFigures:
    total: int = 0
    per_barrier: list[Row] = field(default_factory=list)
    per_category: list[Row] = field(default_factory=list)
    per_municipality: list[Row] = field(default_factory=list)  # top 15, then "andere", "niet"
    per_audience: list[Row] = field(default_factory=list)
    per_month: list[Row] = field(default_factory=list)  # every month of the period, oldest first


def need_figures(session: Session, period: Period, *,
                 top_municipalities: int = TOP_MUNICIPALITIES) -> NeedFigures:
    """Needs created in the period, counted per barrier, category, municipality, audience
    and month. A need with two barriers counts once for each."""
    rows = session.execute(
        select(Need.created_at, Need.barriers, Need.category, Need.municipality_nis,
               Need.audience)
        .where(Need.created_at >= period.since, Need.created_at < period.until)
    ).all()
    barriers, categories, municipalities, audiences = Counter(), Counter(), Counter(), Counter()
    months = Counter()
    for created_at, need_barriers, category, nis, audience in rows:
        codes = [b for b in dict.fromkeys(need_barriers or ()) if isinstance(b, str) and b]
        barriers.update(codes or [None])
        categories[category or None] += 1
        municipalities[nis or None] += 1
        audiences[audience or None] += 1
        months[local_date(created_at).replace(day=1)] += 1

    return NeedFigures(
        total=len(rows),
        per_barrier=_ranked(barriers, barrier_label, missing="", missing_label=NO_BARRIER),
        per_category=_ranked(categories, category_label, missing=""),
        per_municipality=_top_places(_ranked(municipalities, municipality_label, missing=""),
                                     top_municipalities),
        per_audience=_ranked(audiences, audience_label, missing=""),
        per_month=[Row(m.isoformat()[:7], month_label(m), months.get(m, 0))
                   for m in period.each_month()],
    )


@dataclass(frozen=True)
class OpenNeed:
    id: int
    code: str  # as shown, K7Q4-M2XF
    created_at: datetime
    age_days: int
    status_label: str
    category_label: str
    excerpt: str  # the start of the (redacted) text, to recognise the need


def open_needs_older_than(session: Session, *, days: int = OPEN_TOO_LONG_DAYS,
                          now: datetime | None = None,
                          limit: int = OPEN_LIST_LIMIT) -> tuple[list[OpenNeed], int]:
    """Needs not in a final status, created more than ``days`` days ago, oldest first.

    Independent of the period: this is the work still waiting today. Returns up to ``limit``
    needs and how many there are in all.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    open_old = (Need.status.notin_(sorted(workflow.FINAL)), Need.created_at < cutoff)
    total = session.execute(select(func.count(Need.id)).where(*open_old)).scalar_one()
    needs = session.execute(
        select(Need).where(*open_old).order_by(Need.created_at, Need.id).limit(limit)
    ).scalars().all()
    return [
        OpenNeed(
            id=n.id, code=n.display_code, created_at=n.created_at,
            age_days=(now - n.created_at).days, status_label=n.status_label,
            category_label=category_label(n.category) if n.category else "",
            excerpt=_excerpt(n.text),
        )
        for n in needs
    ], total


def _excerpt(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- feedback -------------------------------------------------------------------------------


@dataclass
class FeedbackFigures:
    up: int = 0
    down: int = 0

    @property
    def total(self) -> int:
        return self.up + self.down

    @property
    def up_share(self) -> float | None:
        return share(self.up, self.total)

    @property
    def down_share(self) -> float | None:
        return share(self.down, self.total)


def feedback_figures(session: Session, period: Period) -> FeedbackFigures:
    """👍 and 👎 given in the period (the last click on a message counts)."""
    # The bounds are UTC, like the stored times (SQLite keeps them without a zone).
    since, until = period.since, period.until
    counts = dict(session.execute(
        select(Feedback.value, func.count(Feedback.id))
        .where(Feedback.created_at >= since, Feedback.created_at < until)
        .group_by(Feedback.value)
    ).all())
    return FeedbackFigures(up=counts.get("up", 0), down=counts.get("down", 0))


# --- conversations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A user message that fell back, with how often it (or the same words) came."""

    text: str
    count: int


@dataclass
class ConversationFigures:
    total: int = 0
    with_fallback: int = 0
    per_period: list[Row] = field(default_factory=list)  # per day, or per month when long
    per: str = "dag"  # "dag" or "maand"
    unanswered: list[Question] = field(default_factory=list)

    @property
    def fallback_share(self) -> float | None:
        return share(self.with_fallback, self.total)


def normalise_question(text: str) -> str:
    """'Waar kan ik  ZWEMMEN?' and 'waar kan ik zwemmen' are the same question."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\[\]]+", " ", folded).split())


def top_questions(texts: Iterable[str], *, top: int = TOP_QUESTIONS) -> list[Question]:
    """The most frequent questions by normalised text, each shown in its most common
    spelling (redacted once more: a message stored before a new rule may still hold data)."""
    counts: Counter = Counter()
    spellings: dict[str, Counter] = {}
    for text in texts:
        text = " ".join((text or "").split())
        key = normalise_question(text)
        if not key:
            continue
        counts[key] += 1
        spellings.setdefault(key, Counter())[text] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [Question(privacy.redact(spellings[key].most_common(1)[0][0]).text, n)
            for key, n in ranked]


def conversation_figures(summaries, fallbacks, period: Period, *,
                         top: int = TOP_QUESTIONS) -> ConversationFigures:
    """Count conversations (bot.transcripts Summary objects) per day or month, the share
    that had a fallback, and the most frequent user messages that fell back.

    A conversation counts on the day of its last message: that is how bot.transcripts picks
    the conversations of a period, so the days add up to the total.
    """
    summaries = [s for s in summaries if s.last_at is not None]
    daily = period.days <= DAILY_UP_TO_DAYS
    counts: Counter = Counter()
    for s in summaries:
        day = local_date(s.last_at)
        counts[day if daily else day.replace(day=1)] += 1
    if daily:
        rows = [Row(d.isoformat(), day_label(d), counts.get(d, 0)) for d in period.each_day()]
    else:
        rows = [Row(m.isoformat()[:7], month_label(m), counts.get(m, 0))
                for m in period.each_month()]
    return ConversationFigures(
        total=len(summaries),
        with_fallback=sum(1 for s in summaries if s.had_fallback),
        per_period=rows,
        per="dag" if daily else "maand",
        unanswered=top_questions(
            (m.text for m in fallbacks if m.who == "user" and m.fell_back), top=top),
    )


def load_conversation_figures(period: Period, *,
                              tracker_url: str | None = None) -> ConversationFigures:
    """conversation_figures() over Rasa's tracker store. Raises
    bot.conversations.ConversationStoreUnavailable when the store cannot be read."""
    from bot import transcripts

    return conversation_figures(
        transcripts.summaries(since=period.since, until=period.until, tracker_url=tracker_url),
        transcripts.fallback_messages(since=period.since, until=period.until,
                                      tracker_url=tracker_url),
        period,
    )


# --- referrals (issue 8) --------------------------------------------------------------------


@dataclass
class ReferralFigures:
    total: int = 0
    per_municipality: list[Row] = field(default_factory=list)
    per_barrier: list[Row] = field(default_factory=list)


def referral_figures(session: Session, period: Period, *,
                     top_municipalities: int = TOP_MUNICIPALITIES) -> ReferralFigures:
    """Referral notes social workers made in the period, per municipality and barrier
    (deleted notes count through their monthly tally)."""
    from bot.referral.service import counts

    found = counts(session, since=period.since, until=period.until)
    return ReferralFigures(
        total=found.total,
        per_municipality=_top_places(
            [Row(nis, name, n) for nis, name, n in found.municipality_rows() if n],
            top_municipalities),
        per_barrier=[Row(code, _capital(label), n) for code, label, n in found.barrier_rows()],
    )
