# Two commands matter: `make test` and `make demo`. Both set up the venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test lint typecheck pytest demo run bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "thidua-bot needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

test: setup lint typecheck pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

demo: setup
	$(BIN)/thidua demo

run: setup
	$(BIN)/thidua run

bench: setup
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/fairness.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/stall.py
	$(BIN)/python benchmarks/export.py
	$(BIN)/python benchmarks/broadcast.py
	$(BIN)/python benchmarks/webhook.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache demo-out
