# carepress front door. `make` sets up and builds everything; `make test` runs the tests;
# `make check` runs the writers' checks (report in _build/check/report.md).
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
BUILD       := _build
BUILDOPTS   := $(if $(BRAND),--brand $(BRAND)) $(if $(JOBS),--jobs $(JOBS))
CAREPRESS   := $(BIN)/carepress

.PHONY: all setup system build brochures pdf html site test check linkcheck a11y serve clean distclean \
        diff preview help

all: setup build

# Brochures, then the site that links them, in one process (doctrees read once).
build: setup
	$(CAREPRESS) build $(BUILDOPTS)

setup: system $(VENV)/.installed node_modules/.package-lock.json

system:
	@scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "carepress needs Python 3.11 or newer ($(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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

test: setup
	$(BIN)/pytest

# Spelling, links, reading level, review dates, accessibility, safe claims: one summary.
# A site that cannot be reached is a warning here; `make linkcheck` fails on it too.
check: setup
	$(CAREPRESS) check $(if $(BRAND),--brand $(BRAND))

linkcheck: setup
	$(CAREPRESS) check --only external-links --strict-links

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
