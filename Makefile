# Yorisoi: two commands do all the set-up on a fresh machine with Python >= 3.11 and make.
#   make run    install, migrate, load demo data if the database is empty, serve on 127.0.0.1:8000
#   make test   install, ruff check, the whole pytest suite
#   make bench  the benchmark (bench/), figures in docs/performance.md; make bench-short: under five minutes
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

# make audit: the installed packages against known vulnerabilities (pip-audit; needs pypi.org or osv.dev).
.PHONY: audit install run test test-postgres lint messages screenshots bench bench-short clean mutate

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Yorisoi needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty
	@echo "Yorisoi: http://$(HOST):$(PORT)/"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

# The suite against PostgreSQL (DATABASE_URL defaults to the local server).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yorisoi} $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

# Check every installed package against PyPA's advisory database (pip-audit asks pypi.org). On a
# closed network the frozen list (var/requirements-audit.txt) is audited on a machine that can
# reach it: pip-audit --no-deps --disable-pip -r requirements-audit.txt (docs/security.md).
audit: install
	mkdir -p var
	$(BIN)/python -m pip install --quiet -e ".[dev,audit]"
	$(BIN)/python -m pip freeze --exclude-editable > var/requirements-audit.txt
	$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r var/requirements-audit.txt

# Refresh the Japanese catalog (needs GNU gettext's xgettext) and compile it without msgfmt.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale ja --no-location --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'docs/*'
	$(BIN)/python scripts/compile_messages.py

# Mutation testing (mutmut 3) of the access rules, attendance, early warnings and pairing: each
# mutant runs only the tests that reach it ([tool.mutmut] in pyproject.toml); figures and the
# survivors that remain are in docs/security.md. Not part of .ci/run (it takes tens of minutes).
# PostgreSQL is faster (the test database is kept between mutants): make mutate DATABASE_URL=postgres://...
MUTATE_JOBS ?= 2
mutate: install
	rm -rf mutants
	mkdir -p var
	PYTEST_ADDOPTS="--reuse-db" nice $(BIN)/mutmut run --max-children $(MUTATE_JOBS) > var/mutate.log 2>&1 \
		|| (tail -n 30 var/mutate.log; false)
	$(BIN)/python scripts/mutation_report.py --survivors

# The benchmark (bench/): seeds each scale in bulk, serves it with gunicorn, drives each screen with
# locust, writes docs/performance.md. Full: three scales on SQLite and PostgreSQL, 30 s per scenario
# (about an hour on this machine); short: classroom and five years on SQLite, 5 s each (under five
# minutes). More choices: BENCH_ARGS="--scales city --databases postgres --run-time 10", or
# .venv/bin/python -m bench --help. PostgreSQL: BENCH_POSTGRES=postgres://user@host:port (no database).
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-short: install
	$(BIN)/python -m bench --short $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static
