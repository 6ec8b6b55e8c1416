"""Guard rails for authors: chapters read data only through the loader; no notebooks in git."""

from __future__ import annotations

import re
import subprocess

import pytest

from enclaves import paths

ROOT = paths.root()
CHAPTERS = sorted((ROOT / "book").rglob("*.md"))
FORBIDDEN = re.compile(r"read_csv|read_excel|read_parquet|read_json|urlopen|requests\.|\bopen\(|"
                       r"data/processed|data/raw|shared/raw|https?://[^\s`'\"]+\.(csv|json|xlsx)")
CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


def code_cells(text: str) -> list[str]:
    return CELL.findall(text)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_chapters_read_data_only_through_the_loader(path):
    for cell in code_cells(path.read_text(encoding="utf-8")):
        m = FORBIDDEN.search(cell)
        assert m is None, f"{path.name}: '{m.group(0)}' — read data with enclaves.data.load(name)"


def test_guard_catches_a_planted_violation():
    planted = "```{code-cell} ipython3\nimport pandas as pd\ndf = pd.read_csv('data/processed/x.csv')\n```\n"
    assert any(FORBIDDEN.search(c) for c in code_cells(planted))


def test_no_ipynb_in_git():
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_third_party_javascript_in_git():
    out = subprocess.run(["git", "ls-files", "*.js"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_ruff_clean():
    exe = paths.root() / ".venv" / "bin" / "ruff"
    assert exe.exists(), "ruff is part of requirements.lock; run make setup"
    out = subprocess.run([str(exe), "check", "src", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]
