/* Seceding for Safety: draw the book's charts when they come near the screen.
   Each chart is a <div class="enclaves-chart"> holding its Vega-Lite specification as JSON. The
   Vega bundle (data-vega, a file beside this one) is fetched only when the first chart is about to
   be seen, so the text of a page is drawn and usable before any chart code loads. A chart made of a
   single view is drawn at the width of the page column (phones included); others are scaled down
   by CSS when wider than the column. */
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

  function single(spec) {
    return !(spec.hconcat || spec.vconcat || spec.concat || spec.facet || spec.repeat);
  }

  // Vega does not wrap titles: break long ones into lines that fit the column (about 7.5 px a character).
  function wrap(text, width, px) {
    if (typeof text !== "string") return text;
    var max = Math.max(16, Math.floor(width / px)), lines = [], line = "";
    text.split(/\s+/).forEach(function (w) {
      if (line && (line + " " + w).length > max) { lines.push(line); line = w; } else { line = line ? line + " " + w : w; }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : text;
  }

  function fitTitle(spec, width) {
    if (!spec.title) return;
    if (typeof spec.title === "string") spec.title = {text: spec.title};
    spec.title.text = wrap(spec.title.text, width, 8.5);
    if (spec.title.subtitle) spec.title.subtitle = wrap(spec.title.subtitle, width, 6.5);
  }

  function draw(fig) {
    if (fig.dataset.drawn) return;
    fig.dataset.drawn = "pending";
    var spec = JSON.parse(fig.querySelector("script.enclaves-chart-spec").textContent);
    var view = fig.querySelector(".enclaves-chart-view");
    if (single(spec)) {
      spec.width = "container";
      spec.autosize = {type: "fit-x", contains: "padding"};
    }
    fitTitle(spec, view.clientWidth || 600);
    loadVega()
      .then(function () { return window.vegaEmbed(view, spec, {actions: false, renderer: "svg"}); })
      .then(function (res) { fig.enclavesView = res.view; fig.dataset.drawn = "yes"; })
      .catch(function (err) { fig.dataset.drawn = "failed"; console.error("chart " + fig.id + " not drawn: " + err); });
  }

  function start() {
    var figs = Array.prototype.slice.call(document.querySelectorAll(".enclaves-chart"));
    window.enclavesDrawAll = function () { figs.forEach(draw); };
    if (!("IntersectionObserver" in window)) { figs.forEach(draw); return; }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); draw(e.target); }
      });
    }, {rootMargin: "400px 0px"});
    figs.forEach(function (f) { io.observe(f); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
