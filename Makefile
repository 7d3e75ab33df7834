# The two commands of the quick start: `make run` and `make test`.
# Everything else here is a step they use; each step is safe to repeat.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi.py
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-sqlite test-postgres setup translations database content demo browser lint benchmark

## make run: set everything up and serve the portal on http://127.0.0.1:5000
run: setup translations database content demo
	$(FLASK) run --host 127.0.0.1 --port 5000

## make test: the whole suite on SQLite, then on PostgreSQL when one answers here
test: setup translations browser test-sqlite test-postgres

test-sqlite:
	$(PY) -m pytest

test-postgres:
	@url=$$(bash .ci/postgres-url); \
	if [ -n "$$url" ]; then \
	  echo "== PostgreSQL pass"; CHAMPIONS_TEST_DATABASE_URL="$$url" $(PY) -m pytest -m "not browser"; \
	else echo "== no PostgreSQL server answers here: PostgreSQL pass skipped"; fi

setup: $(VENV)/.installed

$(VENV)/.installed: setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) .ci/requirements.py > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

translations: setup
	$(FLASK) translations compile

database: setup
	mkdir -p instance
	$(FLASK) db upgrade

content: database
	$(FLASK) content load
	$(FLASK) search rebuild

demo: database
	$(FLASK) dev demo-accounts

browser:
	@bash .ci/ensure-chromium

lint: setup
	$(VENV)/bin/ruff check app tests

benchmark: setup translations
	$(PY) -m tests.benchmarks.match_benchmark
