# The README's commands. `make run` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run setup install test test-fast lint format serve worker index-worker scheduler translations compile-translations screenshots clean

run: setup compile-translations ## set up the embedded default and serve the app at http://127.0.0.1:5000
	$(FLASK) run --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed ## migrate the database, load ESCO and the demo data (idempotent)
	$(FLASK) db upgrade
	$(FLASK) jobmatch taxonomy load
	$(FLASK) jobmatch seed demo
	$(FLASK) jobmatch model prepare
	$(FLASK) jobmatch index concepts
	$(FLASK) jobmatch index rebuild

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is pinned to the CPU build (2.13.0) in pyproject.toml.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The accessibility checker (axe-core) the browser tests inject, from the npm registry.
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
	touch $@

# The browser tests drive Debian's Chromium. Checked first, so a machine without it stops at
# once: installed through apt where the user may, otherwise the exact command is printed.
CHROMIUM ?= $(or $(JOBMATCH_CHROMIUM),/usr/bin/chromium)
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium for the browser tests (apt-get install chromium)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Chromium at $(CHROMIUM). Install it with:" >&2; \
	  echo "    sudo apt-get install -y chromium" >&2; \
	  echo "(or set JOBMATCH_CHROMIUM to its path), then run make test again." >&2; \
	  exit 1; \
	fi

test: $(CHROMIUM) $(VENV)/.installed-test compile-translations $(AXE) ## the whole suite, against the machine's PostgreSQL and Redis
	$(BIN)/pytest

test-fast: $(VENV)/.installed-test compile-translations ## the inner loop: everything but the slow tests (model, Chromium, workers, API fuzzing)
	$(BIN)/pytest -m "not slow"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve: $(VENV)/.installed compile-translations ## production web server (set DATABASE_URL, REDIS_URL, SECRET_KEY)
	$(FLASK) db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

worker: $(VENV)/.installed ## background jobs from Redis (set REDIS_URL, DATABASE_URL)
	$(FLASK) jobmatch worker

index-worker: $(VENV)/.installed ## the index jobs alone, so no long job delays them
	$(FLASK) jobmatch worker --queue index

scheduler: $(VENV)/.installed ## scheduled jobs: expiry, reconcile, snapshots, rebuild (one per site)
	$(FLASK) jobmatch scheduler

# After changing interface text: refresh the catalogues, translate what is new or fuzzy in
# translations/*/LC_MESSAGES/messages.po (tests/test_translations.py fails until every
# message is translated), then compile.
translations: $(VENV)/.installed ## extract the interface text and update the five catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _n:1,2 --no-location --sort-output \
	  --project jobmatch --copyright-holder "jobmatch" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete -w 100
	$(BIN)/pybabel compile -d translations --statistics

compile-translations: $(VENV)/.installed ## compile the catalogues (.po to .mo)
	$(BIN)/pybabel -q compile -d translations

screenshots: $(VENV)/.installed-test compile-translations ## the main pages in five languages, into docs/screenshots/
	JOBMATCH_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/e2e/test_screenshots.py

clean:
	rm -rf $(VENV) instance .pytest_cache
