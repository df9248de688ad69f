"""Small SVG charts drawn on the server: horizontal bars and a two-line weekly trend.

Our own module rather than pygal (which is on the package lists): pygal's SVG carries an
inline <style> and fetches its tooltip script from a CDN by default, both refused by
the site's strict CSP, and it does not mirror a chart for right-to-left languages.
Here colours come from classes in static/css/helpdesk.css, every chart has a <title>
and a <desc> (its text alternative), and with `rtl` the picture is mirrored: bars grow
from the right and time runs from right to left. The numbers are in the table beside.
"""

from collections.abc import Sequence
from itertools import count

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
BAR = 22
GAP = 8
LABEL = 220  # the labels' column
_ids = count(1)


def _frame(title: str, description: str, height: int, body: SafeString) -> SafeString:
    number = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" direction="ltr" '
        'aria-labelledby="chart-t{} chart-d{}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-t{}">{}</title><desc id="chart-d{}">{}</desc>{}</svg>',
        WIDTH,
        height,
        number,
        number,
        number,
        title,
        number,
        description,
        body,
    )


# Characters of a label that fit its column at the charts' 14px (about 8 units each).
LABEL_CHARACTERS = 26


def _short(text: str, limit: int = LABEL_CHARACTERS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars(
    title: str, description: str, items: Sequence[tuple[str, float]], *, rtl: bool = False
) -> SafeString:
    """One horizontal bar per (label, value), longest first as given."""
    height = max(1, len(items)) * (BAR + GAP) + GAP
    top = max((value for _label, value in items), default=0) or 1
    room = WIDTH - LABEL - 60
    parts = []
    for row, (label, value) in enumerate(items):
        y = GAP + row * (BAR + GAP) + BAR / 2
        length = round(room * value / top) if value else 0
        if rtl:  # labels in the right column, bars growing leftwards
            label_x, bar_x = WIDTH - 6, WIDTH - LABEL - length
            value_x, value_anchor = bar_x - 6, "end"
        else:
            label_x, bar_x = LABEL - 6, LABEL
            value_x, value_anchor = LABEL + length + 6, "start"
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end" '
                'dominant-baseline="middle">{}</text>'
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>'
                '<text class="chart-value" x="{}" y="{}" text-anchor="{}" '
                'dominant-baseline="middle">{}</text>',
                label_x,
                y,
                _short(label),
                bar_x,
                y - BAR / 2,
                length,
                BAR,
                value_x,
                y,
                value_anchor,
                number_format(value),
            )
        )
    return _frame(title, description, height, mark_safe("".join(parts)))  # noqa: S308 - parts escaped above


def trend(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    rtl: bool = False,
) -> SafeString:
    """Lines over time: `series` is (name, css class, values per label)."""
    height, left, right, top, bottom = 260, 40, 12, 30, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = max((max(values, default=0) for _n, _c, values in series), default=0) or 1
    steps = max(1, len(labels) - 1)

    def x(index: int) -> float:
        offset = plot_w * index / steps
        return round(WIDTH - right - offset if rtl else left + offset, 1)

    def y(value: float) -> float:
        return round(top + plot_h - plot_h * value / peak, 1)

    parts = [
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
            '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>'
            '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">0</text>',
            left,
            top + plot_h,
            WIDTH - right,
            top + plot_h,
            x(0) if not rtl else WIDTH - right - 14,
            top - 8,
            number_format(peak),
            x(0) if not rtl else WIDTH - right - 14,
            top + plot_h + 14,
        )
    ]
    # A date under the first, the middle and the last week; those at an edge end there
    # rather than run over it.
    for index in sorted({0, len(labels) // 2, len(labels) - 1}):
        if 0 <= index < len(labels):
            at = x(index)
            anchor = "start" if at < WIDTH / 3 else "end" if at > WIDTH * 2 / 3 else "middle"
            parts.append(
                format_html(
                    '<text class="chart-tick" x="{}" y="{}" text-anchor="{}">{}</text>',
                    at,
                    height - bottom + 30,
                    anchor,
                    labels[index],
                )
            )
    for number, (name, css, values) in enumerate(series):
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        parts.append(
            format_html('<polyline class="chart-line {}" points="{}"></polyline>', css, points)
        )
        legend_x = WIDTH - right - 150 - 150 * number if rtl else left + 10 + 150 * number
        parts.append(
            format_html(
                '<rect class="{}" x="{}" y="6" width="12" height="12"></rect>'
                '<text class="chart-label" x="{}" y="16">{}</text>',
                css,
                legend_x,
                legend_x + 18,
                name,
            )
        )
    return _frame(title, description, height, mark_safe("".join(parts)))  # noqa: S308 - parts escaped above
