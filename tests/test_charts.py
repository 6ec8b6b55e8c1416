"""The chart theme, renderer guard rails and the chart-JavaScript version check."""

from __future__ import annotations

import base64
import io
import json
import re
import struct

import altair as alt
import pandas as pd
import pytest

import enclaves.charts as charts
from enclaves.charts import tables as chart_tables
from enclaves.sphinx import vega

DF = pd.DataFrame({"year": [2000, 2001, 2002], "rate": [1.0, 2.0, 1.5], "area": ["A", "A", "A"]})


def test_version_check_accepts_matching_libraries():
    exp = {"vega_version": "6", "vegalite_version": "6.4.1", "vegaembed_version": "7"}
    vega.check_versions(exp, "6.2.0", "6.4.1", "7.0.2")


@pytest.mark.parametrize("vega_v,vl,embed", [("5.30.0", "6.4.1", "7.0.2"), ("6.2.0", "6.4.0", "7.0.2"),
                                             ("6.2.0", "6.4.1", "6.29.0")])
def test_version_check_fails_on_mismatch(vega_v, vl, embed):
    exp = {"vega_version": "6", "vegalite_version": "6.4.1", "vegaembed_version": "7"}
    with pytest.raises(vega.VersionMismatch):
        vega.check_versions(exp, vega_v, vl, embed)


def test_bundle_sets_the_versions_altair_expects():
    js = vega.bundle_js()
    exp = vega.expected_versions()
    for key, value in exp.items():
        assert f"VEGA_DEBUG.{key}={value!r};" in js
    assert "window.vegaEmbed=" in js and len(js) > 500_000


def test_renderer_refuses_chart_without_description():
    charts.setup()
    chart = alt.Chart(DF).mark_line().encode(x="year:Q", y="rate:Q").properties(title="t")
    with pytest.raises(ValueError, match="description"):
        alt.renderers.get()(chart.to_dict())


def test_renderer_gives_html_and_png():
    charts.setup()
    chart = charts.line_with_breaks(DF, x="year", y="rate", title="A title", description="A description",
                                    y_title="Rate (per 100,000)", color="area")
    spec = chart.to_dict()
    bundle, _ = alt.renderers.get()(spec)
    assert "text/html" in bundle and "image/png" in bundle
    html = bundle["text/html"]
    assert 'class="enclaves-chart-view" role="figure" aria-label="A description"' in html
    # the specification travels as JSON (its "</" escaped so it cannot close the script element)
    m = re.search(r'<script type="application/json" class="enclaves-chart-spec">(.*?)</script>', html, re.S)
    assert json.loads(m.group(1)) == json.loads(json.dumps(spec))
    # in a notebook the chart draws itself (Vega from the CDN at Altair's versions); the book removes this
    assert "vegaEmbed(view,spec,{actions:false})" in html and f"vega-lite@{alt.SCHEMA_VERSION[1:]}" in html
    # the space the chart will take is kept while it loads: the PNG's height (drawn at scale 2)
    png = bundle["image/png"]
    png = base64.b64decode(png) if isinstance(png, str) else png
    assert f"min-height:{struct.unpack('>I', png[20:24])[0] // 2}px" in html


def test_chart_html_escapes_script_end_in_data():
    df = DF.assign(area=["</script><b>x</b>", "A", "A"])
    spec = (alt.Chart(df).mark_line().encode(x="year:Q", y="rate:Q", tooltip=["area"])
            .properties(title="T", description="D").to_dict())
    html = charts.theme.chart_html(spec)
    assert html.count("</script>") == 2  # the spec's and the notebook loader's, nothing from the data
    assert "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in html  # in the table, as text


def test_chart_tables_hold_exactly_the_columns_drawn():
    df = DF.assign(note=["unused", "unused", "unused"], lo=[0.5, 1.5, 1.0])
    base = alt.Chart(df).encode(x=alt.X("year:Q", title="Year"))
    chart = alt.layer(base.mark_line().encode(y=alt.Y("rate:Q", title="Rate per 100,000")),
                      base.mark_point().encode(y="lo:Q").transform_filter("datum.area == 'A'"),
                      charts.breaks_layer([(2001, "a break")])).properties(title="T", description="D")
    spec = chart.to_dict()
    tables = chart_tables.chart_tables(spec)
    assert [list(t.columns) for t in tables] == [["year", "rate", "area", "lo"], ["year", "label"]]
    assert tables[0]["rate"].tolist() == DF["rate"].tolist()
    html = charts.theme.chart_html(spec)
    assert html.count('class="enclaves-chart-csv"') == 2
    assert "<th scope=\"col\">Rate per 100,000</th>" in html  # headers use the axis titles
    csv = base64.b64decode(re.search(r'href="data:text/csv;base64,([^"]+)"', html).group(1)).decode()
    assert pd.read_csv(io.StringIO(csv)).equals(tables[0].reset_index(drop=True))


def test_builder_has_titles_tooltips_and_legend_selection():
    spec = charts.line_with_breaks(DF, x="year", y="rate", title="T", description="D", y_title="Rate (per 100,000)",
                                   color="area", breaks=[(2001, "break")]).to_dict()
    assert spec["title"] == "T" and spec["description"] == "D"
    line = spec["layer"][0]
    assert line["encoding"]["y"]["title"] == "Rate (per 100,000)"
    assert line["encoding"]["tooltip"]
    params = spec.get("params", []) + line.get("params", [])
    assert any(p.get("bind") == "legend" and p["select"]["fields"] == ["area"] for p in params)


def test_theme_fixes_case_colours():
    scale = charts.area_scale(["Tancítaro", "Michoacán", "Other place", "Mexico (national)"]).to_dict()
    assert scale["range"][0] == charts.CASE_COLORS["Tancítaro"]
    assert scale["range"][3] == charts.NEUTRAL["national"]
    assert alt.theme.active == "enclaves"


def test_words_for_chart_descriptions():
    assert charts.and_list([]) == "" and charts.and_list(["a"]) == "a"
    assert charts.and_list(["a", "b"]) == "a and b" and charts.and_list([1, 2, 3]) == "1, 2 and 3"
    assert charts.year_spans([2011, 1990, 1991, 1992, 1997, 2010]) == "1990–1992, 1997 and 2010–2011"
    assert charts.year_spans([2007]) == "2007"
    assert [charts.ordinal(n) for n in (1, 3, 10, 11, 12, 13, 21, 22, 23, 101, 112)] == [
        "first", "third", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "112th"]


def test_event_labels_stack_where_the_chart_is_too_narrow_for_them():
    from enclaves.charts import builders

    # two labels in one row, 10 % of the range apart: "A long label" (12 characters) needs 80 px of width,
    # so the row fits from 800 px of plotting width; the last label needs its share of room to the right end
    need = builders.stacking_width([0, 5, 10], ["A long label", "b", "Last"], rows=2, lo=0, hi=100)
    assert need == (12 * builders.CHAR_PX + builders.GAP_PX) / 0.1 == 800
    assert builders.stacking_width([0], ["x"], rows=2, lo=0, hi=100) == builders.NARROW_WIDTH
    assert builders.stacking_width([5, 5, 5], ["a", "b", "c"], rows=2, lo=0, hi=100) == float("inf")
    spec = charts.breaks_layer([(2001, "a break"), (2009, "late")], domain=(2000, 2010)).to_dict()
    labels = spec["layer"][1]["layer"]
    calc = {c["as"]: c["calculate"] for layer in labels for c in layer.get("transform", []) if "calculate" in c}
    assert "width < 560" in calc["label_y"] and "% 2" in calc["label_y"]
    halo, text = (layer["mark"] for layer in labels)
    assert halo["aria"] is False and "aria" not in text  # halos hidden from screen readers
    assert "scale('x', datum['year'])" in text["align"]["expr"] and "length(datum['label'])" in text["align"]["expr"]
