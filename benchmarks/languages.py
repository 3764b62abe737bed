#!/usr/bin/env python3
"""What one extra language costs, against its share of the work.

Run by hand, never as a pass/fail test:

    .venv/bin/python benchmarks/languages.py [--runs 3]

It copies this project (microneedling, two brands) into a temporary folder and times
clean `carepress build` runs (site + PDFs) with ``carepress_languages = ["en"]`` and
with ``["en", "es"]`` (medians of ``--runs``). The extra language's share is the pages
it adds over the English pages; the figure to watch is

    cost ratio = (time with Spanish / time English only) / (pages with Spanish / English pages)

which the issue asks to stay at or under 1.1: a language should cost what its pages cost.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def pages(build: Path) -> int:
    import pikepdf
    total = 0
    for pdf in (build / "pdf").rglob("*.pdf"):
        if ".scratch" in pdf.parts:
            continue
        with pikepdf.open(pdf) as doc:
            total += len(doc.pages)
    return total


def run(project: Path, languages: list[str]) -> tuple[float, int]:
    conf = project / "conf.py"
    text = (REPO / "conf.py").read_text()
    conf.write_text(text.replace('carepress_languages = ["en", "es"]',
                                 f"carepress_languages = {languages!r}"))
    if languages == ["en"]:  # a bilingual handout needs two languages
        md = project / "docs/source/microneedling.md"
        md.write_text(md.read_text().replace(", bilingual]", "]"))
    else:
        shutil.copy(REPO / "docs/source/microneedling.md", project / "docs/source")
    shutil.rmtree(project / "_build", ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "carepress.cli", "build", "-q"],
                          cwd=project, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)
    return seconds, pages(project / "_build")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp, "proj")
        shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(
            "_build", ".venv", "node_modules", ".git", "tests", "benchmarks"))
        figures = {}
        for languages in (["en"], ["en", "es"]):
            times, count = [], 0
            for _ in range(args.runs):
                seconds, count = run(project, languages)
                times.append(seconds)
            figures[tuple(languages)] = (statistics.median(times), count)
            print(f"{'+'.join(languages):6} {statistics.median(times):6.2f} s "
                  f"(runs: {', '.join(f'{t:.2f}' for t in times)}), {count} PDF pages")
        (t1, p1), (t2, p2) = figures[("en",)], figures[("en", "es")]
        print(f"Spanish adds {t2 - t1:.2f} s ({t2 / t1:.2f}x) for {p2 - p1} more pages "
              f"({p2 / p1:.2f}x): cost ratio {(t2 / t1) / (p2 / p1):.2f}")


if __name__ == "__main__":
    main()
