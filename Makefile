# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL run of the suite (the machine's local server; trust auth).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# pytest-xdist workers: one per core by default; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
# The browser tests share one worker (one chromium), as do the serving tests (one
# collectstatic): tests/conftest.py puts each kind in its xdist group.
PYTEST_XDIST := -n $(TEST_WORKERS) --dist loadgroup

.PHONY: run test test-sqlite test-postgres lint system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  certfaq is being served at $${SITE_URL:-http://127.0.0.1:8000/resources/}"
	@echo "  Editors: create an account with  $(BIN)/python manage.py createsuperuser"
	@echo "           then sign in at         $${SITE_URL:-http://127.0.0.1:8000/resources/}admin/"
	@echo "  Stop with Ctrl-C."
	@echo ""
	$(BIN)/gunicorn --config gunicorn.conf.py certfaq.wsgi

# The whole suite on SQLite, then again on PostgreSQL what uses the database (not the
# browser and serving tests: they run their own servers, once is enough).
test: $(VENV)/.installed-dev system-deps
	$(BIN)/ruff check .
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: $(VENV)/.installed-dev
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_XDIST)

test-postgres: $(VENV)/.installed-dev
	@echo "== test suite on PostgreSQL ($(TEST_POSTGRES_URL)) =="
	$(BIN)/python scripts/wait_for_postgres.py "$(TEST_POSTGRES_URL)"
	DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest $(PYTEST_XDIST) --database-only

# Debian's chromium drives the end-to-end tests; install it when missing.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
	  || { echo "ERROR: chromium is required by the browser tests and could not be installed (are you root?)."; exit 1; }; }
# The deployment and operations tests (tests/certfaq/test_deploy.py, test_operations.py)
# run Debian's nginx (with a certificate made by openssl) and README's backup commands:
# sqlite3, pg_dump and pg_restore.
	@command -v nginx >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1 || { \
	  echo "Installing Debian's nginx for the deployment test..."; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx openssl \
	  || { echo "ERROR: nginx is required by the deployment test and could not be installed (are you root?)."; exit 1; }; }
	@command -v sqlite3 >/dev/null 2>&1 && command -v pg_restore >/dev/null 2>&1 || { \
	  echo "Installing Debian's sqlite3 and postgresql-client for the operations test..."; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y sqlite3 postgresql-client \
	  || { echo "ERROR: sqlite3 and pg_dump are required by the operations test and could not be installed (are you root?)."; exit 1; }; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
