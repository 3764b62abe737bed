"""Time each print format of the project's topics: WeasyPrint layout + PDF, and the
trifold's imposition with pikepdf. Run from the project folder after `make`:

    .venv/bin/python benchmarks/formats.py [runs]

Prints one line per brand and format: pages, best-of-N seconds for layout and PDF, and
for the trifold the extra seconds that placing its panels on the sheets takes.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pikepdf
import weasyprint

from carepress.brochure.worker import impose
from carepress.brochure.worker.fetcher import SandboxedFetcher

PRINT = Path("_build/pdf/.print")


def best(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(runs: int = 3) -> None:
    files = sorted(PRINT.glob("*/*.html"))
    if not files:
        sys.exit(f"no print HTML under {PRINT}: run `make` first")
    fetcher = SandboxedFetcher([Path.cwd(), Path(impose.__file__).parent, Path(sys.prefix)])
    print(f"{'brochure':40} {'pages':>5} {'render s':>9} {'impose s':>9}")
    for html in files:
        brand, name = html.parent.name, html.stem

        def render():
            document = weasyprint.HTML(filename=str(html), url_fetcher=fetcher).render(
                pdf_variant="pdf/ua-1")
            return len(document.pages), document.write_pdf(pdf_variant="pdf/ua-1")
        seconds, (pages, pdf) = best(runs, render)
        extra = ""
        if name.endswith("-trifold"):
            with pikepdf.open(io.BytesIO(pdf)) as panels:
                width = float(panels.pages[0].mediabox[2])
            sheet = impose.Sheet("letter" if round(width) == 264 else "a4")  # a third of 11 in
            impose_s, _ = best(runs, lambda: impose.impose(pdf, sheet))
            extra = f"{impose_s:9.3f}"
        print(f"{brand + '/' + name:40} {pages:5d} {seconds:9.3f} {extra}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
