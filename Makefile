# Two commands do all set-up: `make run` starts the coach, `make test` runs the whole suite.
# Both create .venv on first use and install pinned versions from constraints.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
PIP_INSTALL := $(PIP) install --quiet --disable-pip-version-check -c constraints.txt

# Test processes in parallel (pytest-xdist); PYTEST_WORKERS=0 runs the suite in this one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS)

.PHONY: run test faults lint format coverage snapshots bench clean

run: $(VENV)/.installed-run
	@$(BIN)/spasm-coach $(ARGS)

test: lint
	$(PYTEST) $(PYTEST_ARGS)

# The fault suite (tests/faults): kills, a full disk, read-only files, damaged logs, fuzzing,
# no network. Prints a table per fault (also in build/faults.md). Run as root for a real tmpfs.
faults: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/faults $(PYTEST_ARGS)

# Style, the import contracts in pyproject.toml (lint-imports) and the types (mypy, strict).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# The suite with coverage of the core (the faces are left out: see [tool.coverage] in
# pyproject.toml); fails under 95%.
coverage: $(VENV)/.installed-test
	$(PYTEST) --cov $(PYTEST_ARGS)

# spasm-coach side by side with baselines, written to docs/performance.md (about 20 minutes).
# BENCH_QUICK=1 runs a smaller subset (about 3 minutes); BENCH_ONLY=export,import picks some.
bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run

# Re-record snapshot SVGs after a deliberate screen change (then look at them).
snapshots: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/snapshot --snapshot-update

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "spasm-coach needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[test]'
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e '.[bench]'
	@touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache .coverage
