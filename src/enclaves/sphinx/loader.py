"""The book's chart loader: a small script of its own, shipped in this package and written into the site
at build time as ``_static/enclaves-charts-<hash>.js`` (named by its content, so a browser never keeps an
old copy beside new pages). No JavaScript file is kept in git: the libraries come from vl-convert's
bundle (:mod:`.vega`), and this script only schedules them.

What it does, on pages that hold a chart (:mod:`.charts` marks them):

* fetches the Vega bundle (``data-vega``, a file beside it) only when the first chart is about to be
  seen, so a page's text is drawn and usable before any chart code loads;
* draws each chart (its Vega specification, ``data-spec``, compiled at build time) in a task of its own;
* wraps long titles to the chart's width, measured in the title's font (Vega does not wrap titles);
* fills long value tables (``data-lazy``) from the chart's CSV file when they are opened (a small CSV
  parser of its own: vl-convert's bundle exposes ``vegaEmbed`` but not Vega's reader, ``window.vega`` is
  null);
* offers ``window.enclavesDrawAll()`` (the tests draw every chart at once).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SCRIPT = r"""/* Seceding for Safety: draw the book's charts when they come near the screen.
   Each chart is a <div class="enclaves-chart"> naming its specification (data-spec: Vega, compiled from
   Vega-Lite at build time; a single view already takes the column's width). The
   Vega bundle (data-vega, a file beside this one) is fetched only when the first chart is about to
   be seen, so the text of a page is drawn and usable before any chart code loads. Charts of several
   views are scaled down by CSS when wider than the column. */
(function () {
  "use strict";
  var me = document.currentScript;
  var vegaUrl = new URL(me.getAttribute("data-vega"), me.src).href;
  var loading = null;

  function loadVega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = vegaUrl;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load " + vegaUrl)); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  // Each chart is compiled and drawn in a task of its own, not in the one that evaluated the bundle,
  // so the page stays responsive while charts appear (and no single task blocks input for long).
  var queue = Promise.resolve();
  function nextTask() {
    queue = queue.then(function () { return new Promise(function (ok) { setTimeout(ok, 0); }); });
    return queue;
  }

  function single(spec) {
    return !(spec.hconcat || spec.vconcat || spec.concat || spec.facet || spec.repeat);
  }

  // Vega does not wrap titles: break long ones into lines that fit the chart, measuring each line in the
  // title's own font (from the specification's config) on a canvas.
  var canvas;
  function titleFont(spec, sub) {
    var c = spec.config || {}, t = c.title || {}, style = c.style || {};
    var st = style[sub ? "group-subtitle" : "group-title"] || {};
    var size = sub ? (t.subtitleFontSize || st.fontSize || 12) : (t.fontSize || st.fontSize || 15);
    var weight = sub ? (t.subtitleFontWeight || st.fontWeight || "normal") : (t.fontWeight || st.fontWeight || 600);
    var family = (sub ? t.subtitleFont : t.font) || st.font || c.font || "sans-serif";
    return weight + " " + size + "px " + family;
  }

  function wrap(text, width, font) {
    if (typeof text !== "string") return text;
    canvas = canvas || document.createElement("canvas").getContext("2d");
    canvas.font = font;
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (w) {
      var next = line ? line + " " + w : w;
      if (line && canvas.measureText(next).width > width) { lines.push(line); line = w; } else { line = next; }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : text;
  }

  function fitTitle(spec, width) {
    if (!spec.title) return;
    if (typeof spec.title === "string") spec.title = {text: spec.title};
    var room = width - 12;  // less the view's padding
    spec.title.text = wrap(spec.title.text, room, titleFont(spec, false));
    if (spec.title.subtitle) spec.title.subtitle = wrap(spec.title.subtitle, room, titleFont(spec, true));
  }

  function loadSpec(fig) {
    var inline = fig.querySelector("script.enclaves-chart-spec");
    if (inline) return Promise.resolve(JSON.parse(inline.textContent));
    return fetch(new URL(fig.getAttribute("data-spec"), document.baseURI)).then(function (r) {
      if (!r.ok) throw new Error("specification " + r.status);
      return r.json();
    });
  }

  function draw(fig) {
    if (fig.dataset.drawn) return;
    fig.dataset.drawn = "pending";
    var view = fig.querySelector(".enclaves-chart-view");
    Promise.all([loadSpec(fig), loadVega()])
      .then(function (got) { return nextTask().then(function () { return got; }); })
      .then(function (got) {
        var spec = got[0];
        if (String(spec.$schema).indexOf("vega-lite") >= 0 && single(spec)) {  // notebooks' inline specs
          spec.width = "container";
          spec.autosize = {type: "fit-x", contains: "padding"};
        }
        fitTitle(spec, view.clientWidth || 600);
        return window.vegaEmbed(view, spec, {actions: false, renderer: "svg"});
      })
      .then(function (res) { fig.enclavesView = res.view; fig.dataset.drawn = "yes"; })
      .catch(function (err) { fig.dataset.drawn = "failed"; console.error("chart " + fig.id + " not drawn: " + err); });
  }

  // Long tables arrive empty (data-lazy): fill them from the chart's CSV file when they are opened.
  function parseCsv(text) {
    var rows = [], row = [], cell = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; }
      else if (c !== "\r") cell += c;
    }
    if (cell || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  function show(v) {  // as enclaves.charts.tables._cell writes a value
    if (v === "True") return "yes";
    if (v === "False") return "no";
    if (v === "" || isNaN(Number(v))) return v;
    var n = Number(v);
    return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
  }

  function fillTables(details) {
    var tables = details.querySelectorAll("table[data-lazy]");
    var links = details.querySelectorAll("a.enclaves-chart-csv");
    Array.prototype.forEach.call(tables, function (table) {
      var link = links[Array.prototype.indexOf.call(details.querySelectorAll("table"), table)];
      fetch(link.href).then(function (r) { return r.text(); }).then(function (text) {
        var body = table.tBodies[0], frag = document.createDocumentFragment();
        parseCsv(text).slice(1).forEach(function (cells) {
          var tr = document.createElement("tr");
          cells.forEach(function (v) {
            var td = document.createElement("td"); td.textContent = show(v); tr.appendChild(td);
          });
          frag.appendChild(tr);
        });
        body.appendChild(frag);
        table.removeAttribute("data-lazy");
      }).catch(function (err) { console.error("table not filled: " + err); });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("details.enclaves-chart-data"), function (d) {
      d.addEventListener("toggle", function () { if (d.open) fillTables(d); });
    });
    var figs = Array.prototype.slice.call(document.querySelectorAll(".enclaves-chart"));
    window.enclavesDrawAll = function () { figs.forEach(draw); };
    if (!("IntersectionObserver" in window)) { figs.forEach(draw); return; }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); draw(e.target); }
      });
    }, {rootMargin: "100px 0px"});
    figs.forEach(function (f) { io.observe(f); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
"""

#: The file name pages link to.
NAME = f"enclaves-charts-{hashlib.sha256(SCRIPT.encode()).hexdigest()[:10]}.js"


def write(static_dir: Path) -> Path:
    """Write the script into the site's ``_static`` folder, removing copies of older versions."""
    static_dir.mkdir(parents=True, exist_ok=True)
    out = static_dir / NAME
    for old in static_dir.glob("enclaves-charts*.js"):
        if old != out:
            old.unlink()
    out.write_text(SCRIPT, encoding="utf-8")
    return out
