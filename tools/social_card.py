"""Draw the book's social-card image (book/_static/social-card.png, 1200 x 630 px), the picture that
link previews show (``ogp_image`` in _config.yml). Run by hand when the title or the logo changes:

    python tools/social_card.py

The title and subtitle come from _config.yml and book/index.md; the mark is the favicon's drawing.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import yaml  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch, Polygon  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "_static" / "social-card.png"
BLUE, GREEN = "#1f5fa8", "#2e7d32"


def subtitle() -> str:
    """The first italic line of the front page."""
    m = re.search(r"^\*(.+?)\*$", (ROOT / "book" / "index.md").read_text(encoding="utf-8"), re.M | re.S)
    return " ".join(m.group(1).split()) if m else ""


def main() -> None:
    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    plt.rcParams["font.family"] = "DejaVu Sans"
    fig = plt.figure(figsize=(12, 6.3), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1200)
    ax.set_ylim(0, 630)
    ax.axis("off")
    fig.patch.set_facecolor("white")
    ax.add_patch(FancyBboxPatch((0, 0), 1200, 24, boxstyle="square", color=BLUE))
    # the favicon's mark, scaled from its 32-unit box
    s, x0, y0 = 6.0, 80, 360
    ax.add_patch(FancyBboxPatch((x0, y0), 32 * s, 32 * s, boxstyle=f"round,pad=0,rounding_size={6 * s}",
                                color=BLUE))
    ax.add_patch(Polygon([(x0 + 6 * s, y0 + 8 * s), (x0 + 12 * s, y0 + 18 * s), (x0 + 17 * s, y0 + 12 * s),
                          (x0 + 21 * s, y0 + 22 * s), (x0 + 26 * s, y0 + 8 * s)], color="white"))
    ax.add_patch(Circle((x0 + 24 * s, y0 + 24 * s), 3 * s, color=GREEN))
    ax.text(330, 470, title, fontsize=50, fontweight="bold", color="#1a1a1a", va="center")
    words, lines, line = subtitle().split(), [], ""
    for w in words:
        if len(line) + len(w) > 42:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    ax.text(330, 390, "\n".join(lines), fontsize=26, color="#333333", va="top", linespacing=1.4)
    ax.text(80, 90, "An open, data-driven book: text, code and data", fontsize=22, color=BLUE)
    fig.savefig(OUT, dpi=100, facecolor="white")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
