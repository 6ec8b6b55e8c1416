# Seceding for Safety — set-up, data, book and tests.
# `make book` and `make test` do all set-up themselves: a virtual environment from the authors' lock file
# (requirements.lock: the book build, the pipeline, the tests and tools), re-created only when
# requirements.lock or pyproject.toml change. The smaller locks are requirements/book.txt (the book build)
# and requirements/chapters.txt (running the chapters; Binder installs it).

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
MIRROR ?= $(abspath ../shared/raw)

.PHONY: help setup book book-all data test test-fast check snapshot lab preview lock linkcheck clean clean-book

help:
	@echo "make setup       create .venv from requirements.lock and install enclaves (the other targets do it too)"
	@echo "make book        build the HTML book (warnings are errors) into _build/html; re-runs changed chapters"
	@echo "make book-all    the same, re-reading every page"
	@echo "make test        run the whole test suite (builds the book, drives Chromium, runs Lighthouse)"
	@echo "make test-fast   the tests that need no book build and no browser (a minute or two)"
	@echo "make check       the authors' guard rails (python -m enclaves.checks) on the whole repository"
	@echo "make snapshot    compare the last build's numbers, charts and ledger with tests/fixtures/book_snapshot.json"
	@echo "make data        fetch raw files (or copy from ENCLAVES_RAW_MIRROR) and rebuild data/processed"
	@echo "make lab         open the chapters as notebooks in JupyterLab"
	@echo "make preview     live preview while writing"
	@echo "make lock        re-resolve the three lock files (hashes) from requirements.in and requirements/*.in"
	@echo "make linkcheck   check the book's external links (needs the network; not part of make test)"
	@echo "make clean-book  remove the built site and the execution cache's outputs"
	@echo "make clean       remove _build and .venv"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock 2>&1 | { grep -v 'is ignored' || true; }
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>&1 | { grep -v 'is ignored' || true; }
	$(BIN)/python -c "import enclaves, altair, myst_nb"
	@touch $@

book: $(STAMP)
	$(JB) build . --builder html -W --keep-going

book-all: $(STAMP)
	$(JB) build . --builder html -W --keep-going --all

data: $(STAMP)
	$(BIN)/python -m enclaves data

test: $(STAMP)
	ENCLAVES_RAW_MIRROR=$${ENCLAVES_RAW_MIRROR:-$(MIRROR)} $(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not book and not browser and not lighthouse"

check: $(STAMP)
	$(BIN)/python -m enclaves.checks

snapshot: $(STAMP)
	$(BIN)/python tests/snapshot.py check --built

lab: $(STAMP)
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp tools/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root)

preview: $(STAMP)
	$(JB) config sphinx . > /dev/null
	$(BIN)/sphinx-autobuild . _build/preview --port 8000 --watch src/enclaves \
	  --ignore "_build/*" --ignore ".venv/*" --ignore "data/raw/*"

# uv resolves (pip-compatible lock files with hashes, for every platform, for Python 3.11); it is installed
# for this target only. requirements.lock first (its current pins are kept unless an .in file asks for other
# versions; `make lock UPGRADE=--upgrade` moves everything to the newest allowed), then the two smaller sets
# constrained by it, so all three agree.
UV_VERSION := 0.13.9
UV_FLAGS = --quiet --generate-hashes --universal --python-version 3.11 --custom-compile-command "make lock" $(UPGRADE)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet uv==$(UV_VERSION)
	.lock-venv/bin/uv pip compile $(UV_FLAGS) requirements.in -o requirements.lock
	.lock-venv/bin/uv pip compile $(UV_FLAGS) requirements/book.in -c requirements.lock -o requirements/book.txt
	.lock-venv/bin/uv pip compile $(UV_FLAGS) requirements/chapters.in -c requirements.lock -o requirements/chapters.txt
	rm -rf .lock-venv

# Sphinx's linkcheck builder on every external link of the book (reads the pages from the cache of the last
# build; report in _build/linkcheck/output.txt). Links need the network, so this is not part of `make test`.
linkcheck: $(STAMP)
	$(JB) build . --builder custom --custom-builder linkcheck

clean-book:
	rm -rf _build/html _build/jupyter_execute _build/.doctrees

clean:
	rm -rf _build $(VENV)
