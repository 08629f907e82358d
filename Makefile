# Two entry points for a fresh machine:
#   make run   set up, then run lerconf against its embedded reference implementation
#   make test  set up, then run every test
PYTHON ?= python3
VENV ?= .venv
SHARED ?= $(abspath ../shared)
export LERCONF_CONTEXTS_DIR ?= $(if $(wildcard $(SHARED)/contexts),$(SHARED)/contexts,)
export LERCONF_SCHEMAS_DIR ?= $(if $(wildcard $(SHARED)/schemas),$(SHARED)/schemas,)
export LERCONF_VECTORS_DIR ?= $(if $(wildcard $(SHARED)/vectors),$(SHARED)/vectors,)

.PHONY: setup run lint test bench bench-run bench-vendors bench-wallet vectors clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(VENV)/bin/lerconf run

# the layer contract, lint and strict typing first (seconds), then every test on every core
LINT = $(VENV)/bin/lint-imports && $(VENV)/bin/ruff check lerconf steps tests features tools benchmarks conftest.py \
	&& $(VENV)/bin/mypy
lint: setup
	$(LINT)

# two workers more than there are cores: the end-to-end files spend part of their time waiting on servers,
# subprocesses and deliberate protocol waits (an expired nonce, a deferred credential), and the others fill
# those gaps (two cores: 4 workers 325 s, 3 workers 356-361 s, CPU 178% -> 190%; 5 workers 330 s against
# 307-319 s with 4 on the final code). PYTHONDONTWRITEBYTECODE
# emptied: the suite starts a few hundred Python processes (lerconf runs, workers, CLIs); where the
# environment forbids bytecode, each compiled every module of lerconf from source again (CPU 1,127 s -> 798 s)
# While lint runs (one core), one collection writes the test files' assertion-rewritten bytecode: a fresh
# checkout has none, and every worker rewrote every test file at once (a collection: 7.5 s cold, 2.5 s warm).
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 2)")
test: setup
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/python -m pytest --collect-only -q -p no:cacheprovider >/dev/null 2>&1 & \
	$(LINT); linted=$$?; wait; exit $$linted
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=30

# lerconf against plain pyld (proof only), then against the Digital Bazaar Node stack on the same
# credentials (needs Node.js >= 20; installs the peer's locked packages once), with -j 1 / -j 2
bench: setup
	$(VENV)/bin/python benchmarks/verify_throughput.py
	test -d tests/peers/digitalbazaar/node_modules/@digitalbazaar/vc || npm ci --prefix tests/peers/digitalbazaar --no-audit --no-fund --loglevel=error
	$(VENV)/bin/python benchmarks/verify_vs_node.py

# a whole `lerconf run` against the embedded reference: one process, -n 2 and -n auto (time, memory, counts)
bench-run: setup
	$(VENV)/bin/python benchmarks/run_speed.py

# five vendors (the reference, the Digital Bazaar peer, three faulty vendors) against one: time, memory, counts
bench-vendors: setup
	test -d tests/peers/digitalbazaar/node_modules/@digitalbazaar/vc || npm ci --prefix tests/peers/digitalbazaar --no-audit --no-fund --loglevel=error
	$(VENV)/bin/python benchmarks/five_vendors.py

# one separately started wallet: its scenarios with no -n, with -n 2 as one wallet, with -n 2 isolated per scenario
bench-wallet: setup
	$(VENV)/bin/python benchmarks/one_wallet.py

vectors: setup
	$(VENV)/bin/python tools/make_vectors.py

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
