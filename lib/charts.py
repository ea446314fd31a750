"""Charts drawn on the server as SVG markup, without any chart library: a bar chart, a line chart
and a sparkline.

Each function returns a :class:`Chart`: the ``<svg>`` (``role="img"``, named by its ``<title>``
(``aria-labelledby``) and described by a ``<desc>`` that states every value (``aria-describedby``), so a
screen reader reads the title, then the figures), and the rows of the data table a page shows beside it (``{% chart %}`` in
``classroom.templatetags.yorisoi`` renders both). The output is deterministic: the same data
gives the same bytes (tests compare it), and every label is escaped.

The markup has no ``style`` attribute and no script (the coming Content-Security-Policy allows
neither inline): colours are presentation attributes (``fill=``, ``stroke=``) from the app's
palette in ``static/css/yorisoi.css``, each with at least 3:1 contrast on white for marks and 4.5:1
for text, and the classes (``chart-svg``...) let a stylesheet size the picture.

The values are counts, hours or rates: ``None`` (or a value that is not finite) is "no data" (a gap,
and "—" in the table); a negative value is drawn at zero (the table and the text alternative still
state it).
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# The palette of yorisoi.css: --green and --blue for the series (6.4:1 and 8.6:1 on white), --muted
# for text (6.4:1), --line for the grid (a guide, not information).
SERIES_COLOURS = ("#1f6f5c", "#1f4f8a", "#8a5a00")
TEXT_COLOUR = "#56625f"
INK_COLOUR = "#1d2523"
GRID_COLOUR = "#d5dcda"
# Series after the first are told apart without colour too: a dashed line (line chart), and the
# legend and the table name them.
DASHES = ("", "6 4", "2 3")
NO_DATA = "—"

FONT_SIZE = 12
SMALL_FONT_SIZE = 12  # no text under 12 px (issue 15), the values on the bars too


@dataclass(frozen=True)
class Series:
    """One row of values, one per label of the chart."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its SVG, its text alternative and the rows of its data table."""

    id: str
    kind: str
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    label_heading: str
    description: str
    svg: SafeString

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """(label, the values of each series as text) for the data table."""
        return [(label, [format_value(s.values[i], self.unit) for s in self.series])
                for i, label in enumerate(self.labels)]

    @property
    def is_empty(self) -> bool:
        return not _has_data(self.series)

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg


# --- Numbers and text ------------------------------------------------------------------------------------
def format_number(value: float) -> str:
    """1,234 for whole numbers, else at most two decimals (12.5, 0.25): the same text everywhere."""
    if value == int(value):
        return f"{int(value):,}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def format_value(value: float | None, unit: str = "") -> str:
    """A value as the table and the text alternative state it: 12人, 80%, or — for no data."""
    if value is None:
        return NO_DATA
    return f"{format_number(value)}{unit}"


def _japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def _n(value: float) -> str:
    """A coordinate: one decimal at most, no trailing zero (deterministic, short)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of the drawn width of ``text``: wide (CJK) characters take a full em, others about 0.6."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def _has_data(series: Sequence[Series]) -> bool:
    return any(v is not None for s in series for v in s.values)


def _spoken(value: float | None, unit: str) -> str:
    return _("no data") if value is None else format_value(value, unit)


def describe(title: str, labels: Sequence[str], series: Sequence[Series], unit: str = "") -> str:
    """The text alternative: the title, then every value by label, series by series.

    「出席数。4月 12人、5月 15人。」 / "Attendances. April 12, May 15."
    """
    japanese = _japanese()
    comma, stop, space, colon = ("、", "。", "", "：") if japanese else (", ", ".", " ", ": ")
    if not labels or not _has_data(series):
        return f"{title}{stop}{space}{_('No data.')}"
    sentences = [f"{title}{stop}"]
    for s in series:
        values = comma.join(f"{label} {_spoken(v, unit)}" for label, v in zip(labels, s.values, strict=True))
        prefix = f"{s.label}{colon}" if len(series) > 1 else ""
        sentences.append(f"{prefix}{values}{stop}")
    return space.join(sentences)


# --- Scales ----------------------------------------------------------------------------------------------------
def nice_scale(maximum: float, ticks: int = 4, *, whole: bool = False) -> tuple[float, float]:
    """(top of the axis, step between gridlines): a round step (1, 2 or 5 times a power of ten) so that
    at most about ``ticks`` steps reach ``maximum``; a step of at least 1 for ``whole`` numbers (counts);
    (ticks, 1) when there is nothing above zero."""
    if maximum <= 0:
        return float(ticks), 1.0
    raw = maximum / ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    if whole:
        step = max(step, 1.0)
    if step >= 1:
        step = float(round(step))
    top = step * math.ceil(maximum / step - 1e-9)
    return top, step


def _series_of(series: Sequence[Series] | Mapping[str, Sequence[float | None]], count: int) -> tuple[Series, ...]:
    if isinstance(series, Mapping):
        series = [Series(label, tuple(values)) for label, values in series.items()]
    result = []
    for s in series:
        values = tuple(None if v is None or not math.isfinite(float(v)) else float(v) for v in s.values)
        if len(values) != count:
            raise ValueError(f"series {s.label!r} has {len(values)} values for {count} labels")
        result.append(Series(str(s.label), values))
    return tuple(result)


def _chart_id(kind: str, title: str, labels, series) -> str:
    source = repr((kind, title, tuple(labels), [(s.label, s.values) for s in series]))
    return "chart-" + hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:10]


def _open_svg(chart_id: str, kind: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-svg--{kind}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = FONT_SIZE,
          colour: str = TEXT_COLOUR, css: str = "") -> str:
    css_attr = f' class="{css}"' if css else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" fill="{colour}"{css_attr}>'
            f"{escape(text)}</text>")


# --- The frame both the bar and the line chart draw on ----------------------------------------------------------
@dataclass
class _Frame:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    maximum: float
    step: float
    count: int

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def band(self) -> float:
        return self.plot_width / max(self.count, 1)

    def x_centre(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)

    def y(self, value: float) -> float:
        value = min(max(value, 0.0), self.maximum)
        return self.top + self.plot_height * (1 - value / self.maximum)

    @property
    def baseline(self) -> float:
        return self.top + self.plot_height


def _frame(labels, series, *, width: int, height: int, unit: str) -> _Frame:
    values = [v for s in series for v in s.values if v is not None]
    maximum, step = nice_scale(max(values, default=0.0), whole=all(v == int(v) for v in values))
    tick_labels = [format_value(step * i, unit) for i in range(int(round(maximum / step)) + 1)]
    left = 8 + max(text_width(t) for t in tick_labels) + 6
    top = 14 + (22 if len(series) > 1 else 0)
    return _Frame(width=width, height=height, left=left, right=12, top=top, bottom=30, maximum=maximum, step=step,
                  count=len(labels))


def _axes(frame: _Frame, labels: Sequence[str], unit: str) -> list[str]:
    """Gridlines with their values on the left, the baseline, and the labels under the bands (thinned
    to every second, third... label when they would overlap)."""
    parts = ['<g class="chart-svg__grid">']
    ticks = int(round(frame.maximum / frame.step))
    for i in range(ticks + 1):
        value = frame.step * i
        y = frame.y(value)
        colour = TEXT_COLOUR if i == 0 else GRID_COLOUR
        parts.append(f'<line x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.width - frame.right)}" y2="{_n(y)}" '
                     f'stroke="{colour}" stroke-width="1"/>')
        parts.append(_text(frame.left - 6, y + 4, format_value(value, unit), anchor="end"))
    parts.append("</g>")
    widest = max((text_width(label) for label in labels), default=0)
    every = max(1, math.ceil((widest + 6) / frame.band)) if frame.band else 1
    parts.append('<g class="chart-svg__labels">')
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(_text(frame.x_centre(i), frame.baseline + 18, label))
    parts.append("</g>")
    return parts


def _legend(series: Sequence[Series], frame: _Frame, *, line: bool) -> list[str]:
    if len(series) < 2:
        return []
    parts = ['<g class="chart-svg__legend">']
    x = frame.left
    for index, s in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        if line:
            dash = DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<line x1="{_n(x)}" y1="12" x2="{_n(x + 18)}" y2="12" stroke="{colour}" stroke-width="2.5"'
                         f"{dash_attr}/>")
        else:
            parts.append(f'<rect x="{_n(x)}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 24, 16, s.label, anchor="start", colour=INK_COLOUR))
        x += 24 + text_width(s.label) + 18
    parts.append("</g>")
    return parts


def _no_data(parts: list[str], width: int, height: int) -> None:
    parts.append(_text(width / 2, height / 2 + 4, _("No data."), css="chart-svg__empty"))


def _chart(kind, *, title, labels, series, unit, label_heading, chart_id, width, height, draw) -> Chart:
    labels = tuple(str(label) for label in labels)
    series = _series_of(series, len(labels))
    description = describe(title, labels, series, unit)
    chart_id = chart_id or _chart_id(kind, title, labels, series)
    parts = _open_svg(chart_id, kind, width, height, title, description)
    if labels and _has_data(series):
        draw(parts, labels, series)
    else:
        _no_data(parts, width, height)
    parts.append("</svg>")
    return Chart(id=chart_id, kind=kind, title=title, labels=labels, series=series, unit=unit,
                 label_heading=label_heading, description=description, svg=mark_safe("".join(parts)))  # every text escaped above


# --- The charts ----------------------------------------------------------------------------------------------------
def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series] | Mapping[str, Sequence[float | None]],
    unit: str = "",
    label_heading: str = "",
    chart_id: str | None = None,
    width: int = 640,
    height: int = 260,
) -> Chart:
    """Bars per label (the months of a year, say), one or several series side by side.

    ``series``: ``[Series("出席数", (12, 15, ...)), ...]`` or ``{"出席数": [12, 15, ...]}``, one value per label.
    """
    def draw(parts, labels, series):
        frame = _frame(labels, series, width=width, height=height, unit=unit)
        parts += _legend(series, frame, line=False)
        parts += _axes(frame, labels, unit)
        group = frame.band * 0.72
        bar = group / len(series)
        show_values = bar >= 18
        for index, s in enumerate(series):
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            parts.append(f'<g class="chart-svg__series chart-svg__series--{index + 1}" fill="{colour}">')
            for i, value in enumerate(s.values):
                if value is None:
                    continue
                x = frame.x_centre(i) - group / 2 + bar * index
                top = frame.y(value)
                tall = frame.baseline - top
                if tall < 1.5:  # a zero stays visible as a sliver on the baseline, unlike "no data"
                    top, tall = frame.baseline - 1.5, 1.5
                label = f"{labels[i]} {s.label}: {format_value(value, unit)}"
                parts.append(f'<rect x="{_n(x + 1)}" y="{_n(top)}" width="{_n(max(bar - 2, 1))}" height="{_n(tall)}">'
                             f"<title>{escape(label)}</title></rect>")
                if show_values:
                    parts.append(_text(x + bar / 2, top - 4, format_number(value), size=SMALL_FONT_SIZE,
                                       colour=INK_COLOUR))
            parts.append("</g>")

    return _chart("bar", title=title, labels=labels, series=series, unit=unit, label_heading=label_heading,
                  chart_id=chart_id, width=width, height=height, draw=draw)


def _segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points: a missing value breaks the line."""
    runs, current = [], []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return runs


def _polyline(run: Sequence[tuple[float, float]], colour: str, *, width: float, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
    return (f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{_n(width)}" '
            f'stroke-linejoin="round" stroke-linecap="round"{dash_attr}/>')


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series] | Mapping[str, Sequence[float | None]],
    unit: str = "",
    label_heading: str = "",
    chart_id: str | None = None,
    width: int = 640,
    height: int = 260,
) -> Chart:
    """Lines through the values of each series, a marker on every point; a missing value breaks the line."""
    def draw(parts, labels, series):
        frame = _frame(labels, series, width=width, height=height, unit=unit)
        parts += _legend(series, frame, line=True)
        parts += _axes(frame, labels, unit)
        for index, s in enumerate(series):
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            points = [None if v is None else (frame.x_centre(i), frame.y(v)) for i, v in enumerate(s.values)]
            parts.append(f'<g class="chart-svg__series chart-svg__series--{index + 1}">')
            for run in _segments(points):
                if len(run) > 1:
                    parts.append(_polyline(run, colour, width=2.5, dash=DASHES[index % len(DASHES)]))
            for i, point in enumerate(points):
                if point is None:
                    continue
                label = f"{labels[i]} {s.label}: {format_value(s.values[i], unit)}"
                parts.append(f'<circle cx="{_n(point[0])}" cy="{_n(point[1])}" r="3.5" fill="{colour}">'
                             f"<title>{escape(label)}</title></circle>")
            parts.append("</g>")

    return _chart("line", title=title, labels=labels, series=series, unit=unit, label_heading=label_heading,
                  chart_id=chart_id, width=width, height=height, draw=draw)


def sparkline(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str = "",
    maximum: float | None = None,
    label_heading: str = "",
    chart_id: str | None = None,
    width: int = 132,
    height: int = 36,
) -> Chart:
    """A small line without axes (a trend beside a figure): the baseline at zero, the top at ``maximum``
    (the largest value when None), a dot on the latest value. The text alternative states every value."""
    series_label = title

    def draw(parts, labels, series):
        pad = 4.0
        top = maximum if maximum is not None else max((v for v in series[0].values if v is not None), default=0.0)
        top = top if top > 0 else 1.0
        step = (width - 2 * pad) / max(len(labels) - 1, 1)

        def point(i, v):
            x = pad + step * i if len(labels) > 1 else width / 2
            return x, pad + (height - 2 * pad) * (1 - min(max(v, 0.0), top) / top)

        points = [None if v is None else point(i, v) for i, v in enumerate(series[0].values)]
        parts.append(f'<line x1="{_n(pad)}" y1="{_n(height - pad)}" x2="{_n(width - pad)}" y2="{_n(height - pad)}" '
                     f'stroke="{GRID_COLOUR}" stroke-width="1"/>')
        colour = SERIES_COLOURS[0]
        for run in _segments(points):
            if len(run) > 1:
                parts.append(_polyline(run, colour, width=2))
            else:  # a single month between gaps: a dot, so that it is seen
                parts.append(f'<circle cx="{_n(run[0][0])}" cy="{_n(run[0][1])}" r="2" fill="{colour}"/>')
        last = next((p for p in reversed(points) if p is not None), None)
        if last is not None:
            parts.append(f'<circle cx="{_n(last[0])}" cy="{_n(last[1])}" r="3" fill="{colour}" class="chart-svg__last"/>')

    return _chart("sparkline", title=title, labels=labels, series=[Series(series_label, tuple(values))], unit=unit,
                  label_heading=label_heading, chart_id=chart_id, width=width, height=height, draw=draw)
