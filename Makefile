# segue: every target creates .venv when it is missing, so a fresh clone needs only
# Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME ?= demo-output

.PHONY: help venv demo test lint format bench clean

help:
	@echo "make demo    set up and run segue end to end on the built-in demo data"
	@echo "make test    set up, then lint, type-check and run every test"
	@echo "make lint    ruff format --check, ruff check and mypy --strict"
	@echo "make format  format and fix the code in place"
	@echo "make bench   run the benchmarks and write benchmarks/results/*.json"

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/segue demo --home $(DEMO_HOME)

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy --strict src

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: lint
	$(BIN)/python -m pytest -p no:cacheprovider -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(DEMO_HOME) .mypy_cache .ruff_cache .pytest_cache
