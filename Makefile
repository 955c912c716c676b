# stockbook — two commands: `make report` and `make test`. Both set up .venv first if needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PERIOD ?= 2026-10
DATA   ?= data/sample
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup setup-dev lock browser fonts report report-zh test unit nbval lint format notebooks sample lab fuzz bench backtest clean

LOCK   := constraints.txt
DEV    := $(VENV)/.dev-stamp

# the runtime only (what `make report` needs), at the versions of constraints.txt: the lock of tested versions
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade 'pip>=24'
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $(STAMP)

# the test tools and the Spark extra on top (what `make test` needs), at the same locked versions
$(DEV): $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev,spark]'
	touch $(DEV)

setup: $(STAMP)  ## create .venv and install stockbook (runtime only, locked versions)

setup-dev: $(DEV)  ## add the test tools and the Spark extra (locked versions)

lock: setup-dev  ## re-pin constraints.txt to the versions installed now (on purpose: after an upgrade that passed make test)
	{ echo "# the tested versions (make lock writes this file; make report / make test / CI install with it)"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^pip==' | LC_ALL=C sort; } > $(LOCK)

browser:  ## Debian's chromium, for the report-page screenshot test (skipped if already installed)
	@command -v chromium >/dev/null 2>&1 || apt-get install -y --no-install-recommends chromium \
	  || (apt-get update && apt-get install -y --no-install-recommends chromium)

fonts:  ## a CJK font (Noto Sans CJK) so charts in Chinese reports (--lang zh) show their glyphs
	@fc-list :lang=zh family 2>/dev/null | grep -q . || apt-get install -y --no-install-recommends fonts-noto-cjk \
	  || (apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk)

report: setup  ## the monthly report pack for the bundled sample -> reports/2026-10-31/
	$(BIN)/stockbook report --period $(PERIOD) --data $(DATA) --force

report-zh: setup fonts  ## the same pack in Chinese (中文) -> reports/zh/2026-10-31/
	$(BIN)/stockbook report --period $(PERIOD) --data $(DATA) --lang zh --out reports/zh --force

test: setup-dev browser fonts  ## lint + format check, unit + doctests + property tests, browser screenshots, nbval of the notebooks
	$(BIN)/ruff check lib tests bench
	$(BIN)/ruff format --check lib tests bench
	$(BIN)/pytest -n 2 --dist loadfile $(NBVAL) tests lib/stockbook notebooks

unit: setup-dev  ## tests without the notebooks
	$(BIN)/pytest tests lib/stockbook

nbval: setup-dev  ## only the notebook regression
	$(BIN)/pytest $(NBVAL) notebooks

lint: setup-dev
	$(BIN)/ruff check lib tests bench
	$(BIN)/ruff format --check lib tests bench

format: setup-dev
	$(BIN)/ruff check --fix lib tests bench
	$(BIN)/ruff format lib tests bench

notebooks: setup  ## re-execute the notebooks in place on the sample after an intended change
	cd notebooks && for nb in [0-9]*.ipynb; do ../$(BIN)/papermill --cwd . $$nb $$nb || exit 1; done
	$(BIN)/python -m stockbook.nbtools strip-metadata notebooks/[0-9]*.ipynb

sample: setup  ## regenerate the bundled sample (deterministic)
	$(BIN)/stockbook sample --out data/sample --seed 7

lab: setup  ## JupyterLab on the notebooks with the project's environment
	$(BIN)/jupyter lab --notebook-dir=notebooks

fuzz: setup-dev  ## the long fuzz run of every reader (not part of make test)
	STOCKBOOK_FUZZ_EXAMPLES=$${STOCKBOOK_FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

bench: setup  ## benchmarks (not part of the tests): the sample's pieces, then 1M/10M/50M ledger rows
	$(BIN)/python bench/run.py
	$(BIN)/python bench/pack_speed.py --runs 3
	$(BIN)/python bench/scale.py --rows $${BENCH_ROWS:-1M,10M,50M} --runs $${BENCH_RUNS:-3}

backtest: setup  ## the weekly replay of generated sellers against the rules, and the plan's time at 200 / 20,000 SKUs
	$(BIN)/python bench/backtest.py --seeds $${BACKTEST_SEEDS:-5,6,7}
	$(BIN)/python bench/plan_speed.py

clean:
	rm -rf $(VENV) reports/[0-9]* .pytest_cache .ruff_cache
