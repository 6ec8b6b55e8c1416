"""The chart theme, renderer guard rails and the chart-JavaScript version check."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

import enclaves.charts as charts
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
    bundle, _ = alt.renderers.get()(chart.to_dict())
    assert "text/html" in bundle and "image/png" in bundle
    assert "vegaEmbed" in bundle["text/html"] and '"actions": false' in bundle["text/html"]
    assert 'role="figure" aria-label="A description"' in bundle["text/html"]


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
