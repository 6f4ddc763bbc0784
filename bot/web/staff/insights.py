"""/staff/insights: where the gaps are (needs, referrals) and how well Klik answers
(conversations, fallbacks, 👍/👎), for a period in the URL (?from=…&to=…, default 90 days).

Every figure is an SVG chart with a text alternative and the same numbers in a table.
The counting lives in bot.insights; this module only turns it into figures and a page.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from bot import insights
from bot.conversations import ConversationStoreUnavailable
from bot.db import session_scope
from bot.needs.model import utcnow
from bot.web.staff import charts
from bot.web.staff.auth import PREFIX
from bot.web.staff.common import render

log = logging.getLogger(__name__)

PATH = f"{PREFIX}/insights"
LONG_TABLE = 12  # longer tables fold away under a <details>, the chart stays visible


@dataclass
class Figure:
    """One chart with its table: what the template shows for every figure."""

    title: str
    chart: Markup
    rows: list[tuple[str, str, str]]  # label, count, share (formatted; share may be "")
    label_heading: str
    count_heading: str = "Aantal"
    share_heading: str = ""
    note: str = ""
    empty: bool = False

    @property
    def folded(self) -> bool:
        return len(self.rows) > LONG_TABLE


def _bar_figure(title: str, rows: list[insights.Row], label_heading: str, *,
                total: int | None = None, unit: str = "", share_heading: str = "",
                note: str = "", shares_in_chart: bool = False) -> Figure:
    whole = sum(r.count for r in rows) if total is None else total
    return Figure(
        title=title,
        chart=charts.bar_chart(title, [(r.label, r.count) for r in rows], unit=unit,
                               total=whole, shares=shares_in_chart),
        rows=[(r.label, charts.number(r.count),
               charts.percent(r.count, whole) if share_heading else "") for r in rows],
        label_heading=label_heading, share_heading=share_heading, note=note,
        empty=not any(r.count for r in rows),
    )


def _series_figure(title: str, rows: list[insights.Row], label_heading: str, *,
                   per: str, unit: str = "") -> Figure:
    if per == "dag":  # short ticks under the axis; the full date is in the table and tooltip
        ticks = [f"{r.key[8:10]}-{r.key[5:7]}" for r in rows]
    else:
        ticks = [r.label for r in rows]
    return Figure(
        title=title,
        chart=charts.column_chart(title, [(r.label, r.count) for r in rows], unit=unit,
                                  per=per, tick_labels=ticks),
        rows=[(r.label, charts.number(r.count), "") for r in rows],
        label_heading=label_heading,
        empty=not any(r.count for r in rows),
    )


# --- the parts of the page ------------------------------------------------------------------


@dataclass
class Report:
    period: insights.Period
    needs_total: int = 0
    need_figures: list[Figure] = field(default_factory=list)
    open_needs: list[insights.OpenNeed] = field(default_factory=list)
    open_total: int = 0
    conversations_total: int | None = None  # None: the tracker store could not be read
    conversation_figures: list[Figure] = field(default_factory=list)
    questions_figure: Figure | None = None  # None: no question fell back in the period
    feedback_figure: Figure | None = None
    referrals_total: int | None = None  # None: referrals could not be read
    referral_figures: list[Figure] = field(default_factory=list)


def _needs_part(report: Report, session, now) -> None:
    found = insights.need_figures(session, report.period)
    total = found.total
    report.needs_total = total
    of_needs = dict(total=total, unit="meldingen", share_heading="Aandeel van de meldingen")
    report.need_figures = [
        _bar_figure("Meldingen per drempel", found.per_barrier, "Drempel", **of_needs,
                    note="Een melding kan meer dan één drempel noemen."),
        _bar_figure("Meldingen per categorie", found.per_category, "Categorie", **of_needs),
        _bar_figure(f"Meldingen per gemeente (top {insights.TOP_MUNICIPALITIES})",
                    found.per_municipality, "Gemeente", **of_needs),
        _bar_figure("Meldingen per doelgroep", found.per_audience, "Doelgroep", **of_needs),
        _series_figure("Meldingen per maand", found.per_month, "Maand", per="maand",
                       unit="meldingen"),
    ]
    report.open_needs, report.open_total = insights.open_needs_older_than(session, now=now)


def _feedback_part(report: Report, session) -> None:
    fb = insights.feedback_figures(session, report.period)
    report.feedback_figure = _bar_figure(
        "Beoordeling van de antwoorden (👍/👎)",
        [insights.Row("up", "👍 Nuttig", fb.up), insights.Row("down", "👎 Niet nuttig", fb.down)],
        "Beoordeling", unit="beoordelingen", share_heading="Aandeel", shares_in_chart=True,
    )


def _conversations_part(report: Report) -> None:
    try:
        found = insights.load_conversation_figures(report.period)
    except ConversationStoreUnavailable:
        log.exception("insights: tracker store not readable")
        return
    report.conversations_total = found.total
    unit = "gesprekken"
    report.conversation_figures = [
        _series_figure(f"Gesprekken per {found.per}", found.per_period,
                       "Dag" if found.per == "dag" else "Maand", per=found.per, unit=unit),
        _bar_figure(
            "Gesprekken met een terugval",
            [insights.Row("fallback", "Met terugval", found.with_fallback),
             insights.Row("ok", "Zonder terugval", found.total - found.with_fallback)],
            "Gesprek", unit=unit, share_heading="Aandeel", shares_in_chart=True,
            note="Terugval: Klik begreep een bericht niet zeker genoeg.",
        ),
    ]
    if found.unanswered:
        report.questions_figure = _bar_figure(
            f"Meest gestelde vragen zonder antwoord (top {insights.TOP_QUESTIONS})",
            [insights.Row(str(i), q.text, q.count) for i, q in enumerate(found.unanswered)],
            "Vraag", unit="berichten",
            note="Berichten waarbij Klik terugviel, samengenomen bij dezelfde woorden.",
        )


def _referrals_part(report: Report, session) -> None:
    try:
        found = insights.referral_figures(session, report.period)
    except SQLAlchemyError:
        session.rollback()
        log.exception("insights: referrals not readable")
        return
    report.referrals_total = found.total
    of_referrals = dict(total=found.total, unit="verwijzingen",
                        share_heading="Aandeel van de verwijzingen")
    report.referral_figures = [
        _bar_figure(f"Verwijzingen per gemeente (top {insights.TOP_MUNICIPALITIES})",
                    found.per_municipality, "Gemeente", **of_referrals),
        _bar_figure("Verwijzingen per drempel", found.per_barrier, "Drempel", **of_referrals,
                    note="Een verwijzing kan meer dan één drempel noemen."),
    ]


def build_report(period: insights.Period, now=None) -> Report:
    """Everything the page shows; blocking (database and tracker store), run off the loop."""
    now = now or utcnow()
    report = Report(period)
    with session_scope() as session:
        _needs_part(report, session, now)
        _feedback_part(report, session)
        _referrals_part(report, session)
    _conversations_part(report)
    return report


# --- the page -------------------------------------------------------------------------------


def _link(first: date, last: date) -> str:
    return f"{PATH}?{urlencode({'from': first.isoformat(), 'to': last.isoformat()})}"


def quick_periods(now=None) -> list[tuple[str, str]]:
    """Links for the usual periods, so nobody has to type dates."""
    last = insights.today(now)
    return [
        ("Laatste 30 dagen", _link(last - timedelta(days=29), last)),
        ("Laatste 90 dagen", _link(last - timedelta(days=insights.DEFAULT_DAYS - 1), last)),
        ("Laatste 365 dagen", _link(last - timedelta(days=364), last)),
        ("Dit jaar", _link(last.replace(month=1, day=1), last)),
    ]


async def insights_page(request: web.Request) -> web.Response:
    raw_from = request.query.get("from", "")[:40]
    raw_to = request.query.get("to", "")[:40]
    context = {"section": "insights", "quick": quick_periods(),
               "form": {"from": raw_from, "to": raw_to}}
    try:
        period = insights.parse_period(raw_from, raw_to)
    except insights.BadPeriod as exc:
        return await render(request, "staff/insights.html",
                            {**context, "error": str(exc)}, status=400)
    try:
        report = await asyncio.get_running_loop().run_in_executor(None, build_report, period)
    except SQLAlchemyError:
        log.exception("insights: database not readable")
        return await render(request, "staff/error.html", {
            "title": "Inzichten niet beschikbaar",
            "message": "De gegevens zijn nu niet te lezen. Probeer het later opnieuw.",
        }, status=503)
    context["form"] = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return await render(request, "staff/insights.html", {
        **context, "report": report, "period": period,
        "open_days": insights.OPEN_TOO_LONG_DAYS, "open_limit": insights.OPEN_LIST_LIMIT,
        "needs_path": f"{PREFIX}/needs",
    })


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, insights_page)
