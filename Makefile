# Oversight developer commands. Needs only Python 3.11+ (PYTHON=... to pick one).
#   make run      install, migrate, load the demo set into an empty database, serve
#   make test     install, lint, run the test suite (PYTEST_ARGS=... to pass options)
#   make openapi  regenerate openapi/openapi.json
#   make bench    run the benchmarks under bench/ (BENCH_ARGS=... to pass options)

VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
HOST  ?= 127.0.0.1
PORT  ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

# The first interpreter on PATH that is Python 3.11 or newer.
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11 python; do \
	command -v $$p >/dev/null 2>&1 && \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && \
	{ echo $$p; break; }; done)
endif

.PHONY: venv run test openapi bench

venv: $(STAMP)

# Re-installs only when pyproject.toml changed since the last install (or the venv is new).
$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.11 or newer is needed; none found on PATH (set PYTHON=...)" >&2; \
		exit 1; fi
	@if [ ! -x $(BIN)/python ]; then \
		echo "creating $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv $(VENV) || { \
			echo "error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt install python3-venv)" >&2; \
			rm -rf $(VENV); exit 1; }; \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

# The demo set goes only into an empty database (`oversight demo` refuses any other with
# "not empty"), so a later run keeps what is there.
run: venv
	$(BIN)/oversight db upgrade
	@out=$$($(BIN)/oversight demo 2>&1); status=$$?; \
	if [ $$status -eq 0 ]; then printf '%s\n' "$$out"; \
	elif printf '%s' "$$out" | grep -qi 'not empty'; then \
		echo "The database already holds data: the demo set is not loaded again."; \
	else printf '%s\n' "$$out" >&2; exit $$status; fi
	@echo
	@echo "Oversight API:  http://$(HOST):$(PORT)/api/v1"
	@echo "API docs:       http://$(HOST):$(PORT)/docs"
	@echo
	$(BIN)/oversight serve --host $(HOST) --port $(PORT)

test: venv
	$(BIN)/ruff check src tests
	$(BIN)/pytest $(PYTEST_ARGS)

openapi: venv
	$(BIN)/oversight openapi --output openapi/openapi.json

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,bench]"
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@scripts="$(wildcard bench/*.py)"; \
	if [ -z "$$scripts" ]; then echo "error: no benchmark scripts under bench/" >&2; exit 1; fi; \
	for script in $$scripts; do echo "== $$script"; $(BIN)/python $$script $(BENCH_ARGS) || exit 1; done
