# Two entry points for a fresh machine:
#   make run   set up, then run lerconf against its embedded reference implementation
#   make test  set up, then run every test
PYTHON ?= python3
VENV ?= .venv
SHARED ?= $(abspath ../shared)
export LERCONF_CONTEXTS_DIR ?= $(if $(wildcard $(SHARED)/contexts),$(SHARED)/contexts,)
export LERCONF_SCHEMAS_DIR ?= $(if $(wildcard $(SHARED)/schemas),$(SHARED)/schemas,)
export LERCONF_VECTORS_DIR ?= $(if $(wildcard $(SHARED)/vectors),$(SHARED)/vectors,)

.PHONY: setup run lint test bench vectors clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(VENV)/bin/lerconf run

# the layer contract, lint and strict typing first (seconds), then every test on every core
lint: setup
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check lerconf steps tests features tools benchmarks conftest.py
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/python -m pytest -n auto --dist loadfile

bench: setup
	$(VENV)/bin/python benchmarks/verify_throughput.py

vectors: setup
	$(VENV)/bin/python tools/make_vectors.py

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
