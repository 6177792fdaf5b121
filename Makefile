# TAC Portal developer commands.
#
#   make run        the portal with demo data (embedded PostgreSQL/Redis when
#                   DATABASE_URL / REDIS_URL are unset), web + worker + beat
#   make test       the whole test suite, in parallel (pytest-xdist), browser tests
#                   included: gets a Chromium and a ClamAV daemon (clamd) first, or
#                   fails saying how to get them
#                   (PYTEST_ARGS="..." passes options to pytest, TEST_WORKERS=N sets
#                   the number of workers, TEST_WORKERS=0 runs serially)
#   make test-quick the suite WITHOUT the browser tests (-m "not browser"), on purpose:
#                   for a machine with no Chromium; make test is the one that counts
#   make lint       ruff check, ruff format --check, mypy, the import contracts,
#                   makemigrations --check, bandit and semgrep
#   make fmt        ruff format and ruff check --fix
#   make typecheck  mypy
#   make lock       requirements.lock and requirements-runtime.lock from pyproject.toml

SHELL := /bin/bash
THIS_MAKEFILE := $(firstword $(MAKEFILE_LIST))
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed-from-lock
UV_VERSION := 0.13.9
EMBEDDED := $(PY) -m tac_portal.embedded run --
PORT ?= 8000
PYTEST_ARGS ?=
# One worker per core, each with its own test database (test_<name>_gw0, _gw1...), Redis
# key prefix, live server and Chromium. worksteal lets an idle worker take tests still
# queued on the busy one, so the long tests (state machines, worker kills, browser
# journeys) do not leave one worker idle at the end.
TEST_WORKERS ?= auto
TEST_DIST ?= worksteal
XDIST_ARGS = -n $(TEST_WORKERS) --dist $(TEST_DIST)

# Commands in Procfile (python, celery) and honcho itself come from the virtualenv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export VIRTUAL_ENV := $(CURDIR)/$(VENV)

# mypy's Django plugin imports the settings, which need the two URLs to be set;
# nothing connects to them while type checking.
TYPECHECK_ENV := TAC_ENVIRONMENT=test \
	DATABASE_URL="$${DATABASE_URL:-postgres://localhost/tac_portal}" \
	REDIS_URL="$${REDIS_URL:-redis://localhost:6379/0}"

.PHONY: help run _serve test test-quick chromium clamav lint security fmt typecheck venv lock

help:
	@sed -n '3,16p' $(THIS_MAKEFILE) | sed 's/^# \{0,1\}//'

# --- Virtualenv: rebuilt only when requirements.lock changes -----------------

venv: $(VENV_STAMP)

# Every package in the lock carries its hashes, and both installers check them.
$(VENV_STAMP): requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	if $(VENV)/bin/pip install --quiet uv==$(UV_VERSION); then \
		$(VENV)/bin/uv pip sync --require-hashes --python $(PY) requirements.lock; \
	else \
		echo "uv is not available; installing with pip instead"; \
		$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock; \
	fi
	touch $@

# requirements.lock (everything make venv installs) and requirements-runtime.lock (the
# image's share of it, at the same versions) from pyproject.toml, with hashes, for
# Python 3.11 on Linux. Versions already pinned stay; LOCK_ARGS="--upgrade-package
# NAME" moves one, LOCK_ARGS="--upgrade" all.
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --generate-hashes
LOCK_ARGS ?=

lock: $(VENV_STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --group dev $(LOCK_TARGET) $(LOCK_ARGS) \
		-o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml -c requirements.lock $(LOCK_TARGET) \
		-o requirements-runtime.lock

# --- Running the portal ------------------------------------------------------

run: export TAC_ENVIRONMENT := development
run: export TAC_REQUIRE_MFA ?= 0
run: export SECURE_COOKIES ?= 0
run: export EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
run: export PORT := $(PORT)
# The Procfile's scanner process runs clamd here with the local test signatures (or says
# that clamd is not installed, and every upload is then quarantined with that reason).
run: export TAC_CLAMD_ADDRESS ?= unix://$(CURDIR)/.data/clamd/clamd.sock
run: $(VENV_STAMP)
	$(EMBEDDED) $(MAKE) --no-print-directory -f $(THIS_MAKEFILE) _serve

define SEEDED_CHECK
from django.contrib.auth import get_user_model
seeded = get_user_model().objects.filter(email="practitioner@demo.tac.example").exists()
print("yes" if seeded else "no")
endef
export SEEDED_CHECK

define BANNER
import os
from django.conf import settings
accounts = [
    ("practitioner", "health visitor, member of several TACs"),
    ("lead", "family support worker, lead professional"),
    ("school", "school designated safeguarding lead"),
    ("outsider", "police officer with no relationship to any demo case"),
    ("manager", "early help team manager"),
    ("coordinator", "local authority early help coordinator"),
    ("admin", "system administrator (configuration only)"),
    ("auditor", "information governance officer"),
]
rule = "-" * 72
print(rule)
print(f"TAC Portal: http://localhost:{os.environ.get('PORT', '8000')}/")
print()
print(f"Demo sign-ins, all with the password: {settings.DEMO_PASSWORD}")
for name, who in accounts:
    print(f"  {name + '@demo.tac.example':<32} {who}")
print()
if not settings.TAC_REQUIRE_MFA:
    print("Two-factor sign-in is off for this demo (TAC_REQUIRE_MFA=0).")
print(f"Emails are written to {settings.EMAIL_FILE_PATH}")
print("Press Ctrl-C to stop the web server, worker, beat and embedded servers.")
print(rule, flush=True)
endef
export BANNER

# Runs inside the embedded wrapper, with DATABASE_URL and REDIS_URL set.
_serve:
	$(PY) manage.py migrate --noinput
	@seeded="$$($(PY) manage.py shell --verbosity 0 --no-imports -c "$$SEEDED_CHECK")" && \
	if [ "$$seeded" = yes ]; then \
		echo "Demo data already loaded."; \
	else \
		echo "Loading demo data (first run only)..." && $(PY) manage.py seed_demo; \
	fi
	@$(PY) manage.py shell --verbosity 0 --no-imports -c "$$BANNER"
	@# New partner client secrets, printed to this console only (stored hashed, never logged).
	@$(PY) manage.py demo_partner_clients
	exec honcho start --port $(PORT)

# --- Checks ------------------------------------------------------------------

# Python may cache bytecode while testing, even where the environment says not to
# (PYTHONDONTWRITEBYTECODE=1): without a cache every process the suite starts (xdist
# workers, Celery workers, the settings and semgrep checks) compiles Django and the rest
# from source, several seconds each. The caches go to __pycache__/, which git ignores.
test test-quick: export PYTHONDONTWRITEBYTECODE :=
# The suite's settings, named here because the embedded wrapper imports the Celery app,
# which sets DJANGO_SETTINGS_MODULE=tac_portal.settings for itself and its children, and
# pytest-django prefers that to pyproject's tac_portal.test_settings.
test test-quick: export DJANGO_SETTINGS_MODULE := tac_portal.test_settings

test: export TAC_ENVIRONMENT := test
test: $(VENV_STAMP) chromium clamav
	$(EMBEDDED) $(VENV)/bin/pytest $(XDIST_ARGS) $(PYTEST_ARGS)

test-quick: export TAC_ENVIRONMENT := test
test-quick: $(VENV_STAMP)
	@echo "make test-quick: the browser tests (marked browser) are left out on purpose."
	@echo "make test-quick: make test runs them, and CI runs make test."
	$(EMBEDDED) $(VENV)/bin/pytest $(XDIST_ARGS) -m "not browser" $(PYTEST_ARGS)

# A Chromium for the browser tests: Debian's, else installed (apt-get as root, else
# Playwright's download), else a clear failure saying how to get one (tests/chromium.py).
chromium: $(VENV_STAMP)
	@$(PY) -m tests.chromium ensure >/dev/null

# A ClamAV daemon for the document tests, which scan with the real scanner: Debian's, else
# installed (apt-get as root), else a clear failure saying how to get one (tests/clamav.py).
clamav: $(VENV_STAMP)
	@$(PY) -m tests.clamav ensure >/dev/null

lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TYPECHECK_ENV) $(VENV)/bin/mypy .
	$(TYPECHECK_ENV) $(VENV)/bin/lint-imports
	TAC_ENVIRONMENT=test $(EMBEDDED) $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) -f $(THIS_MAKEFILE) security

# Security checks: bandit (medium and high) and the project's own semgrep rules, offline.
security: $(VENV_STAMP)
	$(VENV)/bin/bandit -q -c pyproject.toml -r . -ll
	$(VENV)/bin/semgrep scan --metrics=off --disable-version-check --error --quiet \
		--config .semgrep/project-rules.yml \
		--exclude .venv --exclude static --exclude tests --exclude benchmarks \
		--exclude '*/migrations/*' .

typecheck: $(VENV_STAMP)
	$(TYPECHECK_ENV) $(VENV)/bin/mypy .

fmt: $(VENV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
