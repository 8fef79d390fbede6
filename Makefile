# apigen: `make generate` and `make test` work on a fresh machine; each installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 8000
WORKERS ?= 1
export PYTHONPATH := $(CURDIR)/generated/python:$(CURDIR)

.PHONY: all generate check test lint typecheck serve golden venv node clean chromium bench corpus fuzz

all: generate

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

venv: $(STAMP)
node: $(NODE_STAMP)

## generate: validate spec/openapi.yaml, write generated/, scaffold stubs for new tags in service/
generate: $(STAMP)
	$(PY) -m generator generate

## check: fail when generated/ is not what `make generate` would write
check: $(STAMP)
	$(PY) -m generator check

lint: $(STAMP)
	$(PY) -m ruff check generator service tests bench generated/python
	$(PY) -m ruff format --check generator service tests bench

typecheck: $(STAMP) $(NODE_STAMP)
	$(PY) -m mypy generator service generated/python tests bench
	npx --no-install tsc -p generated/typescript/tsconfig.json --noEmit

## test: unit, golden, regeneration, round-trip, TypeScript and contract tests
## (TEST_JOBS= pytest-xdist workers: the tests start their own servers on free ports and work in their own temp folders)
TEST_JOBS ?= 2
test: $(STAMP) $(NODE_STAMP) chromium lint typecheck
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_JOBS)

## chromium: headless Chromium for tests/test_browser.py (Debian package; installs it when missing, as root)
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## bench: apigen vs competitors -- generation time/CPU/memory, runtime throughput, SSE, client sizes
## (installs pinned competitors under var/bench/; tables on stdout, var/bench.json, var/bench.png)
bench: $(STAMP) $(NODE_STAMP)
	$(PY) -m bench.run

## golden: rewrite tests/golden/ from the current generator (review the diff!)
golden: $(STAMP)
	APIGEN_UPDATE_GOLDEN=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_golden.py

## serve: the example service on 127.0.0.1 (PORT=, WORKERS=)
serve: $(STAMP)
	$(PY) -m service.serve --port $(PORT) --workers $(WORKERS)

## corpus: every stage on each spec of ../shared/corpus; table in var/corpus.md
corpus: $(STAMP) $(NODE_STAMP)
	$(PY) -m generator.corpus

## fuzz: mutate small corpus specs through load/validate/lower/render for FUZZ_SECONDS; prints the input count
FUZZ_SECONDS ?= 240
fuzz: $(STAMP)
	$(PY) -m tests.fuzz_specs --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache
