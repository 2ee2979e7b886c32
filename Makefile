# Two commands do all the set-up on a fresh machine:
#   make demo   build the graph of the bundled plan into graph/ and print the workload table
#   make test   run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test eval invariance generalise bench bench-30000 fuzz clean system-deps screenshots

# -qq: errors only; setuptools' notes on editable installs and this machine's pip index warnings
# are not the user's business (a failed install still prints its error and stops make)
$(VENV)/.base: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip
	$(BIN)/pip install -qq -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(BIN)/pip install -qq -e '.[test]'
	touch $@

# The sample's graph and pages go into graph/ but not into the workspace (graph/store): the
# commands answer for it as the sample, saying so, until a plan of one's own is built.
demo: $(VENV)/.base
	$(BIN)/kepugraph build -o graph
	$(BIN)/kepugraph viz --graph graph/taishan-kepu-plan-2021-2025.ttl --view bipartite -o graph/taishan-kepu-plan-2021-2025-bipartite.html
	$(BIN)/kepugraph viz --graph graph/taishan-kepu-plan-2021-2025.ttl --view plan -o graph/taishan-kepu-plan-2021-2025-plan.html
	$(BIN)/kepugraph workload

test: $(VENV)/.test system-deps
	$(BIN)/ruff check kepugraph tests bench docs
	$(BIN)/python -m pytest -q

# The parser's score against the hand-made gold of the development corpus (per excerpt and in
# total: measures found, unit-pair precision/recall/F1, role accuracy). DIR=... scores another folder.
DIR ?= tests/data/dev
eval: $(VENV)/.base
	$(BIN)/python -m kepugraph.eval $(DIR)

# The same score after rewriting every excerpt and its gold as real copies of plans differ:
# traditional characters, punctuation, role words, hard wraps, and as .docx, .html and .pdf (LibreOffice).
invariance: $(VENV)/.base
	$(BIN)/python bench/invariance.py $(DIR)

# The score when the signals the parser leans on are taken away: table headers renamed 栏目1 …,
# every line break removed or replaced by a stray character, labels and role words swapped for
# others of the same role (lists the parser does not read). Goal: F1 ≥ 0.95 on each.
generalise: $(VENV)/.base
	$(BIN)/python bench/generalise.py $(DIR)

# The page tests drive Debian's Chromium (no browser download); plots and screenshots
# need a CJK font; LibreOffice (no GUI) reads .doc/.wps/.et and checks the office files
# written; the tests push to a real Virtuoso they start themselves (virtuoso-t, isql-vt).
# Installed once, when missing.
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK" \
			|| ! command -v soffice >/dev/null || ! command -v virtuoso-t >/dev/null; then \
		echo "installing chromium, fonts-noto-cjk, LibreOffice (writer, calc) and Virtuoso"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
			chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui virtuoso-opensource; \
	fi

# The README's pictures of the office files (LibreOffice → PDF → PNG) and of the page's panel
# (headless Chromium), made again from the bundled plan.
screenshots: $(VENV)/.test system-deps
	$(BIN)/python docs/screenshots.py

# Benchmarks print figures (never asserted by tests) and rewrite the committed results:
# 300 plans on all three stores, then 3,000 without rdflib (minutes per query there).
bench: $(VENV)/.base
	$(BIN)/python bench/run.py --plans 300 --json bench/results-300.json
	$(BIN)/python bench/run.py --plans 3000 --no-memory --json bench/results-3000.json

# Every county's plans: 30,000 plans (900,000 measures, about 30 M triples); an hour or more
# on a 2-core machine, some 20 GB of temporary files (removed at the end, however it ends).
bench-30000: $(VENV)/.base
	nice $(BIN)/python bench/run.py --plans 30000 --no-memory --json bench/results-30000.json

# The long fuzz: minutes of random inputs through every entry point (not in CI). Prints the
# count of inputs and of exceptions that are not kepugraph's own (goal: 0). SECONDS=… to set.
SECONDS_ ?= 180
fuzz: $(VENV)/.base
	$(BIN)/python bench/fuzz.py $(SECONDS_)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
