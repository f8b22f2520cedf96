# Every target bootstraps .venv itself, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# `make run` serves plain HTTP on this machine, so Secure cookies are switched off
# for it (browsers other than Chromium drop Secure cookies over http://).
# Behind TLS, run gunicorn directly and leave DIARY_SECURE_COOKIES at its default (1).
# It also lets anyone open a clinician's account (DIARY_PROVIDER_SIGNUP=open) so a newcomer can try
# both roles; a deployment defaults to invitations (`flask invite-provider`, README).
RUN_ENV := DIARY_SECURE_COOKIES=$${DIARY_SECURE_COOKIES:-0} DIARY_PUSH_LOOPBACK=$${DIARY_PUSH_LOOPBACK:-1} \
	DIARY_PROVIDER_SIGNUP=$${DIARY_PROVIDER_SIGNUP:-open}
# Worker class, threads and timeouts: gunicorn.conf.py (read from the repository root).
# scripts/serve runs `flask init-db` then gunicorn; with DIARY_REPLICA_URL set, under Litestream,
# after restoring a missing database or key store from the replica (docs/OPERATIONS.md).
SERVE := $(BIN)/python scripts/serve
export HOST PORT WORKERS

.PHONY: run demo test check fuzz bench bench-details bench-encryption bench-replication bench-web lint browser-deps clean \
	translations

# The Spanish catalog (docs/TRANSLATING.md): `make translations` extracts every marked text of the
# code and templates (babel.cfg) into messages.pot and merges it into each language's .po, for a
# translator to fill in, and compiles the .mo the app reads. The .mo is committed, so a server
# started without make (systemd, scripts/serve) speaks Spanish too; every target that serves or
# tests recompiles it when the .po is newer, and tests/test_translations.py fails if it differs.
CATALOGS := diary/translations
PO := $(CATALOGS)/es/LC_MESSAGES/messages.po
MO := $(PO:.po=.mo)
EXTRACT := $(BIN)/pybabel -q extract -F babel.cfg -k msg -k plural_msg:1,2 -k context_msg:1c,2 \
	--no-location --sort-output --omit-header -o $(CATALOGS)/messages.pot .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed

$(MO): $(PO) | $(VENV)/.installed
	$(BIN)/pybabel -q compile -d $(CATALOGS) -D messages

translations: $(VENV)/.installed
	$(EXTRACT)
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i $(CATALOGS)/messages.pot -d $(CATALOGS) -D messages
	$(BIN)/pybabel -q compile -d $(CATALOGS) -D messages

run: $(VENV)/.installed $(MO)
	$(RUN_ENV) $(SERVE)

demo: $(VENV)/.installed $(MO)
	$(RUN_ENV) $(SERVE) --seed-demo

# Browser tests drive Debian's chromium; scripts/ensure-chromium installs it when missing.
browser-deps:
	scripts/ensure-chromium
	scripts/ensure-poppler

# Two pytest runs. The stateful API scenarios (marked isolated) choose other scenarios when other
# test modules are imported into the same process (collecting them is enough; the cause is not yet
# found), and then miss an operation; collected alone they are the same every run.
test: $(VENV)/.installed-test $(MO) browser-deps lint
	$(BIN)/python -m pytest -m "not isolated" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m isolated tests/test_schemathesis.py $(PYTEST_ARGS)

# The loop to run while working: lint, types, and every test that needs no browser, no fuzzing, no
# crash cycles and no Litestream, on every core (pytest-xdist). `make test` (what CI runs) stays the whole suite, in one process.
check: $(VENV)/.installed-test $(MO) lint
	$(BIN)/python -m pytest -n auto -m "not browser and not fuzz and not crash and not replication" $(PYTEST_ARGS)

# The schemathesis tests of `make test` (tests/test_schemathesis.py), with many more examples and a fresh seed.
FUZZ_EXAMPLES ?= 500
fuzz: $(VENV)/.installed-test $(MO)
	DIARY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS)

$(VENV)/.installed-bench: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

bench: $(VENV)/.installed-bench $(MO)
	$(BIN)/python -m bench

bench-details: $(VENV)/.installed-bench $(MO)
	$(BIN)/python -m bench.checkins
	$(BIN)/python -m bench.trends
	$(BIN)/python -m bench.export
	$(BIN)/python -m bench.dashboard
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.crash --cycles 200
	$(BIN)/python -m bench.clinic
	$(BIN)/python -m bench.relief_validation

# What sealing the words costs: the check-in write and the all-time Trends page next to the same
# figures from the commit before sealing (a git worktree), in one run. Not part of `make bench`.
bench-encryption: $(VENV)/.installed-bench $(MO)
	$(BIN)/python -m bench.encryption $(BENCH_ENCRYPTION_ARGS)

# Replication on next to off (docs/PERFORMANCE.md, "Replication"): check-in writes, and how far the
# replica trails a clinic's load. Not part of `make bench`. BENCH_REPLICATION_ARGS: e.g. "--duration 120".
bench-replication: $(VENV)/.installed-bench $(MO)
	$(BIN)/python -m bench.replication $(BENCH_REPLICATION_ARGS)

# Phone load (docs/PERFORMANCE.md): Lighthouse 12 on a phone and cold loads on Chrome's "Slow 4G", in
# Debian's chromium; not part of `make test` or `make bench`. Lighthouse comes from bench/web/package-lock.json
# (Node 20 at /usr/bin/node); after changing the lock file, delete bench/web/node_modules to reinstall.
# BENCH_WEB_ARGS: e.g. "--runs 5 --loads 5". Exits non-zero when a target is missed (make reports Error 1).
bench-web: $(VENV)/.installed-test $(MO)
	scripts/ensure-chromium
	test -d bench/web/node_modules || npm ci --prefix bench/web --no-audit --no-fund
	$(BIN)/python -m bench.web $(BENCH_WEB_ARGS)

# flake8 and isort read their settings from setup.cfg; tests/ get 160 columns (setup.cfg says why).
lint: $(VENV)/.installed-test
	$(BIN)/python -m flake8 diary bench wsgi.py
	$(BIN)/python -m flake8 --max-line-length 160 tests
	$(BIN)/python -m isort --check-only --diff diary bench tests wsgi.py
	$(BIN)/python -m mypy diary

clean:
	rm -rf $(VENV) .pytest_cache
