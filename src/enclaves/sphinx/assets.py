"""What each page loads: only what the book uses, and nothing that blocks the text.

The reference Jupyter Book pages ship about 1 MB (compressed) to every reader, most of it the
theme's icon machinery. This module trims it at build time, without patching the theme's files:

* the theme's Font Awesome *script* (1.45 MB, it swaps every ``<i class="fa-…">`` for an inline SVG)
  is dropped: the theme's stylesheet already draws the same icons from the Font Awesome web fonts;
* those web fonts are cut down (fontTools) to the glyphs the built site actually names;
* Sphinx's search scripts and the whole search index are loaded only on the search page (the book
  does not use search-as-you-type, so other pages never read them);
* sphinx-thebe's files are not loaded (live code is switched off in ``_config.yml``);
* the stylesheets become one file per distinct set (one request instead of a dozen, one of them
  behind an ``@import``);
* every other script is deferred, so the text is drawn before any script runs;
* the sidebar becomes a landmark (its book title was outside any, which axe reports).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx

#: Scripts that must run before the inline configuration lines that follow them in <head>.
KEEP_SYNC = ("documentation_options.js",)
#: Files not loaded on any page.
DROP_FILES = ("sphinx-thebe.js", "sphinx-thebe.css")
SEARCH_SCRIPTS = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")

_FA_SCRIPT = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_SEARCH_ALT = "|".join(re.escape(s) for s in SEARCH_SCRIPTS)
_SEARCH_SCRIPT = re.compile(rf'\s*<script src="[^"]*(?:{_SEARCH_ALT})"></script>')
_THEBE_INLINE = re.compile(r"\s*<script>const THEBE_JS_URL = [^<]*</script>")


def trim_scripts(app: Sphinx, pagename: str, context: dict) -> None:
    """``html-page-context``: drop unused files and defer the rest (the page's own list only)."""
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if scripts is not None:
        out = []
        for js in scripts:
            name = str(js.filename or "")
            if name.endswith(DROP_FILES):
                continue
            attrs = dict(js.attributes or {})
            # the search page's inline script calls doctools.js at once: leave its scripts as they are
            if (name and pagename != "search" and not name.endswith(KEEP_SYNC)
                    and "async" not in attrs and "defer" not in attrs):
                attrs["defer"] = "defer"
                js = _JavaScript(js.filename, priority=js.priority, **attrs)
            out.append(js)
        scripts[:] = out
    styles = context.get("css_files")
    if styles is not None:
        styles[:] = [c for c in styles if not str(c.filename or "").endswith(DROP_FILES)]


_SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
_SEARCH_FIELD_LABEL = re.compile(
    r'(<button class="[^"]*\bsearch-button-field\b[^"]*" title="Search") aria-label="Search"')
_STYLESHEET = re.compile(
    r'[ \t]*<link (?=[^>]*rel="stylesheet")[^>]*href="([^"]*?)_static/([^"?]+\.css)(\?[^"]*)?"[^>]*/?>\n?')


def bundle_styles(app: Sphinx, html: str) -> str:
    """Replace the page's stylesheets from ``_static`` (a dozen files, one behind an ``@import``) by one
    file holding them in the same order; :func:`write_style_bundles` writes it when the build ends."""
    links = list(_STYLESHEET.finditer(html.split("</head>")[0]))
    if len(links) < 2:
        return html
    files = tuple(m.group(2) for m in links)
    key = "|".join(m.group(2) + (m.group(3) or "") for m in links)
    name = f"enclaves-styles-{hashlib.sha256(key.encode()).hexdigest()[:10]}.css"
    bundles = app.env.__dict__.setdefault("enclaves_style_bundles", {})
    bundles[name] = files
    head, sep, rest = html.partition("</head>")
    first = links[0]
    tag = f'<link rel="stylesheet" href="{first.group(1)}_static/{name}" />\n'
    for m in reversed(links):
        head = head[:m.start()] + (tag if m is first else "") + head[m.end():]
    return head + sep + rest


_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]([^'"]+)['"]\s*\)?\s*;""")


def _css_for_bundle(static: Path, rel: str, seen: set[str]) -> str:
    """A stylesheet's text with its ``@import``s inlined and its relative URLs made relative to ``_static``."""
    import posixpath

    folder = posixpath.dirname(rel)
    text = (static / rel).read_text(encoding="utf-8")

    def imp(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(folder, m.group(1)))
        if target in seen:
            return ""
        seen.add(target)
        return _css_for_bundle(static, target, seen)

    def url(m: re.Match) -> str:
        target = m.group(2)
        if target.startswith(("data:", "http:", "https:", "/", "#")) or not folder:
            return m.group(0)
        return f'url("{posixpath.normpath(posixpath.join(folder, target))}")'

    return _URL.sub(url, _IMPORT.sub(imp, text))


_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"\\[0-9a-f]+"\}')


def drop_unused_icon_rules(css: str, used: set[str]) -> str:
    """Remove the ``.fa-name:before{content:…}`` rules (about 1,800 of them) for icons no page uses."""
    def keep(m: re.Match) -> str:
        names = set(re.findall(r"\.(fa-[a-z0-9-]+):", m.group(1)))
        return m.group(0) if names & used else ""

    return _ICON_RULE.sub(keep, css)


def write_style_bundles(app: Sphinx) -> dict[str, int]:
    static = Path(app.outdir) / "_static"
    used = used_icon_classes(Path(app.outdir))
    out = {}
    for name, files in getattr(app.env, "enclaves_style_bundles", {}).items():
        seen: set[str] = set(files)
        text = "\n".join(f"/* {f} */\n" + _css_for_bundle(static, f, seen) for f in files)
        text = drop_unused_icon_rules(text, used)
        (static / name).write_text(text, encoding="utf-8")
        out[name] = len(text.encode())
    return out


SPECIAL_DESCRIPTIONS = {
    "404": "This page does not exist in {project}: links to the contents and search.",
    "search": "Search the chapters, data appendix and guides of {project}.",
    "genindex": "The index of {project}.",
}


def trim_html(app: Sphinx, pagename: str, html: str) -> str:
    """Applied to every rendered page: what the theme writes into its own templates."""
    html = _FA_SCRIPT.sub("", html)
    html = bundle_styles(app, html)
    # the sidebar's book title sits outside any landmark (axe: region): make the sidebar one
    html = html.replace(_SIDEBAR, _SIDEBAR[:-1] + ' role="complementary" aria-label="Book contents">', 1)
    # the search fields show "Search Ctrl+K" but are named "Search" (axe: label-content-name-mismatch,
    # WCAG 2.5.3): without the aria-label their name is what they show (the icon-only button keeps its label)
    html = _SEARCH_FIELD_LABEL.sub(r"\1", html)
    html = _THEBE_INLINE.sub("", html)
    if pagename in SPECIAL_DESCRIPTIONS and 'name="description"' not in html:  # pages opengraph skips
        text = SPECIAL_DESCRIPTIONS[pagename].format(project=app.config.project)
        html = html.replace("</head>", f'<meta name="description" content="{text}" />\n</head>', 1)
    if pagename != "search" and not _search_as_you_type(app):
        html = _SEARCH_SCRIPT.sub("", html)
    return html


def _search_as_you_type(app: Sphinx) -> bool:
    opts = getattr(app.config, "html_theme_options", {}) or {}
    return bool(opts.get("search_as_you_type"))


# --- icon fonts -------------------------------------------------------------------------------

_RULE = re.compile(r'([^{}]+)\{content:"\\([0-9a-f]{4,5})"\}')
_CLASS = re.compile(r"fa-[a-z0-9-]+")


def icon_codepoints(css: str) -> dict[str, int]:
    """``{'fa-download': 0xf019, …}`` from the theme's stylesheet."""
    out: dict[str, int] = {}
    for selectors, code in _RULE.findall(css):
        for sel in selectors.split(","):
            m = re.fullmatch(r"\s*\.(fa-[a-z0-9-]+):{1,2}before\s*", sel)
            if m:
                out[m.group(1)] = int(code, 16)
    return out


def used_icon_classes(outdir: Path) -> set[str]:
    names: set[str] = set()
    for f in list(outdir.rglob("*.html")) + list((outdir / "_static").rglob("*.js")):
        if f.name == "fontawesome.js":
            continue
        names.update(_CLASS.findall(f.read_text(encoding="utf-8", errors="replace")))
    return names


def subset_icon_fonts(outdir: Path) -> dict[str, tuple[int, int]]:
    """Cut the Font Awesome fonts in the built site down to the glyphs its pages and scripts name.
    Returns ``{font file: (bytes before, bytes after)}``."""
    from fontTools import subset

    css_file = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    fonts = outdir / "_static" / "vendor" / "fontawesome" / "webfonts"
    if not css_file.exists() or not fonts.is_dir():
        return {}
    table = icon_codepoints(css_file.read_text(encoding="utf-8"))
    codes = sorted({table[c] for c in used_icon_classes(outdir) if c in table})
    if not codes:
        raise RuntimeError("no Font Awesome icon found in the built pages: has the theme changed?")
    sizes = {}
    for font in sorted(fonts.glob("*.woff2")):
        before = font.stat().st_size
        opts = subset.Options()
        opts.flavor = "woff2"
        opts.layout_features = ["*"]
        opts.ignore_missing_unicodes = True
        ft = subset.load_font(str(font), opts)
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=codes)
        sub.subset(ft)
        subset.save_font(ft, str(font), opts)
        sizes[font.name] = (before, font.stat().st_size)
    return sizes
