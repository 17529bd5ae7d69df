"""Bar charts as inline SVG, drawn on the server: no script, no font or file to fetch, and text a
screen reader can reach (role="img" with <title> and <desc>). Every chart on a page also has its data
table beside it (see templates/pages/_macros.html).

Hand-written rather than Vega-Lite or matplotlib: the charts are plain horizontal bars, and building
them as strings costs microseconds, which keeps each page well inside its time budget.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from markupsafe import Markup

PALETTE = ("#1f5f8b", "#b35806", "#2d7f3e", "#6a3d9a", "#8c2d04", "#01665e")  # >= 3:1 against white
TEXT = "#1a1a1a"
WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR_HEIGHT, GAP = 720, 280, 130, 18, 8
_ids = itertools.count(1)

Number = int | float | Decimal


def _shorten(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _frame(title: str, desc: str, height: int, body: list[str], legend: list[str] | None = None) -> Markup:
    n = next(_ids)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-labelledby="chart-{n}-title chart-{n}-desc" '
        f'font-family="system-ui, sans-serif" font-size="13">',
        f'<title id="chart-{n}-title">{escape(title)}</title>',
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>',
        *body,
        *(legend or []),
        "</svg>",
    ]
    return Markup("".join(parts))


def bar_chart(title: str, bars: Sequence[tuple[str, Number | None]], fmt: Callable[[Number], str], desc: str = "") -> Markup:
    """One horizontal bar per (label, value); values of None are listed without a bar."""
    numbers = [float(v) for _, v in bars if v is not None]
    top = max(numbers, default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body, y = [], GAP
    for (label, value), colour in zip(bars, itertools.repeat(PALETTE[0])):
        mid = y + BAR_HEIGHT / 2
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{mid:.1f}" text-anchor="end" dominant-baseline="middle" fill="{TEXT}">'
                    f"<title>{escape(label)}</title>{escape(_shorten(label))}</text>")
        if value is not None:
            width = max(1.0, plot * float(value) / top)
            body.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>')
            body.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{mid:.1f}" dominant-baseline="middle" fill="{TEXT}">'
                        f"{escape(fmt(value))}</text>")
        y += BAR_HEIGHT + GAP
    body.append(f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{y}" stroke="{TEXT}" stroke-width="1"/>')
    return _frame(title, desc or title, y + GAP, body)


def grouped_bar_chart(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Number | None]]],
                      fmt: Callable[[Number], str], desc: str = "") -> Markup:
    """For each category one bar per series (e.g. per funding stream one bar per region), with a legend."""
    numbers = [float(v) for _, values in series for v in values if v is not None]
    top = max(numbers, default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body, y = [], GAP
    legend_y = GAP
    legend = []
    for (name, _), colour in zip(series, itertools.cycle(PALETTE)):
        legend.append(f'<rect x="{LABEL_WIDTH}" y="{legend_y}" width="12" height="12" fill="{colour}"/>'
                      f'<text x="{LABEL_WIDTH + 18}" y="{legend_y + 6}" dominant-baseline="middle" fill="{TEXT}">{escape(name)}</text>')
        legend_y += 18
    y = legend_y + GAP
    for index, category in enumerate(categories):
        group_top = y
        for (name, values), colour in zip(series, itertools.cycle(PALETTE)):
            value = values[index] if index < len(values) else None
            if value is not None:
                width = max(1.0, plot * float(value) / top)
                body.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}">'
                            f"<title>{escape(name)}: {escape(fmt(value))}</title></rect>")
                body.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR_HEIGHT / 2:.1f}" dominant-baseline="middle" '
                            f'fill="{TEXT}">{escape(fmt(value))}</text>')
                y += BAR_HEIGHT + 2
        if y == group_top:
            y += BAR_HEIGHT + 2
        mid = (group_top + y) / 2
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{mid:.1f}" text-anchor="end" dominant-baseline="middle" fill="{TEXT}">'
                    f"<title>{escape(category)}</title>{escape(_shorten(category))}</text>")
        y += GAP * 2
    body.append(f'<line x1="{LABEL_WIDTH}" y1="{legend_y}" x2="{LABEL_WIDTH}" y2="{y}" stroke="{TEXT}" stroke-width="1"/>')
    return _frame(title, desc or title, y + GAP, body, legend)
