# contentlint: `make run` lints the sample corpus, `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint unit fuzz bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("contentlint needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/contentlint check fixtures/ --exit-zero --format text,json,sarif,junit,html --output-dir reports

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check lint rules tests bench fuzz docs
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

test: lint unit

# Coverage-guided fuzzing of the loader and position map (atheris), for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz: $(VENV)/.installed-dev
	rm -rf $(VENV)/fuzz-corpus && mkdir -p $(VENV)/fuzz-corpus
	cp fixtures/*.md fixtures/*.txt $(VENV)/fuzz-corpus/
	$(BIN)/python fuzz/fuzz_document.py -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 $(VENV)/fuzz-corpus

# Speed on a generated corpus (default 20,000 documents; DOCS=2000 make bench for a quick look).
DOCS ?= 20000
bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run --docs $(DOCS)

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
