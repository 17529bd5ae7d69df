# Quick start: `make run` serves the API on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test reference bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

run: install
	$(BIN)/iza-kg serve

test: install-test
	$(BIN)/python -m pytest

# Regenerate data/reference/*.ttl from ../shared/reference/.
reference: install
	$(BIN)/python -m app.reference
