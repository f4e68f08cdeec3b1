# deltaunion — everything installs into the project: .venv (Python), node_modules (front-end assets).
# `make demo` serves the demo at http://127.0.0.1:8000 ; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint check bench messages makemessages mutation clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The chart pages' ECharts: only the parts they use, bundled by esbuild (an npm package) at install.
node_modules/.installed: package.json package-lock.json assets/charts.js
	npm ci --no-audit --no-fund --loglevel=error
	node_modules/.bin/esbuild assets/charts.js --bundle --minify --format=iife --target=es2017 \
		--log-level=warning --outfile=node_modules/.deltaunion/charts/charts.min.js
	touch $@

messages: install
	$(PY) manage.py compile_catalogue

# The demo runs with DEBUG on (a production start leaves it off) and the background worker
# (large imports) beside the web server; Ctrl-C stops both.
demo: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@DEBUG=1 $(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .

check: install messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check_catalogue

# pytest-xdist: one worker per core (PYTEST_ARGS adds to it, e.g. PYTEST_ARGS="-k contests").
# --dist worksteal: each worker starts on its own contiguous half (a module's tests, and its
# module-scoped demo data, stay on one worker) and an idle worker takes from the other's tail,
# so no long test is left queued behind one worker at the end (tests/conftest.py runs the slow ones first).
test: check
	$(BIN)/pytest -n $(or $(PYTEST_WORKERS),auto) --dist worksteal $(PYTEST_ARGS)

# The load benchmarks use wrk (Debian package): installed here when missing and root.
bench: install messages
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk >/dev/null; else echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; fi; }
	@set -e; for f in benchmarks/[!_]*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(PY) $$f; done

# Mutation testing of the rule modules (pyproject [tool.mutmut]); not part of `make test`.
# Prints one JSON line with each module's score; fails under 95 %.
mutation: install
	$(PY) mutation/report.py

makemessages: install
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'var/*' --ignore 'mutants/*' --ignore '*/tests/*' --ignore 'tests/*' --ignore 'benchmarks/*'

clean:
	rm -rf var staticfiles .pytest_cache
