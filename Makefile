# One command to run the app, one to run the tests (see README.md).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: run serve-workers test lint format system-deps services clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	$(BIN)/python app.py $(ARGS)

# N workers sharing PostgreSQL and Redis (set DATABASE_URL, SOCKETIO_MESSAGE_QUEUE, SECRET_KEY).
WORKERS ?= 4
serve-workers: $(BIN)/.installed
	$(BIN)/flask db upgrade
	PYTHON=$(BIN)/python scripts/serve-workers.sh $(WORKERS)

system-deps:
	scripts/install-system-deps.sh

services:
	scripts/start-services.sh

test: $(BIN)/.installed system-deps services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts

# Load and render benchmarks (bench/README.md): `make bench`, or `make bench ARGS=--quick`.
.PHONY: bench
bench: $(BIN)/.installed system-deps services
	$(BIN)/pip install --quiet -r bench/requirements.txt
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 || \
		echo "no wrk: bench.status_page loads the page with aiohttp instead"
	$(BIN)/python -m bench $(ARGS)

# Mutation testing of the modules that carry the guarantees (docs/testing.md; not in CI).
.PHONY: mutate
mutate: $(BIN)/.installed services
	$(BIN)/pip install --quiet 'mutmut>=3.3,<4'
	rm -rf mutants
	$(BIN)/python scripts/mutation-targets.py
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results
