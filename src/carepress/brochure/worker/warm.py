"""Imported only by the fork server that printing workers are forked from (see
``render._context``), after WeasyPrint: everything a worker's first brochure would load
and set up on its own, done once before any worker is forked, so that each starts warm.

An edit prints one brochure, in a new worker, and a worker's first brochure is its
slowest: fontconfig's and Pango's set-up, the fallback fonts' first shaping and
subsetting, the modules render() imports. Done here once, the first brochure of a fresh
worker took 0.65 s against 0.74 s (medians, benchmarks/first_render.py); what stays
is each brand's own (its font configuration and logo, per worker: render.py). The
server is single-threaded once this has run (Pango's set-up thread has finished), so
forking from it stays safe.
"""

import io

import pikepdf
import weasyprint

from . import fetcher, fit, impose, pdf_tags, pdfx  # noqa: F401 - what render() imports

# In the fonts brochures fall back to (layouts/print.css), with what most topics hold:
# headings, bold and italic, a list, a picture.
_SAMPLE = ("<!doctype html><html lang='en'><head><style>@page { size: letter; margin: 1in }"
           "body { font-family: sans-serif } code { font-family: monospace }</style></head>"
           "<body><h1>Warm</h1><p>Up, <b>bold</b>, <i>italic</i> and <code>code</code>.</p>"
           "<ul><li><p>A list</p></li></ul><img alt='' src='data:image/svg+xml,"
           "%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2210%22 height=%2210%22%3E"
           "%3Crect width=%2210%22 height=%2210%22/%3E%3C/svg%3E'></body></html>")

try:
    with pikepdf.open(io.BytesIO(weasyprint.HTML(string=_SAMPLE).write_pdf(
            pdf_variant="pdf/ua-1"))):
        pass
except Exception:  # noqa: BLE001 - a failure here must not stop the server: the first
    pass  # brochure then meets it, and reports it as a brochure's error
