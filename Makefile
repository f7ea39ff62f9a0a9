# Two commands do all the set-up: `make serve` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX ?= var/index
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install index serve test browser eval load clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch first: 2.13.0 is the local CPU wheel; any other version would pull CUDA.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q "torch==2.13.0"
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

index: install
	$(BIN)/reportqa ingest data/reports --index $(INDEX)

serve: index
	$(BIN)/reportqa serve --index $(INDEX)

# Chromium for the browser tests comes from Debian (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

test: install browser
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/reportqa eval --collection all --index $(INDEX)

# Load and abuse test of a real server (about five minutes); writes docs/reliability.md.
load: index
	$(BIN)/python -m evals.load --index $(INDEX)

clean:
	rm -rf var test-output
