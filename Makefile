# Isesaki KPI: the developer loop. `make help` lists the targets; every target runs the tools of
# the project's virtualenv (.venv), which `make install` makes from the lock files.

PYTHON ?= python3.11
BIN := .venv/bin
# make test-postgres PG_URL=postgres://USER:PASSWORD@HOST:5432/NAME (the role needs CREATEDB)
PG_URL ?= postgres://kpi_ci:kpi_ci@127.0.0.1:5432/kpi_ci
# tests/deploy makes and drops scratch databases through this one (same server and role)
TEST_POSTGRES_URL ?= $(dir $(PG_URL))postgres
# make bench BENCH_DB=sqlite (or postgres, both); PostgreSQL from BENCH_POSTGRES_URL
BENCH_DB ?= both
# make lock LOCK_ARGS=--upgrade moves every transitive pin to its newest release
LOCK_ARGS ?=
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

.DEFAULT_GOAL := help
.PHONY: help install run test test-postgres lint format typecheck layers bench lock ci

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: ## .venv with the exact versions of requirements-dev.lock, the project editable
	test -x $(BIN)/python || $(PYTHON) -m venv .venv
	$(BIN)/pip install -q -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .

run: ## migrate, load the plan (load_plan) and its history, serve on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py load_plan fixtures/source/plan_2025_2029.yaml
	$(BIN)/python manage.py populate_history --auto
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: ## the tests on SQLite (pass ARGS="tests/site -q" to choose)
	env -u DATABASE_URL $(BIN)/pytest $(ARGS)

test-postgres: ## the tests on PostgreSQL at PG_URL
	DATABASE_URL="$(PG_URL)" TEST_POSTGRES_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest $(ARGS)

lint: ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: ## ruff's fixes and formatting, in place
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: ## mypy with django-stubs ([tool.mypy] in pyproject.toml)
	$(BIN)/mypy

layers: ## the import-linter contract ([tool.importlinter] in pyproject.toml)
	$(BIN)/lint-imports --no-cache

bench: ## the benchmarks at their default sizes (minutes; see bench/*.py for options)
	$(BIN)/python bench/dashboards.py --db $(BENCH_DB)
	$(BIN)/python bench/imports.py --db $(BENCH_DB)
	$(BIN)/python bench/import_preview.py --db $(BENCH_DB)
	$(BIN)/python bench/evaluations.py --db $(BENCH_DB)
	$(BIN)/python bench/report.py --db $(BENCH_DB)

lock: ## refresh requirements.lock and requirements-dev.lock from pyproject.toml
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.lock --output-file requirements-dev.lock \
		pyproject.toml

ci: ## what CI runs (.ci/run): lint, types, layers, the tests on SQLite and PostgreSQL
	bash .ci/run
