# Two commands on a fresh machine: `make setup`, then `make demo` (offline) or `make reports` (live CBS).
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
KERNEL ?= jeugdzorg-analysis
export PYTHONUNBUFFERED := 1

.PHONY: setup lock data demo-data demo reports report serve test test-fast lint benchmarks clean-reports help

help:
	@echo "make setup      create $(VENV), install the pinned dependencies (requirements.lock), the package, the Jupyter kernel"
	@echo "make data       download CBS snapshots and boundaries, build data/processed (ANALYSIS_OFFLINE=1: cached only)"
	@echo "make demo-data  generate Demoland (synthetic) and build it through the real client, offline"
	@echo "make demo       render every Demoland report and the index, offline"
	@echo "make reports    render every report from the CBS snapshots (fetches first unless ANALYSIS_OFFLINE=1)"
	@echo "make report GEMEENTE=GM0363 JAAR=2023 | make report REGIO=JZ13 (PROFIEL=demoland for Demoland)"
	@echo "make serve      keep a warm report server: make report then takes ~2 s (PROFIEL=demoland)"
	@echo "make test       run the test suite;  make lint  ruff + import-linter contract"
	@echo "make lock       re-pin requirements.lock (hashes) after changing pyproject.toml"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11) on PATH; or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

setup: $(PY)
	$(PY) -m pip install --require-hashes -r requirements.lock
	$(PY) -m pip install -e . --no-deps
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (jeugdzorg-analysis)"

data:
	$(PY) -m analysis data $(if $(TABLES),--tables $(TABLES),)

demo-data:
	$(PY) -m analysis demo-data

demo:
	$(PY) -m analysis demo $(if $(filter command environment,$(origin EDITIE)),--editie '$(subst ','\'',$(value EDITIE))')

reports:
	$(PY) -m analysis reports $(if $(filter command environment,$(origin EDITIE)),--editie '$(subst ','\'',$(value EDITIE))')

# Each given value (also an empty one: GEMEENTE= is an error, not the Nederland report) reaches
# the program as one single-quoted word, read with $(value): no shell or make interpretation
# (not exported either: make would expand a $(shell …) in them to build the environment).
unexport GEMEENTE REGIO JAAR PROFIEL EDITIE
report:
	$(PY) -m analysis report \
	  $(if $(filter command environment,$(origin GEMEENTE)),--gemeente '$(subst ','\'',$(value GEMEENTE))') \
	  $(if $(filter command environment,$(origin REGIO)),--regio '$(subst ','\'',$(value REGIO))') \
	  $(if $(filter command environment,$(origin JAAR)),--jaar '$(subst ','\'',$(value JAAR))') \
	  $(if $(filter command environment,$(origin PROFIEL)),--profiel '$(subst ','\'',$(value PROFIEL))') \
	  $(if $(filter command environment,$(origin EDITIE)),--editie '$(subst ','\'',$(value EDITIE))')

serve:
	$(PY) -m analysis serve $(if $(filter command environment,$(origin PROFIEL)),--profiel '$(subst ','\'',$(value PROFIEL))')

test:
	$(PY) -m pytest

test-fast:
	$(PY) -m pytest -m "not slow and not browser"

lint:
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports

# Re-pin requirements.lock (exact versions + sha256 hashes; Linux x86-64, Python 3.11) after a
# change of pyproject.toml. Pins already in the file are kept unless UPGRADE=1.
lock: $(PY)
	$(PY) -m pip install uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --no-annotate \
	  --python-version 3.11.7 --python-platform x86_64-unknown-linux-gnu \
	  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade,) -o requirements.lock

benchmarks:
	$(PY) benchmarks/fetch_build.py
	$(PY) benchmarks/batch.py

clean-reports:
	rm -rf reports/*/
