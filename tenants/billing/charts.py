"""Small SVG charts drawn on the server: no JavaScript, no CDN, readable without colour
(each chart also carries its numbers as a table for screen readers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD = 640, 220, 36
COLOURS = ["#1d4ed8", "#15803d", "#b45309", "#b91c1c", "#6d28d9", "#0f766e"]


def _scale(values: list[float]) -> float:
    top = max(values or [0.0])
    return top if top > 0 else 1.0


def _x(index: int, count: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (index / max(count - 1, 1))


def _y(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top)


def _frame(label: str, body: str, days: list[date], top: float, table: str) -> SafeString:
    first = days[0].isoformat() if days else ""
    last = days[-1].isoformat() if days else ""
    numbers = _("The numbers")  # a plain call: gettext tools miss one inside an f-string
    svg = (
        f'<figure class="chart"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" width="100%" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(label)}</title>"
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"'
        ' stroke="#666"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#666"/>'
        f'<text x="{PAD - 4}" y="{PAD + 4}" font-size="11" text-anchor="end">{top:g}</text>'
        f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" font-size="11" text-anchor="end">0</text>'
        f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="11">{first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 12}" font-size="11" text-anchor="end">{last}</text>'
        f"{body}</svg>"
        f"<figcaption>{escape(label)}</figcaption>"
        f"<details><summary>{escape(numbers)}</summary>{table}</details></figure>"
    )
    return mark_safe(svg)  # noqa: S308 - every text is escaped above


def line_chart(points: list[tuple[date, Decimal | int]], *, label: str) -> SafeString:
    days = [day for day, _ in points]
    values = [float(value) for _, value in points]
    top = _scale(values)
    coords = " ".join(f"{_x(i, len(values)):.1f},{_y(v, top):.1f}" for i, v in enumerate(values))
    body = (
        f'<polyline fill="none" stroke="{COLOURS[0]}" stroke-width="2" points="{coords}"/>'
        if coords
        else ""
    )
    rows = "".join(f"<tr><td>{d.isoformat()}</td><td>{v}</td></tr>" for d, v in points)
    table = f"<table><tr><th>{escape(_('Day'))}</th><th>{escape(label)}</th></tr>{rows}</table>"
    return _frame(label, body, days, top, table)


def stacked_chart(
    points: list[tuple[date, dict[str, int]]],
    *,
    series: list[str],
    label: str,
    names: dict[str, str] | None = None,
) -> SafeString:
    """One line per series (statuses), with a legend; ``names`` are what the reader sees of
    each series (the series themselves are the stored codes)."""
    names = names or {}
    days = [day for day, _ in points]
    top = _scale([float(v) for _, values in points for v in values.values()])
    body = []
    for number, name in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        coords = " ".join(
            f"{_x(i, len(points)):.1f},{_y(float(values.get(name, 0)), top):.1f}"
            for i, (_, values) in enumerate(points)
        )
        if coords:
            dash = ' stroke-dasharray="5 3"' if number % 2 else ""
            body.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash}'
                f' points="{coords}"/>'
            )
        body.append(
            f'<rect x="{WIDTH - 150}" y="{PAD + number * 16 - 9}" width="10" height="10"'
            f' fill="{colour}"/>'
            f'<text x="{WIDTH - 135}" y="{PAD + number * 16}" font-size="11">'
            f"{escape(names.get(name, name))}</text>"
        )
    header = "".join(f"<th>{escape(names.get(name, name))}</th>" for name in series)
    rows = "".join(
        f"<tr><td>{d.isoformat()}</td>"
        + "".join(f"<td>{v.get(name, 0)}</td>" for name in series)
        + "</tr>"
        for d, v in points
    )
    table = f"<table><tr><th>{escape(_('Day'))}</th>{header}</tr>{rows}</table>"
    return _frame(label, "".join(body), days, top, table)
