"""Small SVG charts for the statistics pages: bars and lines over twelve months, horizontal bars per organisation.

The result is an inline ``<svg>`` element: no script, no external resource (fonts, styles and images are the
page's or none), every text escaped. Each chart is an image with a name and a description (``role="img"``,
``<title>``, ``<desc>``, ``aria-labelledby``); each bar and point has its own ``<title>`` with its label and value,
and values are also written as text. The page shows the same figures in a table next to the chart: the table
is the accessible equivalent, the chart a picture of it.

Chinese text: widths are estimated at one em for a CJK character and 0.6 em otherwise, and the font is the page's
(a CJK-capable list is given for the SVG opened on its own).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def _labelled(label: str, value: str) -> str:
    """A point's or a bar's pop-up text: "label：value" in Chinese, "label: value" in English."""
    return gettext("%(label)s：%(value)s") % {"label": label, "value": value}


# Okabe–Ito colours: told apart with the common colour-vision deficiencies; series differ in dash and marker too.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
DASHES = ("", "6 4", "2 3", "8 3 2 3")
FONT = "system-ui, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
FONT_SIZE = 12
WIDTH = 640
PLOT_HEIGHT = 200

_ID = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None: no value (a month without data)


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Estimated width of ``text``: CJK and full-width characters are one em, the others 0.6 em."""
    return sum(size if _wide(character) else size * 0.6 for character in text)


def _wide(character: str) -> bool:
    code = ord(character)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or 0x3400 <= code <= 0x4DBF


def format_value(value: float | None, *, percent: bool = False) -> str:
    """12 → "12", 5.5 → "5.5", with ``percent`` 0.875 → "87.5%"; None → "—"."""
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.1f}".removesuffix(".0") + "%"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".removesuffix(".0")


def nice_max(value: float) -> float:
    """The top of the scale: 1, 2 or 5 times a power of ten, at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _ticks(top: float, percent: bool) -> list[float]:
    """The grid values: quarters of 100 %, or whole numbers (four or five steps when the top allows)."""
    if percent:
        return [0, 0.25, 0.5, 0.75, 1]
    steps = next((steps for steps in (4, 5, 2) if float(top / steps).is_integer()), 1)
    return [top * i / steps for i in range(steps + 1)]


def _n(number: float) -> str:
    """A coordinate, short."""
    return f"{number:.1f}".removesuffix(".0")


def _open(chart_id: str, width: float, height: float, title: str, description: str) -> list[str]:
    if not _ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r}: lowercase letters, digits and hyphens, starting with a letter")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" '
        f'font-family="{escape(FONT)}" font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int | None = None, extra: str = "") -> str:
    size_attribute = f' font-size="{size}"' if size else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="currentColor"{size_attribute}{extra}>'
        f"{escape(text)}</text>"
    )


def _legend(series: Sequence[Series], x: float, y: float, *, lines: bool) -> list[str]:
    parts = []
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        if lines:
            dash = DASHES[index % len(DASHES)]
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 18)}" y2="{_n(y - 4)}" stroke="{colour}" '
                f'stroke-width="2"{dash_attribute}/>'
            )
        else:
            parts.append(f'<rect x="{_n(x + 4)}" y="{_n(y - 10)}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 24, y, one.name, anchor="start"))
        x += 24 + text_width(one.name) + 16
    return parts


def _frame(
    labels: Sequence[str], top: float, percent: bool, left: float, plot_top: float, plot_width: float
) -> list[str]:
    """Grid lines with their values on the left, the labels under the plot."""
    parts = []
    bottom = plot_top + PLOT_HEIGHT
    for tick in _ticks(top, percent):
        y = bottom - PLOT_HEIGHT * tick / top
        parts.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_width)}" y2="{_n(y)}" '
            f'stroke="currentColor" stroke-opacity="{0.6 if tick == 0 else 0.15}"/>'
        )
        parts.append(_text(left - 6, y + 4, format_value(tick, percent=percent), anchor="end"))
    slot = plot_width / len(labels)
    for index, label in enumerate(labels):
        parts.append(_text(left + slot * (index + 0.5), bottom + 18, label))
    return parts


def _scale(series: Sequence[Series], percent: bool) -> float:
    if percent:
        return 1
    return nice_max(max((value for one in series for value in one.values if value is not None), default=0))


def _left_margin(top: float, percent: bool) -> float:
    return max(text_width(format_value(tick, percent=percent)) for tick in _ticks(top, percent)) + 14


def _plot(chart_id, title, description, labels, series, percent: bool, *, lines: bool):
    """What a bar and a line chart share: the scale, the margins, the opening, the legend, the axes and grid.
    Returns (top of the scale, left edge and bottom of the plot, width of one label's slot, the SVG so far)."""
    top = _scale(series, percent)
    left = _left_margin(top, percent)
    plot_top, plot_width = 36, WIDTH - left - 12
    bottom = plot_top + PLOT_HEIGHT
    parts = _open(chart_id, WIDTH, bottom + 28, title, description)
    parts += _legend(series, left, 16, lines=lines)
    parts += _frame(labels, top, percent, left, plot_top, plot_width)
    return top, left, bottom, plot_width / len(labels), parts


def bar_chart(
    chart_id: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    percent: bool = False,
) -> SafeString:
    """Vertical bars, one group per label, one bar per series, with the value written above each bar."""
    top, left, bottom, slot, parts = _plot(chart_id, title, description, labels, series, percent, lines=False)
    bar = slot * 0.8 / len(series)
    for index, label in enumerate(labels):
        for number, one in enumerate(series):
            value = one.values[index]
            if value is None:
                continue
            height = PLOT_HEIGHT * value / top
            x = left + slot * index + slot * 0.1 + bar * number
            shown = format_value(value, percent=percent)
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(bottom - height)}" width="{_n(bar)}" height="{_n(height)}" '
                f'fill="{PALETTE[number % len(PALETTE)]}">'
                f"<title>{escape(_labelled(f'{label} {one.name}', shown))}</title></rect>"
            )
            parts.append(_text(x + bar / 2, bottom - height - 3, shown, size=10))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def line_chart(
    chart_id: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    percent: bool = False,
) -> SafeString:
    """Lines through the values, broken where a value is missing, with a marker and the value at each point."""
    top, left, bottom, slot, parts = _plot(chart_id, title, description, labels, series, percent, lines=True)
    for number, one in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        points = [
            (left + slot * (index + 0.5), bottom - PLOT_HEIGHT * value / top if value is not None else None)
            for index, value in enumerate(one.values)
        ]
        run: list[str] = []
        for x, y in [*points, (0, None)]:
            if y is None:
                if len(run) > 1:
                    parts.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"'
                        f"{dash_attribute}/>"
                    )
                run = []
            else:
                run.append(f"{_n(x)},{_n(y)}")
        for index, (x, y) in enumerate(points):
            if y is None:
                continue
            shown = format_value(one.values[index], percent=percent)
            marker = (
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{colour}">'
                if number % 2 == 0
                else f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{colour}">'
            )
            closing = "</circle>" if number % 2 == 0 else "</rect>"
            parts.append(f"{marker}<title>{escape(_labelled(f'{labels[index]} {one.name}', shown))}</title>{closing}")
            # Odd series write their values under the points (apart from the even ones'), unless at the axis.
            below = number % 2 == 1 and y + 16 < bottom - 2
            parts.append(_text(x, y + 16 if below else y - 7, shown, size=10))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def hbar_chart(
    chart_id: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    percent: bool = False,
) -> SafeString:
    """Horizontal bars, one per label (long labels such as organisation names), the value after each bar."""
    top = _scale([Series("", values)], percent)
    left = min(max((text_width(label) for label in labels), default=0), 300) + 12
    row, plot_top = 24, 8
    plot_width = WIDTH - left - 60
    height = plot_top + row * len(labels) + 24
    parts = _open(chart_id, WIDTH, height, title, description)
    axis_y = plot_top + row * len(labels)
    for tick in _ticks(top, percent):
        x = left + plot_width * tick / top
        parts.append(
            f'<line x1="{_n(x)}" y1="{plot_top}" x2="{_n(x)}" y2="{_n(axis_y)}" stroke="currentColor" '
            f'stroke-opacity="{0.6 if tick == 0 else 0.15}"/>'
        )
        parts.append(_text(x, axis_y + 16, format_value(tick, percent=percent)))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = plot_top + row * index
        parts.append(_text(left - 8, y + row / 2 + 4, label, anchor="end"))
        shown = format_value(value, percent=percent)
        if value is not None:
            length = plot_width * value / top
            parts.append(
                f'<rect x="{_n(left)}" y="{_n(y + 4)}" width="{_n(length)}" height="{row - 8}" fill="{PALETTE[0]}">'
                f"<title>{escape(_labelled(label, shown))}</title></rect>"
            )
        else:
            length = 0
        parts.append(_text(left + length + 4, y + row / 2 + 4, shown, anchor="start", size=10))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
