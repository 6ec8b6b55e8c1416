"""Vega, Vega-Lite and Vega-Embed from vl-convert-python, checked against Altair's versions."""

from __future__ import annotations

import re
from functools import lru_cache


class VersionMismatch(RuntimeError):
    pass


def expected_versions() -> dict[str, str]:
    """What Altair's HTML output asks for (``VEGA_DEBUG`` keys → versions)."""
    from altair.vegalite.v6 import display

    return {"vega_version": display.VEGA_VERSION, "vegalite_version": display.VEGALITE_VERSION,
            "vegaembed_version": display.VEGAEMBED_VERSION}


def check_versions(expected: dict[str, str], vega: str, vegalite: str, embed: str) -> None:
    """Fail unless the bundled libraries satisfy Altair: same major for Vega and Vega-Embed,
    the exact Vega-Lite version."""
    problems = []
    if vega.split(".")[0] != expected["vega_version"].split(".")[0]:
        problems.append(f"Vega {vega} vs Altair's {expected['vega_version']}")
    if embed.split(".")[0] != expected["vegaembed_version"].split(".")[0]:
        problems.append(f"Vega-Embed {embed} vs Altair's {expected['vegaembed_version']}")
    if vegalite != expected["vegalite_version"]:
        problems.append(f"Vega-Lite {vegalite} vs Altair's {expected['vegalite_version']}")
    if problems:
        raise VersionMismatch("bundled chart JavaScript does not match Altair: " + "; ".join(problems)
                              + ". Pin vl-convert-python and altair to matching releases.")


@lru_cache(maxsize=1)
def bundle_js(cache_dir: str | None = None) -> str:
    """The chart JavaScript; cached on disk per (vl-convert, Altair) version pair when ``cache_dir``
    is given, since vl-convert takes a few seconds to produce it."""
    from importlib.metadata import version

    import vl_convert as vlc

    if cache_dir:
        from pathlib import Path

        key = f"vl-convert-{version('vl-convert-python')}_altair-{version('altair')}.js"
        cached = Path(cache_dir) / key
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        js = bundle_js.__wrapped__(None)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(js, encoding="utf-8")
        return js

    exp = expected_versions()
    major_minor = ".".join(exp["vegalite_version"].split(".")[:2])
    if major_minor not in vlc.get_vegalite_versions():
        raise VersionMismatch(f"vl-convert has no Vega-Lite {major_minor} (has {vlc.get_vegalite_versions()})")
    js = vlc.javascript_bundle(vl_version=major_minor)
    found = set(re.findall(r'"(\d+\.\d+\.\d+)"', js)) | set(re.findall(r"'(\d+\.\d+\.\d+)'", js))
    vl_found = sorted(v for v in found if v.startswith(major_minor + "."))
    if len(vl_found) != 1:
        raise VersionMismatch(f"cannot tell the bundled Vega-Lite version (candidates {vl_found})")
    check_versions(exp, vlc.get_vega_version(), vl_found[0], vlc.get_vega_embed_version())
    debug = "".join(f"VEGA_DEBUG.{k}={v!r};" for k, v in exp.items())
    return ("/* Vega " + vlc.get_vega_version() + ", Vega-Lite " + vl_found[0] + ", Vega-Embed "
            + vlc.get_vega_embed_version() + " — bundled by vl-convert-python at build time. "
            "Licences: BSD-3-Clause (Vega projects). */\n"
            "(function(){\n" + js + "\n})();\n"
            "var VEGA_DEBUG = (typeof VEGA_DEBUG == 'undefined') ? {} : VEGA_DEBUG;" + debug + "\n")
