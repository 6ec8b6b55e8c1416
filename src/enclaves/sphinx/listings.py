"""Back matter generated from the book itself (a Sphinx extension: ``enclaves.sphinx.listings``).

* ``{exercise-list}``: every exercise in the book, chapter by chapter in table-of-contents order,
  with its number, its title and a link. Exercises come from sphinx-exercise's own registry
  (``env.sphinx_exercise_registry``), numbers from Sphinx's figure numbering, so the list cannot
  drift from the chapters. The page holding the list is re-read whenever any page changes.
* ``{cite-this-book}``: a BibTeX entry and a plain-text reference built from the configuration
  (``project``, which _config.yml sets to the book's title; ``author``; the year in ``copyright``;
  ``html.baseurl``; the repository URL). The build stops if any of them is missing.
* The 404 page (sphinx-notfound-page) also gets an absolute ``content_root``.
* ``robots.txt`` next to the site's pages, naming the sitemap written by sphinx-sitemap. Crawlers
  read it only at the root of a host, so it takes effect when the site is served from one.
* The sitemap completed: sphinx-sitemap lists only the pages written by the current build, so after an
  incremental build it would leave out every unchanged page; every page of the book is added back.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

EXERCISE_TYPES = ("exercise", "exercise-start")


# ---------------------------------------------------------------- exercise list

class exercise_list(nodes.General, nodes.Element):
    """Placeholder, replaced by the list once every page is read and numbered."""


class ExerciseListDirective(SphinxDirective):
    has_content = False

    def run(self):
        docs = getattr(self.env, "enclaves_exercise_list_docs", set())
        docs.add(self.env.docname)
        self.env.enclaves_exercise_list_docs = docs
        return [exercise_list("")]


def toc_order(env) -> list[str]:
    """Every document reachable from the root document, depth first (the reading order)."""
    out: list[str] = []

    def walk(doc: str) -> None:
        if doc in out:
            return
        out.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    return out


def exercises(env) -> list[dict]:
    """The book's visible exercises in reading order: docname, label, anchor, number, title nodes."""
    registry = getattr(env, "sphinx_exercise_registry", {})
    order = getattr(env, "sphinx_exercise_node_order", {})
    labels = env.get_domain("std").labels
    out = []
    for doc in toc_order(env):
        for entry in order.get(doc, []):
            if entry["type"] not in EXERCISE_TYPES:
                continue
            label = entry["label"]
            reg = registry.get(label)
            if reg is None or reg["node"].get("hidden"):
                continue
            node = reg["node"]
            anchor = labels.get(label, (doc, label))[1]
            figno = env.toc_fignumbers.get(doc, {}).get("exercise", {}).get(anchor)
            sub = next(iter(node.findall(lambda n: isinstance(n, nodes.subtitle))), None)
            out.append({
                "docname": doc,
                "label": label,
                "anchor": anchor,
                "number": ".".join(str(n) for n in figno) if figno else None,
                "title": [c.deepcopy() for c in sub.children] if sub is not None else [],
            })
    return out


def _chapter_title(env, doc: str) -> str:
    title = env.titles[doc].astext() if doc in env.titles else doc
    secno = env.toc_secnumbers.get(doc, {}).get("")
    return f"{'.'.join(map(str, secno))}. {title}" if secno else title


def _render_list(app: Sphinx, fromdoc: str) -> list[nodes.Node]:
    env = app.env
    found = exercises(env)
    if not found:
        return [nodes.paragraph(text="The book has no exercises yet.")]
    chapters: dict[str, list[dict]] = {}
    for ex in found:
        chapters.setdefault(ex["docname"], []).append(ex)
    n_ex, n_ch = len(found), len(chapters)
    intro = nodes.paragraph(text=(f"{n_ex} exercise{'s' if n_ex != 1 else ''} in {n_ch} "
                                  f"chapter{'s' if n_ch != 1 else ''}, in reading order."))
    outer = nodes.bullet_list(classes=["enclaves-exercise-list"])
    for doc, items in chapters.items():
        uri = app.builder.get_relative_uri(fromdoc, doc)
        head = nodes.paragraph()
        head += nodes.reference("", "", nodes.Text(_chapter_title(env, doc)), internal=True, refuri=uri)
        inner = nodes.bullet_list()
        for ex in items:
            ref = nodes.reference("", "", internal=True, refuri=f"{uri}#{ex['anchor']}",
                                  classes=["enclaves-exercise-link"])
            ref += nodes.Text(f"Exercise {ex['number']}" if ex["number"] else "Exercise")
            para = nodes.paragraph()
            para += ref
            if ex["title"]:
                para += nodes.Text(": ")
                para.extend(ex["title"])
            inner += nodes.list_item("", para)
        outer += nodes.list_item("", head, inner)
    return [intro, outer]


def _on_doctree_resolved(app: Sphinx, doctree, docname: str) -> None:
    for node in list(doctree.findall(exercise_list)):
        node.replace_self(_render_list(app, docname))


def _on_env_get_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Any page read again may add, remove or renumber exercises: re-read the list too."""
    if not (added or changed or removed):
        return []
    return sorted(getattr(env, "enclaves_exercise_list_docs", set()) - set(removed))


def _on_env_purge_doc(app: Sphinx, env, docname: str) -> None:
    getattr(env, "enclaves_exercise_list_docs", set()).discard(docname)


def _on_env_merge_info(app: Sphinx, env, docnames, other) -> None:
    mine = getattr(env, "enclaves_exercise_list_docs", set())
    env.enclaves_exercise_list_docs = mine | getattr(other, "enclaves_exercise_list_docs", set())


# ---------------------------------------------------------------- citation

def citation_fields(config) -> dict[str, str]:
    """Title, author, year, site URL and repository URL, all from the build configuration."""
    year = re.search(r"\b(1[89]|2\d)\d\d\b", str(config.copyright or ""))
    repo = (config.html_theme_options or {}).get("repository_url", "")
    fields = {"title": config.project, "author": config.author, "year": year.group(0) if year else "",
              "url": config.html_baseurl, "repository": repo}
    missing = [k for k, v in fields.items() if not v]
    if fields["title"] == "Project name not set":  # Sphinx's default: `project` was not configured
        missing.insert(0, "project")
    if missing:
        raise ExtensionError(f"cite-this-book: the configuration lacks {', '.join(missing)}")
    return fields


def bibtex_key(fields: dict[str, str]) -> str:
    words = re.findall(r"[a-z0-9]+", fields["title"].lower())
    return "_".join(words + [fields["year"]])


def bibtex(fields: dict[str, str]) -> str:
    return (f"@misc{{{bibtex_key(fields)},\n"
            f"  title        = {{{{{fields['title']}}}}},\n"
            f"  author       = {{{{{fields['author']}}}}},\n"
            f"  year         = {{{fields['year']}}},\n"
            f"  url          = {{{fields['url']}}},\n"
            f"  howpublished = {{Online book}},\n"
            f"  note         = {{Source code and data: {fields['repository']}}}\n"
            f"}}\n")


class CiteThisBookDirective(SphinxDirective):
    has_content = False

    def run(self):
        f = citation_fields(self.config)
        para = nodes.paragraph(classes=["enclaves-cite-text"])
        para += nodes.Text(f"{f['author']} ({f['year']}). ")
        para += nodes.emphasis(text=f["title"])
        para += nodes.Text(". Online book, ")
        # the link text sits in an inline node so that the theme does not shorten GitHub addresses
        para += nodes.reference("", "", nodes.inline(text=f["url"]), refuri=f["url"])
        para += nodes.Text(". Source code and data: ")
        para += nodes.reference("", "", nodes.inline(text=f["repository"]), refuri=f["repository"])
        para += nodes.Text(".")
        text = bibtex(f)
        block = nodes.literal_block(text, text, language="bibtex", classes=["enclaves-cite-bibtex"])
        return [para, block]


# ---------------------------------------------------------------- robots.txt

def robots_txt(config) -> str | None:
    base = config.html_baseurl
    sitemap = getattr(config, "sitemap_filename", None)
    if not (base and sitemap):
        return None
    return f"User-agent: *\nAllow: /\nSitemap: {base.rstrip('/')}/{sitemap}\n"


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """sphinx-notfound-page makes the 404 page's links absolute, but the page's ``content_root``
    (which Sphinx's scripts use to build URLs) stays relative to wherever the page is served:
    give it the same absolute prefix."""
    prefix = getattr(app.config, "notfound_urls_prefix", None)
    if prefix and pagename == getattr(app.config, "notfound_pagename", None):
        context["content_root"] = prefix


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def complete_sitemap(path: Path, base: str, docnames, excludes=()) -> int:
    """Add to the sitemap at ``path`` a ``<url>`` for every page in ``docnames`` it lacks (``base`` + docname +
    ``.html``, pages in ``excludes`` left out); returns how many were added. The written pages keep their
    entries as sphinx-sitemap made them."""
    from xml.etree import ElementTree as ET

    ET.register_namespace("", SITEMAP_NS)
    tree = ET.parse(path)
    root = tree.getroot()
    have = {e.text for e in root.iter(f"{{{SITEMAP_NS}}}loc")}
    added = 0
    for doc in sorted(docnames):
        page = f"{doc}.html"
        link = f"{base.rstrip('/')}/{page}"
        if page in excludes or link in have:
            continue
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = link
        added += 1
    if added:
        tree.write(path, encoding="utf-8", xml_declaration=True)
    return added


def _on_build_finished(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    text = robots_txt(app.config)
    if text:
        (Path(app.outdir) / "robots.txt").write_text(text, encoding="utf-8")
    sitemap = Path(app.outdir) / getattr(app.config, "sitemap_filename", "sitemap.xml")
    if app.config.html_baseurl and sitemap.is_file():
        complete_sitemap(sitemap, app.config.html_baseurl, app.env.found_docs,
                         set(getattr(app.config, "sitemap_excludes", []) or []))


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_exercise")
    app.add_node(exercise_list)
    app.add_directive("exercise-list", ExerciseListDirective)
    app.add_directive("cite-this-book", CiteThisBookDirective)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", _on_build_finished, priority=900)  # after sphinx-sitemap writes its file
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
