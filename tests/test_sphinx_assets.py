"""What the build does to each page's assets (enclaves.sphinx.assets, enclaves.sphinx.charts), on small inputs
and on the built site."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from enclaves import paths
from enclaves.sphinx import assets, charts

HTML = paths.root() / "_build" / "html"


def test_icon_rules_map_classes_to_code_points():
    css = '.fa-a:before{content:"\\f001"}.fa-b:before,.fa-c:before{content:"\\f002"}.x{color:red}'
    assert assets.icon_codepoints(css) == {"fa-a": 0xF001, "fa-b": 0xF002, "fa-c": 0xF002}
    kept = assets.drop_unused_icon_rules(css, {"fa-c"})
    assert kept == '.fa-b:before,.fa-c:before{content:"\\f002"}.x{color:red}'


def test_style_bundle_keeps_order_inlines_imports_and_rebases_urls(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text("p{margin:0}")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";')
    (static / "styles" / "main.css").write_text('@font-face{src:url(../vendor/f.woff2)}b{background:url("data:x")}')
    (static / "extra.css").write_text("i{color:red}")
    html = ('<html><head>\n<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
            '<link href="../_static/styles/main.css?digest=1" rel="stylesheet" />\n'
            '<script src="x.js"></script>\n'
            '<link rel="stylesheet" type="text/css" href="../_static/extra.css?v=2" />\n</head><body></body></html>')
    app = SimpleNamespace(env=SimpleNamespace(), outdir=str(tmp_path))
    out = assets.bundle_styles(app, html)
    links = re.findall(r'<link[^>]*>', out)
    bundle_link = r'<link rel="stylesheet" href="\.\./_static/enclaves-styles-[0-9a-f]+\.css" />'
    assert len(links) == 1 and re.fullmatch(bundle_link, links[0])
    assert out.index("<link") < out.index("<script")  # where the first stylesheet was
    (name,) = app.env.enclaves_style_bundles
    assets.write_style_bundles(app)
    text = (static / name).read_text()
    assert text.index("p{margin:0}") < text.index("@font-face") < text.index("i{color:red}")
    assert "@import" not in text
    assert 'url("vendor/f.woff2")' in text and 'url("data:x")' in text


def test_site_specs_are_compiled_to_vega_at_the_column_width():
    import json

    import altair as alt
    import pandas as pd

    spec = (alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")
            .properties(title="T", description="D").to_dict())
    vg = json.loads(charts.for_the_web(json.dumps(spec)))
    assert "/vega/" in vg["$schema"] and vg["description"] == "D"
    width = next(s for s in vg["signals"] if s["name"] == "width")
    assert "containerSize()" in width["init"]
    assert charts.for_the_web('{"a": 1}') == '{"a": 1}'


def test_chart_rewrite_moves_spec_and_csv_into_files(tmp_path):
    html = ('<div class="enclaves-chart" id="chart-1"><div class="enclaves-chart-view"></div>'
            '<script type="application/json" class="enclaves-chart-spec">{"a":"<\\/b"}</script>'
            '<script class="enclaves-notebook-embed">load("https://cdn.example")</script>'
            '<details><table class="enclaves-chart-table"><thead></thead><tbody>' + "<tr><td>1</td></tr>" * 50
            + '</tbody></table><a class="enclaves-chart-csv" href="data:text/csv;base64,YSxiCjEsMgo=">CSV</a>'
            '</details></div>')
    out, n = charts.rewrite(html, "book/cases/x", tmp_path)
    assert n == 1 and "cdn.example" not in out and "enclaves-chart-spec" not in out
    spec = re.search(r'data-spec="\.\./\.\./data/charts/([0-9a-f]{16}\.json)"', out).group(1)
    assert (tmp_path / "data" / "charts" / spec).read_text() == '{"a":"</b"}'
    csv = re.search(r'href="\.\./\.\./data/charts/([0-9a-f]{16}\.csv)"', out).group(1)
    assert (tmp_path / "data" / "charts" / csv).read_text() == "a,b\n1,2\n"
    assert 'data-lazy="50"' in out and "<tbody></tbody>" in out  # long tables are filled when opened


@pytest.mark.book
def test_built_pages_load_only_what_they_use(built_book):
    index = (built_book / "book" / "index.html").read_text(encoding="utf-8")
    head = index.split("</head>")[0]
    assert "fontawesome.js" not in index and "searchindex.js" not in index and "thebe" not in head
    assert len(re.findall(r'rel="stylesheet"', head)) == 1
    blocking = re.findall(r'<script src="[^"]+"></script>', head)  # neither defer nor async
    assert [re.search(r'src="[^"]*/([^/?"]+)', s).group(1) for s in blocking] == ["documentation_options.js"]
    assert "searchindex.js" in (built_book / "search.html").read_text(encoding="utf-8")
    fonts = built_book / "_static" / "vendor" / "fontawesome" / "webfonts"
    assert all(f.stat().st_size < 8_000 for f in fonts.glob("*.woff2"))
    assert 'class="enclaves-provenance">Data last processed on 20' in index
