# Quick start: `make run` serves the API on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test reference bench assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python assets
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python assets
	$(BIN)/python -m pip install --quiet -e '.[test]'

# Browser assets of the web pages (YASGUI), from npm into app/static/vendor/ (git-ignored); never a CDN.
assets:
	npm ci --no-audit --no-fund
	mkdir -p app/static/vendor/yasgui
	cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css app/static/vendor/yasgui/

run: install
	$(BIN)/iza-kg serve

# The data check first (quotes verbatim, integrity gate, coverage; docs in README), then the suite.
test: install-test
	$(BIN)/iza-kg check
	$(BIN)/python -m pytest

# Regenerate data/reference/*.ttl from sources/reference/.
reference: install
	$(BIN)/python -m app.reference

# The national-scale benchmark (bench/README.md): about 15 minutes on 2 cores; writes bench/results/ and the table.
bench: install-test
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py
