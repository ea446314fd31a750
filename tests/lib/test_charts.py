"""Server-side SVG charts: accessible, escaped, deterministic, no inline style, and sane at the edges."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation

from lib import charts

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["4月", "5月", "6月"]


def parse(chart: charts.Chart) -> ET.Element:
    """The SVG parses as XML (so every label was escaped) and is an accessible image."""
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get('id') and root.get("aria-describedby") == desc.get('id')
    assert root.get("viewBox")
    return root


def assert_no_inline_style_or_script(chart: charts.Chart) -> None:
    markup = str(chart.svg)
    assert "style=" not in markup and "<style" not in markup and "<script" not in markup
    assert not re.search(r"\son\w+=", markup)  # no event handler attribute


ALL = [
    lambda **kw: charts.bar_chart(title="出席数", labels=MONTHS, series={"出席数": [12, 15, 9]}, **kw),
    lambda **kw: charts.line_chart(title="出席数", labels=MONTHS, series={"出席数": [12, 15, 9]}, **kw),
    lambda **kw: charts.sparkline(title="出席率", labels=MONTHS, values=[80, 75, 100], unit="%", maximum=100, **kw),
]


@pytest.mark.parametrize("make", ALL)
def test_every_chart_is_an_accessible_image_without_inline_style(make):
    chart = make()
    root = parse(chart)
    assert root.find(f"{SVG}title").text
    assert_no_inline_style_or_script(chart)


@pytest.mark.parametrize("make", ALL)
def test_the_output_is_deterministic(make):
    assert str(make().svg) == str(make().svg)
    assert make().id == make().id


def test_the_text_alternative_states_every_value_in_japanese_and_english():
    make = ALL[0]
    with translation.override("ja"):
        chart = make()
    assert chart.description == "出席数。4月 12、5月 15、6月 9。"
    assert parse(chart).find(f"{SVG}desc").text == chart.description
    with translation.override("en"):
        chart = charts.bar_chart(title="Attendances", labels=["Apr", "May"], series={"Attendances": [12, None]})
    assert chart.description == "Attendances. Apr 12, May no data."


def test_two_series_are_named_in_the_text_legend_and_table():
    with translation.override("ja"):
        chart = charts.bar_chart(title="出席と登録", labels=MONTHS, unit="人",
                                 series=[charts.Series("出席", (12, 15, 9)), charts.Series("登録", (20, 20, 21))])
    assert chart.description == "出席と登録。出席：4月 12人、5月 15人、6月 9人。登録：4月 20人、5月 20人、6月 21人。"
    root = parse(chart)
    legend = root.find(f".//{SVG}g[@class='chart-svg__legend']")
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["出席", "登録"]
    assert chart.rows == [("4月", ["12人", "20人"]), ("5月", ["15人", "20人"]), ("6月", ["9人", "21人"])]
    fills = {g.get("fill") for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("chart-svg__series ")}
    assert fills == {charts.SERIES_COLOURS[0], charts.SERIES_COLOURS[1]}


def test_the_second_line_is_dashed_so_colour_is_not_the_only_difference():
    chart = charts.line_chart(title="t", labels=MONTHS, series={"a": [1, 2, 3], "b": [3, 2, 1]})
    lines = parse(chart).findall(f".//{SVG}polyline")
    assert [line.get("stroke-dasharray") for line in lines] == [None, "6 4"]


def test_labels_and_titles_are_escaped():
    hostile = '<script>alert("x")</script> & </svg>'
    for make in (charts.bar_chart, charts.line_chart):
        chart = make(title=hostile, labels=[hostile, "b"], series={hostile: [1, 2], "other": [2, 1]})
        root = parse(chart)
        assert "<script" not in str(chart.svg)
        assert root.find(f"{SVG}title").text == hostile
    spark = charts.sparkline(title=hostile, labels=[hostile], values=[1])
    assert parse(spark).find(f"{SVG}title").text == hostile


def test_the_bars_are_as_tall_as_their_values():
    chart = charts.bar_chart(title="t", labels=["a", "b", "c"], series={"s": [10, 20, 40]}, chart_id="c")
    heights = [float(r.get("height")) for r in parse(chart).iter(f"{SVG}rect")]
    assert heights[1] == pytest.approx(heights[0] * 2, abs=0.2)
    assert heights[2] == pytest.approx(heights[0] * 4, abs=0.2)


@pytest.mark.parametrize("make", [charts.bar_chart, charts.line_chart])
@pytest.mark.parametrize("labels, values", [([], []), (MONTHS, [None, None, None])])
def test_empty_data_says_so(make, labels, values):
    with translation.override("en"):
        chart = make(title="Hours", labels=labels, series={"Hours": values})
    root = parse(chart)
    assert chart.is_empty
    assert chart.description == "Hours. No data."
    assert [t.text for t in root.iter(f"{SVG}text")] == ["No data."]


def test_an_empty_sparkline_says_so():
    with translation.override("en"):
        chart = charts.sparkline(title="Rate", labels=MONTHS, values=[None, None, None], unit="%")
    assert chart.description == "Rate. No data."
    assert parse(chart).find(f".//{SVG}polyline") is None


def test_a_single_point_is_drawn():
    line = parse(charts.line_chart(title="t", labels=["4月"], series={"s": [5]}))
    assert len(line.findall(f".//{SVG}circle")) == 1 and line.find(f".//{SVG}polyline") is None
    bar = parse(charts.bar_chart(title="t", labels=["4月"], series={"s": [5]}))
    assert len(bar.findall(f".//{SVG}rect")) == 1
    spark = parse(charts.sparkline(title="t", labels=["4月"], values=[5]))
    assert spark.findall(f".//{SVG}circle")


def test_zeros_show_as_a_sliver_and_missing_values_as_nothing():
    chart = charts.bar_chart(title="t", labels=MONTHS, series={"s": [0, None, 0]})
    rects = parse(chart).findall(f".//{SVG}rect")
    assert len(rects) == 2 and all(float(r.get("height")) == 1.5 for r in rects)
    assert chart.rows == [("4月", ["0"]), ("5月", ["—"]), ("6月", ["0"])]


def test_large_values_get_a_round_scale_with_separators():
    chart = charts.bar_chart(title="t", labels=["a", "b"], series={"s": [1_234_567, 10]})
    texts = [t.text for t in parse(chart).iter(f"{SVG}text")]
    assert "1,500,000" in texts and "1,234,567" in texts
    assert chart.rows[0] == ("a", ["1,234,567"])


def test_a_line_breaks_where_a_value_is_missing():
    chart = charts.line_chart(title="t", labels=["a", "b", "c", "d", "e"], series={"s": [1, 2, None, 3, 4]})
    assert len(parse(chart).findall(f".//{SVG}polyline")) == 2


def test_infinite_and_negative_values_never_break_the_drawing():
    chart = charts.bar_chart(title="t", labels=["a", "b", "c"], series={"s": [float("inf"), -3, 4]})
    assert chart.rows == [("a", ["—"]), ("b", ["-3"]), ("c", ["4"])]
    assert all(float(r.get("height")) >= 0 for r in parse(chart).iter(f"{SVG}rect"))


def test_a_series_of_the_wrong_length_is_a_programming_error():
    with pytest.raises(ValueError):
        charts.bar_chart(title="t", labels=MONTHS, series={"s": [1, 2]})


@pytest.mark.parametrize("maximum, whole, expected", [
    (0, True, (4, 1)), (3, True, (3, 1)), (7, True, (8, 2)), (100, False, (100, 50)), (1, False, (1, 0.5)),
    (0.3, False, (0.3, 0.1)), (1_234_567, True, (1_500_000, 500_000)),
])
def test_nice_scale(maximum, whole, expected):
    top, step = charts.nice_scale(maximum, whole=whole)
    assert (top, step) == pytest.approx(expected)


def test_crowded_labels_are_thinned_not_overlapped():
    labels = [f"2026年{m}月" for m in range(1, 13)] * 2
    chart = charts.bar_chart(title="t", labels=labels, series={"s": list(range(24))}, width=400)
    shown = parse(chart).find(f".//{SVG}g[@class='chart-svg__labels']")
    assert 1 < len(list(shown)) < 24


def test_the_chart_tag_renders_the_chart_with_its_data_table():
    chart = charts.bar_chart(title="出席数", labels=MONTHS, series={"出席数": [12, 15, 9]}, unit="人",
                             label_heading="月", chart_id="attendance")
    html = Template("{% chart chart %}").render(Context({"chart": chart}))
    assert 'id="attendance-figure"' in html and str(chart.svg) in html
    table = html[html.index("<table"):html.index("</table>")]
    assert re.findall(r"<th scope=\"row\">(.*?)</th><td class=\"num\">(.*?)</td>", table) == [
        ("4月", "12人"), ("5月", "15人"), ("6月", "9人")]
    assert "<th scope=\"col\">月</th>" in table
    assert "style=" not in html
