# Two commands do everything on a fresh machine with Python 3.10+ and make:
#   make demo   - create .venv, install the package, run the headline example, draw its maps
#   make test   - install the test extras and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: demo test browser lint typecheck docs bench scenarios validate data golden wheel clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-plot: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[plot]"
	touch $@

demo: $(VENV)/.installed-plot
	$(PY) examples/beijing_baku.py
	$(PY) examples/maps.py

SOURCES := corridor_planner tests benchmarks examples scripts

# Headless Chromium and ChromeDriver for the browser tests (tests/test_*browser.py), from Debian's packages
# when apt-get and root are there; elsewhere the browser tests skip and say why.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium and chromium-driver for the browser tests"; \
		apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
		|| (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null 2>&1) \
		|| echo "could not install chromium: the browser tests will skip"; \
	else echo "no apt-get or not root: the browser tests will skip"; fi

test: $(VENV)/.installed-test browser
	$(PY) -m ruff check $(SOURCES)
	$(PY) -m ruff format --check $(SOURCES)
	$(PY) -m mypy
	$(PY) -m pytest -q --cov --cov-report=term
	$(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html

lint: $(VENV)/.installed-test
	$(PY) -m ruff check $(SOURCES)
	$(PY) -m ruff format --check $(SOURCES)

typecheck: $(VENV)/.installed-test
	$(PY) -m mypy

# The API reference from the numpy docstrings, warnings as errors (also part of make test).
docs: $(VENV)/.installed-test
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_routing.py
	$(PY) benchmarks/bench_analysis.py
	$(PY) benchmarks/bench_time.py
	$(PY) benchmarks/bench_depart.py
	$(PY) benchmarks/bench_executor.py

# The model against published end-to-end trips (never fitted to them); the report is committed.
validate: $(VENV)/.installed
	$(PY) -m corridor_planner.analysis.validate validation/observations.csv | tee validation/report.md

scenarios: $(VENV)/.installed
	$(PY) examples/scenarios.py

data: $(VENV)/.installed-test
	$(PY) scripts/build_dataset.py

# Regenerate tests/golden/routes.csv on purpose when data or model change; review the diff.
golden: $(VENV)/.installed
	$(PY) scripts/golden.py

wheel: $(VENV)/.installed-test
	$(PY) -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache .mypy_cache .ruff_cache docs/_build .coverage
