# Haven — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-faults test-scaling schemathesis messages compilemessages test-fresh-clone chromium venv lint format typecheck schema check-deploy migrations-check audit bench bench-profile bench-inprocess bench-instructions bench-sections bench-nudges ci clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

## Serve the whole product on 127.0.0.1:8000 (web + Celery worker + beat; Ctrl-C stops all).
## Embedded default (SQLite + filesystem broker under var/) unless DATABASE_URL / CELERY_BROKER_URL are set.
run: $(STAMP)
	$(BIN)/python scripts/run.py

## The whole test suite on PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379), in parallel.
## Sets up what its tests need first: the venv, and Debian's Chromium for the browser tests.
test: chromium $(STAMP) compilemessages
	$(BIN)/pytest -n $${PYTEST_WORKERS:-auto} --dist loadfile $(PYTEST_ARGS)

## The fault tests alone (also part of `make test`), with each one's output: own PostgreSQL,
## Redis, gunicorn and workers on spare loopback ports; PostgreSQL restarted, Redis stopped,
## a worker SIGKILLed; each prints sent / acknowledged / stored / duplicated / lost.
test-faults: $(STAMP)
	$(BIN)/pytest tests/faults -s $(PYTEST_ARGS)

## The scale-out test alone (also part of `make test`): two web processes and two workers on
## one PostgreSQL and one Redis of its own, under load; prints what it counted (docs/scaling.md).
test-scaling: $(STAMP)
	$(BIN)/pytest tests/scaling -s $(PYTEST_ARGS)

## Schemathesis alone (it also runs inside `make test`): Haven's API and the sign-in API,
## generated from their schemas, in-process. SCHEMATHESIS_MAX_EXAMPLES=200 digs deeper.
schemathesis: $(STAMP)
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadfile tests/fuzz $(PYTEST_ARGS)
## The .mo catalogues from the committed .po files, with Babel (pure Python, no GNU gettext).
## `make run` does the same on start; the test suite also compiles them when it starts.
compilemessages: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py compilemessages --verbosity 0

## Extract every translatable string into locale/<lang>/LC_MESSAGES/django.po for each shipped
## language but English (needs GNU gettext's xgettext/msgmerge: `apt-get install gettext`).
## Then translate what is new (README, "Adding a language"); the completeness test lists it.
messages: $(STAMP)
	export DJANGO_SETTINGS_MODULE=config.settings.test; \
	languages="$$($(BIN)/python -c 'import django; django.setup(); from common.i18n import translated_languages as t; print(" ".join("-l " + c for c in t()))')"; \
	$(BIN)/python manage.py makemessages $$languages --no-obsolete --no-location \
		--ignore=.venv --ignore='*/migrations/*' --ignore=tests --ignore=bench \
		--ignore=scripts --ignore=var --ignore=artifacts

## Debian's Chromium for the browser tests: installed when missing (as root), else one line
## saying what to install, before any test runs.
chromium:
	@scripts/ensure_debian_tool.sh chromium "$${HAVEN_CHROMIUM:-/usr/bin/chromium}" "make test (the browser tests)"

## What CI runs as its test step: `make test` in a fresh clone of HEAD (committed files only,
## a new .venv), with nothing installed beforehand but PostgreSQL and Redis.
test-fresh-clone:
	scripts/test_fresh_clone.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy accounts common nudges couples checkins learn config

## OpenAPI schema: fails on any warning.
schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

## Production settings with throwaway secrets must pass Django's deployment checks.
check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	FIELD_ENCRYPTION_KEYS="$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	DJANGO_ALLOWED_HOSTS=haven.example TRUSTED_PROXY_COUNT=1 \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
	REDIS_URL=redis://127.0.0.1:6379/0 CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## The API under load beside a bare Django floor and the Haven-stack floor, in one run (< 10 min):
## seeds BENCH_COUPLES (10,000) couples into haven_bench, starts gunicorn with production
## settings, drives wrk at each endpoint and prints the table (README, "Benchmarks").
## BENCH_ARGS="--couples 1000 --duration 3" for a quick one; installs Debian's wrk when missing.
bench: $(STAMP)
	@scripts/ensure_debian_tool.sh wrk "$${HAVEN_WRK:-/usr/bin/wrk}" "make bench (the load)"
	$(BIN)/python bench/api.py $(BENCH_ARGS)

## No load: pyinstrument over the hottest endpoints in-process, then EXPLAIN (ANALYZE, BUFFERS)
## of the queries of GET checkins/today and GET checkins (same database as `make bench`).
bench-profile: $(STAMP)
	$(BIN)/python bench/api.py --profile $(BENCH_ARGS)

## No load: each hot endpoint's time in-process beside the two floors, and beside the commit
## BASE when given (make bench-inprocess BASE=d53967b), the checkouts alternating.
bench-inprocess: $(STAMP)
	$(BIN)/python bench/inprocess.py $(if $(BASE),--base $(BASE)) $(BENCH_ARGS)

## No load: the instructions one request of each endpoint costs the web process, counted by
## valgrind beside the floors and the commit BASE when given; the same figure run after run,
## however busy the machine (bench/instructions.py). Installs Debian's valgrind when missing.
bench-instructions: $(STAMP)
	@scripts/ensure_debian_tool.sh valgrind "$${HAVEN_VALGRIND:-/usr/bin/valgrind}" "make bench-instructions"
	$(BIN)/python bench/instructions.py $(if $(BASE),--base $(BASE)) $(BENCH_ARGS)

## Where one request's instructions go: each middleware layer, DRF phase, signal and the log
## line, and any function named with --mark, counted by valgrind (bench/sections.py).
bench-sections: $(STAMP)
	@scripts/ensure_debian_tool.sh valgrind "$${HAVEN_VALGRIND:-/usr/bin/valgrind}" "make bench-sections"
	$(BIN)/python bench/sections.py $(BENCH_ARGS)

## Planner tick at 1M vs 100k people, the due-set query plan, delivery vs a no-op task (minutes).
bench-nudges: $(STAMP)
	$(BIN)/python bench/nudges_planner.py --people 1000000 100000 --due 2000 --deliver 20000

# Fails on a known vulnerability; one plain line (and no failure) when the advisory service
# does not answer. Audits everything installed in .venv (see scripts/audit.py).
audit: $(STAMP)
	$(BIN)/python scripts/audit.py

ci:
	bash .ci/run

clean:
	rm -rf var/ .pytest_cache .ruff_cache .mypy_cache
