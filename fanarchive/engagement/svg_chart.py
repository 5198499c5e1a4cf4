"""A bar chart as inline SVG, drawn on the server (no script, no library, no inline style).

Accessible: the <svg> is an image whose <title> and <desc> say what it shows; the page
puts the same numbers in a table beside it for screen readers and for copying. Colours
come from the stylesheet via `currentColor` and class names.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 240
MARGIN_LEFT = 48  # room for the scale
MARGIN_BOTTOM = 28  # room for the first and last labels
MARGIN_TOP = 12


def nice_ceiling(value: int) -> int:
    """The scale's top: 1, 2 or 5 times a power of ten, at least `value` (and at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return max(1, step * factor)
        step *= 10


def bar_chart(
    points: Sequence[tuple[str, int]], *, title: str, description: str, chart_id: str
) -> SafeString:
    """An SVG bar chart of (label, value) pairs, left to right; every text is escaped."""
    top = nice_ceiling(max((value for _, value in points), default=0))
    plot_width = WIDTH - MARGIN_LEFT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / max(1, len(points))
    bar = max(1.0, slot * 0.8)
    chart_id = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    baseline = MARGIN_TOP + plot_height
    for fraction in (0, 0.5, 1):  # the scale: 0, half and top
        y = baseline - plot_height * fraction
        label = f"{top * fraction:g}"
        parts.append(
            f'<line class="chart-grid" x1="{MARGIN_LEFT}" x2="{WIDTH}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="currentColor" stroke-opacity="0.2"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="currentColor">{escape(label)}</text>'
        )
    for position, (label, value) in enumerate(points):
        height = plot_height * value / top
        x = MARGIN_LEFT + position * slot + (slot - bar) / 2
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{baseline - height:.1f}" '
            f'width="{bar:.1f}" height="{height:.1f}" fill="currentColor">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
    if points:
        first, last = points[0][0], points[-1][0]
        parts.append(
            f'<text x="{MARGIN_LEFT}" y="{HEIGHT - 8}" font-size="12" '
            f'fill="currentColor">{escape(first)}</text>'
            f'<text x="{WIDTH}" y="{HEIGHT - 8}" text-anchor="end" font-size="12" '
            f'fill="currentColor">{escape(last)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built above, every text escaped
