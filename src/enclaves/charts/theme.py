"""The book's one chart theme and renderer.

Importing :mod:`enclaves.charts` registers the theme ``enclaves`` (enabled) and the renderer
``enclaves``: interactive HTML for the web build plus a PNG (vl-convert) in the same MIME
bundle for non-HTML builders. The renderer refuses a chart without a title or a description,
so every figure in the book carries both.
"""

from __future__ import annotations

import re

import altair as alt

from ..geo import NATIONAL_NAME  # noqa: F401  (the theme's name for the nation)

#: One fixed colour per case; neutral colours for everything else.
CASE_COLORS = {
    "Tancítaro": "#2e7d32",       # avocado green
    "Monterrey": "#1f5fa8",       # steel blue
    "Nezahualcóyotl": "#b23a48",  # brick red
    "Cherán": "#8c510a",          # pine bark
}
NEUTRAL = {
    "national": "#222222",
    "state": "#6b6b6b",
    "comparison": "#9e9e9e",
    "light": "#d0d0d0",
    "break": "#8a5a00",
}
#: The states of the cases: lighter tints of their case's colour.
STATE_COLORS = {
    "Michoacán": "#7cb67f",
    "Nuevo León": "#6f9fd8",
    "Estado de México": "#d98591",
}
#: One colour per party family (the ``*_family`` codes of the election tables), for every chart of parties.
PARTY_COLORS = {
    "pri": "#c8102e",
    "pan": "#1f5fa8",
    "prd": "#f2b705",
    "morena": "#7b2342",
    "other": "#8a8a8a",
    "none": "#e0e0e0",   # no winner recorded
}
#: Short names of the party families.
PARTY_NAMES = {"pri": "PRI", "pan": "PAN", "prd": "PRD", "morena": "Morena", "other": "Other party",
               "none": "No winner"}


def party_scale(labels: dict[str, str], present=None):
    """An Altair colour scale for party families shown under ``labels`` (family code → label), in that
    order, keeping only the labels in ``present`` when given."""
    keep = [(f, lab) for f, lab in labels.items() if present is None or lab in set(present)]
    return alt.Scale(domain=[lab for _, lab in keep], range=[PARTY_COLORS[f] for f, _ in keep])
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDTH, HEIGHT = 620, 300


@alt.theme.register("enclaves", enable=True)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "background": "white",
            "title": {"fontSize": 15, "fontWeight": 600, "anchor": "start", "color": "#111111",
                      "subtitleFontSize": 12, "subtitleColor": "#444444", "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": 500,
                     "labelColor": "#333333", "titleColor": "#222222", "gridColor": "#e6e6e6",
                     "domainColor": "#888888", "tickColor": "#888888"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom",
                       "direction": "horizontal", "symbolStrokeWidth": 2},
            "line": {"strokeWidth": 2},
            "point": {"size": 30, "filled": True},
            "rule": {"color": NEUTRAL["break"]},
            "text": {"fontSize": 11, "color": "#333333"},
            "range": {"category": [CASE_COLORS["Tancítaro"], CASE_COLORS["Monterrey"],
                                   CASE_COLORS["Nezahualcóyotl"], NEUTRAL["national"],
                                   NEUTRAL["state"], "#c17d11", "#5e3c99", "#1b9e77"]},
        }
    }


def _renderer(spec: dict, **meta):
    import importlib

    # the renderer of the installed Altair: altair.vegalite.v6 (Altair 6) or v5 (Altair 5.5, as on Colab)
    png_renderer = importlib.import_module(f"altair.vegalite.{alt.SCHEMA_VERSION.split('.')[0]}.display").png_renderer

    missing = [k for k in ("title", "description") if not spec.get(k)]
    if missing:
        raise ValueError(f"every chart in the book needs a {' and a '.join(missing)} "
                         "(use .properties(title=..., description=...))")
    png, png_meta = png_renderer(spec, scale_factor=2, **meta)
    bundle = {"text/html": chart_html(spec, png_height=_png_height(png.get("image/png")) // 2)}
    bundle.update(png)
    return bundle, png_meta


def _png_height(png) -> int:
    import base64
    import struct

    data = base64.b64decode(png) if isinstance(png, str) else (png or b"")
    return struct.unpack(">I", data[20:24])[0] if data[:8] == b"\x89PNG\r\n\x1a\n" else 0


#: In a notebook (JupyterLab, Colab) nothing else draws the chart: this script loads Vega from
#: the jsDelivr CDN, as Altair's own HTML output does. The book's build removes it from its pages,
#: where the book's loader (enclaves.sphinx.loader) draws charts from the local bundle when they come into view.
NOTEBOOK_EMBED = """(function(){var root=document.getElementById("%(id)s");
if(!root||document.querySelector("script[data-enclaves-charts]"))return;
var spec=JSON.parse(root.querySelector(".enclaves-chart-spec").textContent);
var view=root.querySelector(".enclaves-chart-view");
function embed(){vegaEmbed(view,spec,{actions:false}).catch(console.error);}
if(window.vegaEmbed)return embed();
var w=window.__enclavesVega=window.__enclavesVega||%(urls)s.reduce(function(p,u){return p.then(function(){
return new Promise(function(ok,no){var s=document.createElement("script");s.src=u;s.onload=ok;s.onerror=no;
document.head.appendChild(s);});});},Promise.resolve());
w.then(embed);})();"""


def chart_html(spec: dict, png_height: int = 0) -> str:
    """The chart's HTML: a labelled container, its specification as JSON, a loader for notebooks,
    and a collapsed table of the values it draws with a CSV download (a data: link, which the
    book's build turns into a file)."""
    import base64
    import hashlib
    import html as html_lib
    import json

    from altair import SCHEMA_VERSION, VEGA_VERSION, VEGAEMBED_VERSION

    from .tables import chart_tables, csv_text, field_titles, table_html

    text = json.dumps(spec, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    cid = "chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    safe = text.replace("</", "<\\/")
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    title = " ".join(title) if isinstance(title, list) else str(title)
    label = html_lib.escape(str(spec["description"]), quote=True)
    controls = sum(1 for p in spec.get("params", []) if isinstance(p.get("bind"), dict) and "input" in p["bind"])
    height = png_height + 40 * controls if png_height else 0
    style = f' style="min-height:{height}px"' if height else ""
    cdn = "https://cdn.jsdelivr.net/npm/"
    urls = json.dumps([f"{cdn}vega@{VEGA_VERSION.lstrip('v').split('.')[0]}",
                       f"{cdn}vega-lite@{SCHEMA_VERSION.lstrip('v')}",
                       f"{cdn}vega-embed@{VEGAEMBED_VERSION.lstrip('v').split('.')[0]}"])
    parts = []
    tables = chart_tables(spec)
    titles = field_titles(spec)
    for i, df in enumerate(tables, 1):
        caption = f"Values drawn in: {title}" + (f" (data set {i} of {len(tables)})" if len(tables) > 1 else "")
        b64 = base64.b64encode(csv_text(df).encode()).decode()
        name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] + (f"-{i}" if len(tables) > 1 else "")
        parts.append(f'<div class="enclaves-chart-table-wrap" role="region" tabindex="0" '
                     f'aria-label="{html_lib.escape(caption, quote=True)}">{table_html(df, caption, titles)}</div>'
                     f'<p><a class="enclaves-chart-csv" download="{name}.csv" '
                     f'href="data:text/csv;base64,{b64}">Download these values as CSV</a> '
                     f"({len(df):,} rows)</p>")
    details = ('<details class="enclaves-chart-data"><summary>The values in this chart</summary>'
               + "".join(parts) + "</details>") if parts else ""
    return (f'<div class="enclaves-chart" id="{cid}">'
            f'<div class="enclaves-chart-view" role="figure" aria-label="{label}"{style}></div>'
            f'<script type="application/json" class="enclaves-chart-spec">{safe}</script>'
            f'<script class="enclaves-notebook-embed">{NOTEBOOK_EMBED % {"id": cid, "urls": urls}}</script>'
            f"{details}</div>")


alt.renderers.register("enclaves", _renderer)


def setup() -> None:
    """Enable the book's theme and renderer (call once at the top of a chapter)."""
    alt.theme.enable("enclaves")
    alt.renderers.enable("enclaves")
    alt.renderers.set_embed_options(actions=False)
    alt.data_transformers.disable_max_rows()
