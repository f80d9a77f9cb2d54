# Two commands do all the set-up on a fresh machine (see README.md):
#   make run    set up, import the bundled Buenos Aires plan into the default SQLite store,
#               print its summary and lint report, serve the pages at http://127.0.0.1:8000/
#   make test   set up (with dev tools), then ruff, mypy and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench bench-web bench-redline bench-monitor bench-uncertainty docs clean

$(BIN)/actionplan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/actionplan
	$(BIN)/actionplan run

test: $(BIN)/actionplan lint typecheck pytest

lint: $(BIN)/actionplan
	$(BIN)/ruff check actionplan tests benchmarks

typecheck: $(BIN)/actionplan
	$(BIN)/mypy

pytest: $(BIN)/actionplan
	PY=$(BIN)/python scripts/test $(PYTEST_ARGS)

bench: $(BIN)/actionplan
	$(BIN)/python benchmarks/run.py

bench-web: $(BIN)/actionplan
	$(BIN)/python benchmarks/web.py

bench-redline: $(BIN)/actionplan
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/redline.py

bench-monitor: $(BIN)/actionplan
	$(BIN)/python benchmarks/monitor.py $(BENCH_ARGS)

bench-uncertainty: $(BIN)/actionplan
	$(BIN)/python benchmarks/uncertainty.py

docs: $(BIN)/actionplan
	$(BIN)/python scripts/gen-docs

clean:
	rm -rf $(VENV) build *.egg-info
