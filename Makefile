# deltaunion — everything installs into the project: .venv (Python), node_modules (front-end assets).
# `make demo` serves the demo at http://127.0.0.1:8000 ; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint check bench messages makemessages clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: install
	$(PY) manage.py compile_catalogue

demo: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .

check: install messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check_catalogue

test: check
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install messages
	@set -e; for f in benchmarks/[!_]*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(PY) $$f; done

makemessages: install
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'var/*' --ignore '*/tests/*'

clean:
	rm -rf var staticfiles .pytest_cache
