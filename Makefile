# Oversight developer commands. Needs only Python 3.11+ (PYTHON=... to pick one).
#   make run         install, migrate, load the demo set into an empty database, serve
#                    (with a webhook worker beside the server)
#   make test        install, lint, run the test suite, a process per CPU (PYTEST_ARGS=...
#                    to pass options, TEST_WORKERS=N for N processes, 0 for none)
#   make openapi     regenerate openapi/openapi.json
#   make schemathesis `st run --checks all` against a live server with the demo set, as an
#                    admin, an editor and a member (about 3.5 minutes; not in `make test`)
#   make bench       run the benchmarks under bench/ (BENCH_ARGS=... to pass options)
#   make lock        regenerate the lock files in requirements/ from pyproject.toml
#                    (UPGRADE=1 to move every pin to the newest release the ranges allow)
#   make lock-check  fail when the lock files do not match pyproject.toml
#
# Everything is installed from the lock files with pip --require-hashes: exact versions,
# checked against the hashes recorded when the lock was made. run and test share one
# .venv with requirements/test.txt; bench adds requirements/bench.txt to it.

VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
UV_STAMP := $(VENV)/.installed-uv
HOST  ?= 127.0.0.1
PORT  ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per CPU; TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= auto
BENCH_ARGS ?=
UPGRADE ?=
PIP   := $(BIN)/python -m pip --quiet --disable-pip-version-check

# The tool that makes the lock files (not needed to install from them); `make lock` after
# changing this version records the new release's hashes in requirements/uv.txt.
UV_VERSION := 0.13.9

# The first interpreter on PATH that is Python 3.11 or newer.
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11 python; do \
	command -v $$p >/dev/null 2>&1 && \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && \
	{ echo $$p; break; }; done)
endif

.PHONY: venv run test openapi schemathesis bench lock lock-check

venv: $(STAMP)

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.11 or newer is needed; none found on PATH (set PYTHON=...)" >&2; \
		exit 1; fi
	@echo "creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV) || { \
		echo "error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt install python3-venv)" >&2; \
		rm -rf $(VENV); exit 1; }

# Re-installs only when pyproject.toml or a lock file it uses changed since the last install
# (or the venv is new). The project itself goes in editable, without dependencies (they all
# come from the lock) and built by the locked hatchling; pip check then fails when the lock
# no longer satisfies pyproject.toml.
$(STAMP): pyproject.toml requirements/test.txt requirements/build.txt | $(BIN)/python
	$(PIP) install --require-hashes -r requirements/test.txt
	$(PIP) install --require-hashes -r requirements/build.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	$(PIP) check
	@touch $(STAMP)

# The demo set goes only into an empty database (`oversight demo` refuses any other with
# "not empty"), so a later run keeps what is there.
run: venv
	$(BIN)/oversight db upgrade
	@$(BIN)/oversight demo --if-empty
	@echo
	@echo "Oversight API:  http://$(HOST):$(PORT)/api/v1"
	@echo "API docs:       http://$(HOST):$(PORT)/docs"
	@echo "Webhooks:       delivered by 'oversight worker', started beside the server"
	@echo
	@$(BIN)/oversight worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/oversight serve --host $(HOST) --port $(PORT)

test: venv
	$(BIN)/ruff check src tests
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

openapi: venv
	$(BIN)/oversight openapi --output openapi/openapi.json

schemathesis: venv
	OVERSIGHT_LONG_LIVE_TESTS=1 $(BIN)/pytest tests/test_schemathesis_live.py -rP $(PYTEST_ARGS)

$(BENCH_STAMP): $(STAMP) requirements/bench.txt
	$(PIP) install --require-hashes -r requirements/bench.txt
	$(PIP) check
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@scripts="$(wildcard bench/*.py)"; \
	if [ -z "$$scripts" ]; then echo "error: no benchmark scripts under bench/" >&2; exit 1; fi; \
	for script in $$scripts; do echo "== $$script"; $(BIN)/python $$script $(BENCH_ARGS) || exit 1; done

# --- lock files ----------------------------------------------------------------------------
# requirements/bench.txt  runtime + test + bench extras (the widest set, resolved first)
# requirements/test.txt   runtime + test extras     } constrained to bench.txt's versions, so
# requirements/app.txt    runtime only              } what runs is what was tested
# requirements/build.txt  pyproject.toml's build-system requires (hatchling), and editables,
#                         which hatchling asks for to make the editable install of `make test`
# requirements/uv.txt     the lock tool itself, at UV_VERSION
# Universal locks for Python 3.11+ on every platform: markers where a dependency differs and
# the hashes of every wheel and sdist of each pinned release. Pins already in a lock file are
# kept while pyproject.toml still allows them; UPGRADE=1 resolves to the newest instead.

$(UV_STAMP): requirements/uv.txt | $(BIN)/python
	$(PIP) install --require-hashes -r requirements/uv.txt
	@touch $(UV_STAMP)

# Compiles pyproject.toml in the current directory into its requirements/ directory.
LOCK_COMPILE = set -e; \
	compile() { "$(abspath $(BIN))/uv" pip compile --quiet --universal --python-version 3.11 \
		--generate-hashes --annotation-style line --custom-compile-command "make lock" \
		$(if $(UPGRADE),--upgrade) "$$@"; }; \
	compile pyproject.toml --extra test --extra bench -o requirements/bench.txt; \
	compile pyproject.toml --extra test -c requirements/bench.txt -o requirements/test.txt; \
	compile pyproject.toml -c requirements/bench.txt -o requirements/app.txt; \
	build_requires=$$("$(abspath $(BIN))/python" -c 'import tomllib; \
		print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'); \
	printf '%s\n' "$$build_requires" "editables~=0.3" \
		| compile - -c requirements/bench.txt -o requirements/build.txt; \
	echo "uv==$(UV_VERSION)" | compile - -o requirements/uv.txt

# Compiles a copy of pyproject.toml and the lock files in a temporary directory, so that the
# pins already in the lock files are kept as far as pyproject.toml allows.
LOCK_IN_TMP = set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir "$$tmp/requirements"; cp pyproject.toml "$$tmp/"; cp requirements/*.txt "$$tmp/requirements/"; \
	(cd "$$tmp"; $(LOCK_COMPILE))

# Copies back only the lock files that changed, so that an unchanged one does not trigger a
# re-install.
lock: $(UV_STAMP)
	@$(LOCK_IN_TMP); changed=0; \
	for f in "$$tmp"/requirements/*.txt; do \
		if ! cmp -s "$$f" "requirements/$${f##*/}"; then \
			cp "$$f" requirements/; echo "updated requirements/$${f##*/}"; changed=1; fi; done; \
	if [ $$changed -eq 0 ]; then echo "lock files already up to date with pyproject.toml"; fi

lock-check: $(UV_STAMP)
	@$(LOCK_IN_TMP); \
	if ! diff -ru requirements "$$tmp/requirements"; then \
		echo "error: the lock files in requirements/ do not match pyproject.toml; run 'make lock'" >&2; \
		exit 1; fi; \
	echo "lock files match pyproject.toml"
