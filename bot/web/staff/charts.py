"""Server-rendered SVG charts for staff pages: no JavaScript, no inline styles.

Every chart is an <svg role="img"> labelled by its own <title> and <desc>; the <desc> sums up
the figures in words, so a screen reader gets the message without the picture. Colours are SVG
presentation attributes (fill=), which the classes in staff.css may override. Every piece of
text passes through markupsafe.escape before it enters the markup.
"""
from __future__ import annotations

import hashlib
import re
from typing import Sequence

from markupsafe import Markup, escape

EMPTY_TEXT = "Nog geen gegevens in deze periode."

# Horizontal bars: label column, bar area, value column (SVG user units).
WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 90
BAR_HEIGHT = 22
BAR_GAP = 8
TOP = 8
MAX_LABEL_CHARS = 30  # about 240 units at font-size 14

# Columns (time series).
COLUMN_HEIGHT = 160
AXIS_LEFT = 44
AXIS_BOTTOM = 28
MAX_TICKS = 8

BAR_FILL = "#00507a"  # the staff accent colour; contrast 8.6:1 on white
TEXT_FILL = "#1a1a1a"
LINE_STROKE = "#767676"

Row = Sequence  # (label, value): a tuple or list of two
PLURALS = {"dag": "dagen", "maand": "maanden", "week": "weken"}


def number(value: float | int) -> str:
    """1234 → '1.234', 3.5 → '3,5' (Belgian notation)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def percent(part: int, whole: int) -> str:
    """12 of 48 → '25%'; '–' when there is nothing to divide by."""
    if not whole:
        return "–"
    return f"{round(100 * part / whole)}%"


def chart_id(title: str) -> str:
    """A stable, unique-enough id for aria-labelledby, from the title."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "grafiek"
    return f"chart-{slug}-{hashlib.sha1(title.encode('utf-8')).hexdigest()[:6]}"


def _short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _rows(rows) -> list[tuple[str, int | float]]:
    return [(str(row[0]), row[1] or 0) for row in rows]


def _empty() -> Markup:
    return Markup('<p class="chart-empty">{}</p>').format(EMPTY_TEXT)


def describe_bars(rows, *, unit: str = "", total: int | None = None) -> str:
    """'Totaal 42 meldingen. Geld: 12 (29%); Vervoer: 8 (19%); …' — the figures in words.

    ``total`` is what the shares are of (default: the sum of the rows); pass it when one item
    can count in several rows, such as a need with two barriers.
    """
    rows = _rows(rows)
    total = sum(value for _, value in rows) if total is None else total
    unit = f" {unit}" if unit else ""
    shown = rows if len(rows) <= 8 else rows[:5]
    parts = [f"{label}: {number(value)} ({percent(value, total)})" for label, value in shown]
    text = f"Totaal {number(total)}{unit}. " + "; ".join(parts) + "."
    if len(shown) < len(rows):
        rest = rows[len(shown):]
        text += (f" Nog {len(rest)} andere met samen {number(sum(v for _, v in rest))}"
                 f"{unit}.")
    return text


def describe_series(rows, *, unit: str = "", per: str = "dag") -> str:
    """'90 dagen, samen 340 gesprekken. Gemiddeld 3,8 per dag. Hoogste: 12 op 14-03-2026.'"""
    rows = _rows(rows)
    total = sum(value for _, value in rows)
    unit = f" {unit}" if unit else ""
    peak_label, peak = max(rows, key=lambda row: row[1])
    average = round(total / len(rows), 1)
    span = f"{len(rows)} {PLURALS.get(per, per)}" if len(rows) != 1 else f"1 {per}"
    return (f"{span}, samen {number(total)}{unit}. "
            f"Gemiddeld {number(average)} per {per}. Hoogste: {number(peak)} op {peak_label}.")


def bar_chart(title: str, rows, *, desc: str | None = None, unit: str = "",
              total: int | None = None, ident: str | None = None,
              shares: bool = False) -> Markup:
    """Horizontal bars, one per (label, value) row, in the order given.

    ``desc`` replaces the generated text alternative; ``shares`` adds '(25%)' after each value
    (a share of ``total``, default the sum of the rows). No rows, or only zeros, gives the
    'no data' sentence instead of an empty chart.
    """
    rows = _rows(rows)
    if not rows or not any(value for _, value in rows):
        return _empty()
    ident = ident or chart_id(title)
    total = sum(value for _, value in rows) if total is None else total
    desc = desc or describe_bars(rows, unit=unit, total=total)
    top = max(value for _, value in rows)
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    parts = [
        f'<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-size="14">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = TOP + i * (BAR_HEIGHT + BAR_GAP)
        width = round(bar_area * value / top, 1) if top else 0
        text_y = y + BAR_HEIGHT / 2 + 5
        shown = number(value) + (f" ({percent(value, total)})" if shares else "")
        parts.append(
            f'<g class="chart-row"><title>{escape(label)}: {escape(shown)}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" fill="{TEXT_FILL}" '
            f'class="chart-label">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_FILL}" class="chart-bar"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{text_y}" fill="{TEXT_FILL}" '
            f'class="chart-value">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _ticks(count: int) -> set[int]:
    """Which column labels to write under the axis: first, last and evenly between."""
    if count <= MAX_TICKS:
        return set(range(count))
    step = -(-(count - 1) // (MAX_TICKS - 1))
    return set(range(0, count, step)) | {count - 1}


def column_chart(title: str, rows, *, desc: str | None = None, unit: str = "",
                 per: str = "dag", ident: str | None = None,
                 tick_labels: Sequence[str] | None = None) -> Markup:
    """Vertical columns for a time series (per day or per month), oldest first.

    ``tick_labels`` are the short labels under the axis (default: the row labels); the row
    labels themselves go into each column's tooltip and into the text alternative.
    """
    rows = _rows(rows)
    if not rows or not any(value for _, value in rows):
        return _empty()
    ident = ident or chart_id(title)
    desc = desc or describe_series(rows, unit=unit, per=per)
    ticks = list(tick_labels) if tick_labels is not None else [label for label, _ in rows]
    top = max(value for _, value in rows)
    plot_width = WIDTH - AXIS_LEFT - 8
    slot = plot_width / len(rows)
    column = max(1.0, round(slot * 0.75, 2))
    base = TOP + COLUMN_HEIGHT
    height = base + AXIS_BOTTOM
    parts = [
        f'<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-size="12">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        # The axis: a base line and the highest value, so the heights can be read.
        f'<line x1="{AXIS_LEFT}" y1="{base}" x2="{WIDTH - 8}" y2="{base}" '
        f'stroke="{LINE_STROKE}" class="chart-axis"/>',
        f'<line x1="{AXIS_LEFT}" y1="{TOP}" x2="{WIDTH - 8}" y2="{TOP}" stroke="{LINE_STROKE}" '
        f'stroke-dasharray="4 4" class="chart-grid"/>',
        f'<text x="{AXIS_LEFT - 6}" y="{TOP + 4}" text-anchor="end" fill="{TEXT_FILL}">'
        f'{escape(number(top))}</text>',
        f'<text x="{AXIS_LEFT - 6}" y="{base + 4}" text-anchor="end" fill="{TEXT_FILL}">0</text>',
    ]
    shown_ticks = _ticks(len(rows))
    for i, (label, value) in enumerate(rows):
        x = round(AXIS_LEFT + i * slot + (slot - column) / 2, 2)
        h = round(COLUMN_HEIGHT * value / top, 1) if top else 0
        parts.append(
            f'<g class="chart-column"><title>{escape(label)}: {escape(number(value))}</title>'
            f'<rect x="{x}" y="{round(base - h, 1)}" width="{column}" height="{h}" '
            f'fill="{BAR_FILL}" class="chart-bar"/></g>'
        )
        if i in shown_ticks:
            # The last label ends at its column, so it never runs off the right edge.
            last = i == len(rows) - 1 and len(rows) > 1
            tick_x, anchor = (x + column, "end") if last else (x + column / 2, "middle")
            parts.append(
                f'<text x="{round(tick_x, 2)}" y="{base + 18}" text-anchor="{anchor}" '
                f'fill="{TEXT_FILL}" class="chart-tick">{escape(ticks[i])}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
