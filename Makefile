# keyproj — every target installs what it needs, from nothing.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_TODAY ?= 2020-10-11
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint bench bench-burst install install-dev frontend migrate messages ci clean browsers worker bundle stack stack-tools

$(BIN)/python:
	@command -v $(PY) >/dev/null || { echo "Python 3.11 is required ($(PY) not found)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@ $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

frontend: node_modules/.installed

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --noinput -v0

messages: install-dev
	$(MANAGE) compilemessages --ignore .venv --ignore node_modules -v0

## make run: install, migrate, load the demo county once, serve on http://127.0.0.1:$(PORT)
run: migrate
	KEYPROJ_TODAY=$(DEMO_TODAY) $(MANAGE) seed_demo --once
	@echo ""
	@echo "keyproj is serving the demo county at http://127.0.0.1:$(PORT)  (today is pinned to $(DEMO_TODAY))"
	@echo "Demo logins, password Keyproj-2020: office, supervisor, leader, viewer, water, transport, hongan, sysadmin, secadmin, auditor"
	@echo ""
	@# The background job consumer (reminders, scheduled bulletins) runs beside the web server.
	KEYPROJ_TODAY=$(DEMO_TODAY) $(MANAGE) run_huey --quiet & huey=$$!; trap "kill $$huey 2>/dev/null" EXIT INT TERM; \
	KEYPROJ_TODAY=$(DEMO_TODAY) $(MANAGE) runserver 127.0.0.1:$(PORT)

## background jobs (reminders, bulletins) for a served instance
worker: migrate
	$(MANAGE) run_huey

## Chromium for the browser tests: Debian's package where we may install it
browsers:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null; } || echo "chromium could not be installed: browser tests will skip"; \
	  else echo "chromium is absent: browser tests will skip (apt-get install chromium)"; fi; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make test: install what tests need, check migrations and lint, run the whole suite
test: install-dev frontend browsers
	@mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run -v1
	$(BIN)/pytest -q $(PYTEST_ARGS)

## make bench: province-scale data; the heavy pages over HTTP (gunicorn, DEBUG=0) against their
## bare SQL, figures verified (see docs/benchmarks.md). BENCH_ARGS="" gives the in-process mode.
BENCH_ARGS ?= --http --verify
bench: install-dev
	@mkdir -p var
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## make bench-burst: the deadline-day burst (issue 17 item 5): unit users submitting September's reports
## at once through gunicorn (4 workers, DEBUG=0) on a private PostgreSQL cluster, beside pgbench running
## the same statements, then the cluster restarted mid-burst (bench/burst.py, docs/benchmarks.md)
BURST_ARGS ?= --json docs/bench-results/burst-pg.json --script bench/burst_submit.sql
bench-burst: install-dev
	$(BIN)/python -m bench.burst $(BURST_ARGS)

## make bundle: an offline installation, dist/keyproj-<version>.tar.gz (wheels, front-end packages,
## collected static files, install.sh; docs/deploy.md)
bundle: install frontend
	$(BIN)/python deploy/bundle.py

## nginx and openssl for the stack test (Debian packages, installed where we may, like chromium);
## systemd-analyze is optional: without it tests/test_deploy.py skips verifying the units, saying so
stack-tools:
	@missing=""; for tool in nginx openssl; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	  else echo "make stack needs$$missing (apt-get install$$missing)"; exit 1; fi; \
	fi
	@command -v systemd-analyze >/dev/null || echo "systemd-analyze is absent (apt-get install systemd): the systemd units are not verified"

## make stack: the heavy deployment tests, run once by CI (tests/stack: nginx + gunicorn + PostgreSQL +
## Redis + huey smoke test; the offline bundle installed with no network)
stack: install-dev frontend stack-tools
	$(BIN)/pytest -q tests/stack

ci:
	.ci/run

clean:
	rm -rf $(VENV) node_modules var/static test-artifacts
