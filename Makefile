# carepress front door. `make` sets up and builds everything; `make test` runs the tests.
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
BUILD       := _build
SPHINXOPTS  ?= -W --keep-going
ifdef BRAND
SPHINXOPTS  += -D carepress_brands=$(BRAND) -D carepress_primary_brand=$(BRAND)
endif
SPHINX      := $(BIN)/sphinx-build -c . -d $(BUILD)/doctrees $(SPHINXOPTS)

.PHONY: all setup system brochures pdf html site test serve clean distclean

all: setup brochures html

setup: system $(VENV)/.installed

system:
	@scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "carepress needs Python 3.11 or newer ($(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# One PDF per topic, format and brand: _build/pdf/<brand>/<topic>-<format>.pdf
brochures pdf: setup
	$(SPHINX) -b brochure docs/source $(BUILD)/pdf

# The website, with the PDFs copied in: _build/html
html site: brochures
	$(SPHINX) -b html docs/source $(BUILD)/html

test: setup
	$(BIN)/pytest

serve: html
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILD)/html 8000

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf $(VENV)
