"""Server-drawn SVG charts: the geometry here, the markup in templates/tickets/reports/
snippets/. Every chart has a title and a description for screen readers, and its numbers
as a table below it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from tickets.reports.sections import Table

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 48
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# One colour and dash per series, told apart without colour too (and named in the legend).
STYLES = [("#0d6efd", ""), ("#198754", "6 3"), ("#d63384", "2 3"), ("#fd7e14", "8 3 2 3")]


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Series:
    name: str
    points: str  # "x,y x,y ..." for a <polyline>
    colour: str
    dash: str
    legend_y: float


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    colour: str
    label_y: float
    cx: float  # the middle, for its labels


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _number(value: float) -> str:
    # The reader's decimal separator (a comma in Vietnamese).
    return f"{value:g}".replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def _y_ticks(top: float) -> list[Tick]:
    return [
        Tick(pos=TOP + PLOT_H - PLOT_H * i / 4, label=_number(round(top * i / 4, 2)))
        for i in range(5)
    ]


def line_chart(table: Table, *, chart_id: str) -> Chart:
    """One line per numeric column of ``table`` (its first column: the days)."""
    days = [date.fromisoformat(str(row[0])) for row in table.rows]
    names = table.headers[1:]
    values = [[float(row[i + 1] or 0) for row in table.rows] for i in range(len(names))]
    top = _nice_max(max((v for column in values for v in column), default=0))
    n = len(days)

    def x(i: int) -> float:
        return LEFT + (PLOT_W * i / (n - 1) if n > 1 else PLOT_W / 2)

    def y(v: float) -> float:
        return TOP + PLOT_H - PLOT_H * v / top

    step = max(1, math.ceil(n / 6))
    # Day and month in the reader's language and order ("1 March", "1 tháng 3").
    x_ticks = [
        Tick(pos=x(i), label=formats.date_format(days[i], "MONTH_DAY_FORMAT"))
        for i in range(0, n, step)
    ]
    series = [
        Series(
            name=name,
            points=" ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(column)),
            colour=STYLES[k % len(STYLES)][0],
            dash=STYLES[k % len(STYLES)][1],
            legend_y=TOP + 14 * k,
        )
        for k, (name, column) in enumerate(zip(names, values, strict=True))
    ]
    totals = "; ".join(
        _("%(series)s: %(total)s in total, at most %(most)s a day")
        % {
            "series": name,
            "total": _number(sum(column)),
            "most": _number(max(column, default=0)),
        }
        for name, column in zip(names, values, strict=True)
    )
    if days:
        desc = _("Line chart from %(first)s to %(last)s.") % {
            "first": formats.date_format(days[0], "DATE_FORMAT"),
            "last": formats.date_format(days[-1], "DATE_FORMAT"),
        }
    else:
        desc = _("Line chart.")
    return Chart(
        id=chart_id,
        title=table.title,
        desc=f"{desc} {totals}.",
        x_ticks=x_ticks,
        y_ticks=_y_ticks(top),
        series=series,
    )


def bar_chart(table: Table, *, chart_id: str, columns: list[int], unit: str = "%(value)s") -> Chart:
    """Vertical bars: for each row, one bar per column in ``columns`` (label from the row's
    first cell and the column's header). ``unit``: how a value reads, translated by the
    caller ("%(value)s h")."""
    items = [
        (f"{row[0]}: {table.headers[c]}", row[c], k)
        for row in table.rows
        for k, c in enumerate(columns)
    ]
    top = _nice_max(max((float(v or 0) for _l, v, _k in items), default=0))
    slot = PLOT_W / max(len(items), 1)
    bars = []
    for i, (label, value, k) in enumerate(items):
        h = PLOT_H * float(value or 0) / top
        bars.append(
            Bar(
                label=label,
                value_text=_("none") if value is None else unit % {"value": _number(float(value))},
                x=LEFT + slot * i + slot * 0.15,
                y=TOP + PLOT_H - h,
                width=slot * 0.7,
                height=h,
                colour=STYLES[k % len(STYLES)][0],
                label_y=TOP + PLOT_H + 16 + 14 * (i % 2),
                cx=LEFT + slot * i + slot / 2,
            )
        )
    return Chart(
        id=chart_id,
        title=table.title,
        desc=_("Bar chart.") + " " + "; ".join(f"{b.label}: {b.value_text}" for b in bars) + ".",
        y_ticks=_y_ticks(top),
        bars=bars,
    )
