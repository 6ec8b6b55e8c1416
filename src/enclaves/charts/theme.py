"""The book's one chart theme and renderer.

Importing :mod:`enclaves.charts` registers the theme ``enclaves`` (enabled) and the renderer
``enclaves``: interactive HTML for the web build plus a PNG (vl-convert) in the same MIME
bundle for non-HTML builders. The renderer refuses a chart without a title or a description,
so every figure in the book carries both.
"""

from __future__ import annotations

import altair as alt

#: One fixed colour per case; neutral colours for everything else.
CASE_COLORS = {
    "Tancítaro": "#2e7d32",       # avocado green
    "Monterrey": "#1f5fa8",       # steel blue
    "Nezahualcóyotl": "#b23a48",  # brick red
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
NATIONAL_NAME = "Mexico (national)"
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
    from altair.vegalite.v6.display import html_renderer, png_renderer

    missing = [k for k in ("title", "description") if not spec.get(k)]
    if missing:
        raise ValueError(f"every chart in the book needs a {' and a '.join(missing)} "
                         "(use .properties(title=..., description=...))")
    bundle = dict(html_renderer(spec, **meta))
    bundle["text/html"] = _label_container(bundle["text/html"], str(spec["description"]))
    png, png_meta = png_renderer(spec, scale_factor=2, **meta)
    bundle.update(png)
    return bundle, png_meta


def _label_container(html: str, description: str) -> str:
    """Give the chart's container its description as accessible name (vega-embed 7.0 does not)."""
    import html as html_lib
    import re

    label = html_lib.escape(description, quote=True)
    out, n = re.subn(r'<div id="(altair-viz-[^"]+)"></div>',
                     rf'<div id="\1" role="figure" aria-label="{label}"></div>', html, count=1)
    if n != 1:
        raise RuntimeError("unexpected Altair HTML: chart container not found")
    return out


alt.renderers.register("enclaves", _renderer)


def setup() -> None:
    """Enable the book's theme and renderer (call once at the top of a chapter)."""
    alt.theme.enable("enclaves")
    alt.renderers.enable("enclaves")
    alt.renderers.set_embed_options(actions=False)
    alt.data_transformers.disable_max_rows()
