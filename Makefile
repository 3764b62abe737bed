# carepress front door. `make` sets up and builds everything; `make test` runs the tests;
# `make check` runs the writers' checks (report in _build/check/report.md).
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
BUILD       := _build
BUILDOPTS   := $(if $(BRAND),--brand $(BRAND)) $(if $(JOBS),--jobs $(JOBS))
CAREPRESS   := $(BIN)/carepress

TESTOPTS    := -n $(or $(TEST_WORKERS),auto) --dist loadscope --no-loadscope-reorder

.PHONY: all setup system build brochures pdf html site test test-fast check linkcheck a11y serve clean distclean \
        translations diff preview help new brands

all: setup build

help:
	@echo "make                    set up (system packages, .venv) and build brochures and site"
	@echo "make test               the test suite (one worker per core)"
	@echo "make test-fast          the same without the slow tests (fuzzing, limits, a killed build)"
	@echo "make check              the writers' checks -> _build/check/report.md"
	@echo "make preview TOPIC=x    live preview of one topic: web page beside its printed pages"
	@echo "                        (FORMATS=handout,trifold  PORT=8000)"
	@echo "make diff [BASE=rev]    what this change does to every printed page -> _build/diff/"
	@echo "make brochures          the PDFs only -> _build/pdf/<brand>/<topic>-<format>.pdf"
	@echo "make html               the site (after the PDFs) -> _build/html/"
	@echo "make serve              the site on http://127.0.0.1:8000"
	@echo "make a11y               accessibility of the PDFs and the site -> _build/check/"
	@echo "make linkcheck          every external link, strictly"
	@echo "make new TOPIC=x        start a topic: docs/source/x.md with every required field"
	@echo "make brands             list and check the brands"
	@echo "make clean | distclean  remove _build/ | and .venv/"
	@echo "Options: BRAND=<id> (one brand), JOBS=<n> (PDF workers). More: .venv/bin/carepress --help"

# Brochures, then the site that links them, in one process (doctrees read once).
build: setup
	$(CAREPRESS) build $(BUILDOPTS)

setup: system $(VENV)/.installed $(VENV)/.compiled node_modules/.package-lock.json

# The system packages are checked once per version of the script (dpkg-query for each
# package, a browser's --version: a third of a second on every make): a stamp in .venv/
# holds the sha256 of the script that last found everything installed.
SYSTEM_STAMP := $(VENV)/.system-packages
system:
	@if [ "$$(cat $(SYSTEM_STAMP) 2>/dev/null)" != "$$(sha256sum < scripts/system-packages.sh)" ]; then \
	  scripts/system-packages.sh && mkdir -p $(VENV) && \
	  sha256sum < scripts/system-packages.sh > $(SYSTEM_STAMP); fi

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "carepress needs Python 3.11 or newer ($(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# carepress's own modules compiled ahead, again after each change of its code: the
# editable install leaves them as source, and where PYTHONDONTWRITEBYTECODE is set (as
# in many containers, and on this project's CI machine) Python would compile every one
# of them on every run, 0.1-0.2 s of each edit (benchmarks/README.md).
$(VENV)/.compiled: $(VENV)/.installed $(shell find src -name '*.py' 2>/dev/null)
	@if [ -d src ]; then $(BIN)/python -m compileall -q src; fi
	@touch $@

# playwright-core and axe-core, for the browser check (Chromium itself is Debian's).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Accessibility: every PDF's tags and the site in Chromium -> _build/check/accessibility.md,
# screenshots in _build/screenshots/
a11y: build
	$(CAREPRESS) a11y

# One PDF per topic, format and brand: _build/pdf/<brand>/<topic>-<format>.pdf
brochures pdf: setup
	$(CAREPRESS) build --pdf-only $(BUILDOPTS)

# The website, with the PDFs copied in: _build/html
html site: build

# Every test, in one worker per core (TEST_WORKERS=N to change it), a test module's tests
# in one worker (they share its builds). `make test-fast` leaves out the slow ones
# (fuzzing, resource limits, a killed build) for the edit-test loop.
test: setup
	$(BIN)/pytest $(TESTOPTS)

test-fast: setup
	$(BIN)/pytest $(TESTOPTS) -m "not slow"

# Spelling, links, reading level, review dates, accessibility, safe claims: one summary.
# A site that cannot be reached is a warning here; `make linkcheck` fails on it too.
check: setup
	$(CAREPRESS) check $(if $(BRAND),--brand $(BRAND))

# After an English edit: every language's catalogues refreshed
# (docs/locales/<lang>/LC_MESSAGES/<topic>.po); changed messages come back marked fuzzy.
translations: setup
	$(CAREPRESS) translate

linkcheck: setup
	$(CAREPRESS) check --only external-links --strict-links

new: setup
	@test -n "$(TOPIC)" || { echo "name the topic: make new TOPIC=chemical-peel"; exit 2; }
	$(CAREPRESS) new $(TOPIC)

brands: setup
	$(CAREPRESS) brands

# A live preview of one topic: its web page beside its printed pages, rebuilt on save
# (make preview TOPIC=microneedling [FORMATS=handout,trifold] [PORT=8000])
preview: setup
	@test -n "$(TOPIC)" || { echo "name the topic: make preview TOPIC=microneedling"; exit 2; }
	$(CAREPRESS) preview $(TOPIC) $(if $(FORMATS),--format $(FORMATS)) $(if $(BRAND),--brand $(BRAND)) $(if $(PORT),--port $(PORT))

# What this change does to every printed page, against BASE (default: the merge base
# with main): _build/diff/index.html and report.md
diff: setup
	$(CAREPRESS) diff $(BASE) $(if $(BRAND),--brand $(BRAND))

serve: html
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILD)/html 8000

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf $(VENV)
