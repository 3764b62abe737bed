"""One rebuild of the previewed topic, with the same pipeline as `carepress build`
(pipeline.py), restricted to what the preview shows:

- its own build folder (``_build/preview/``), so a partial site never reaches
  ``_build/html`` and a `make` meanwhile does not wait for the preview;
- one brand (``--brand``, else ``carepress_primary_brand``), only the topic (Sphinx
  reads only what changed and writes only the topic's page and print HTML; the first
  run builds the whole site once, for its search index, start page and links), and
  only the formats asked for (a printer that skips the others);
- a printer whose WeasyPrint workers stay warm from one save to the next.

The pages of each PDF that changed are written as PNG images as soon as it is printed,
while the site is still being built (one thread renders them: PDFium wants one), and
the problems the build reported (file, line, message) are collected for the preview page.
The last good PDF and site stay when a save breaks the topic (the pipeline's rules), so
the last good pages stay visible.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import runpy
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import outputs
from ..brochure.printer import Printer
from ..review.pages import write_pages

PROBLEM = re.compile(r"^(?:(?P<file>.+?):(?P<line>\d+)?:? )?(?P<level>ERROR|WARNING|CRITICAL): "
                     r"(?P<message>.*)$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Problem:
    file: str
    line: int | None
    level: str
    message: str

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file and self.line else self.file


@dataclass
class Result:
    status: int
    seconds: float
    problems: list[Problem] = field(default_factory=list)


def project_settings(confdir: Path) -> dict:
    """The few settings the preview needs before Sphinx starts (conf.py is Python that
    Sphinx runs anyway)."""
    conf = Path(confdir, "conf.py")
    values = runpy.run_path(str(conf)) if conf.is_file() else {}
    brands = values.get("carepress_brands", ["default"])
    primary = values.get("carepress_primary_brand") or (
        brands[0] if isinstance(brands, (list, tuple)) and brands else "")
    return {"brand": primary or None,
            "brands_dir": Path(confdir, values.get("carepress_brands_dir",
                                                   "docs/_static/brands")),
            # The preview prints some formats of one topic: the site's links to the
            # others are expected to be missing.
            "suppress_warnings": [*values.get("suppress_warnings", []), "carepress.pdf"]}


class SomeFormats(Printer):
    """A printer that prints only the formats the preview shows, and says when each
    brochure is printed (``printed(job)``, from the worker pool's thread)."""

    def __init__(self, config, jobs, formats, printed: Callable):
        super().__init__(config, jobs)
        self.formats, self.printed = set(formats), printed

    def submit(self, job) -> None:
        if job.fmt in self.formats:
            super().submit(job)
            self.jobs[-1][1].add_done_callback(lambda future, job=job: self.printed(job))


class Tee(io.TextIOBase):
    """Sphinx's warnings go to the terminal as usual, and are kept for the preview page."""

    def __init__(self, stream):
        self.stream, self.kept = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.stream.write(text)
        self.kept.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False


def problems(log: str, root: Path) -> list[Problem]:
    found = []
    for raw in log.splitlines():
        m = PROBLEM.match(ANSI.sub("", raw).strip())
        if not m:
            continue
        file = m["file"] or ""
        if file:
            path = Path(file)
            file = str(path.relative_to(root)) if path.is_absolute() and \
                path.is_relative_to(root) else file
        message = re.sub(r" \[[\w.]+\]$", "", m["message"])  # the [type.subtype] tag
        found.append(Problem(file, int(m["line"]) if m["line"] else None, m["level"], message))
    return found


class Rebuilder:
    """``on_pages(format, images)`` is called (from the image thread) each time a
    format's page images are written anew."""

    def __init__(self, options, topic: str, formats: list[str], root: Path,
                 on_pages: Callable[[str, list[Path]], None]):
        self.options, self.topic, self.formats = options, topic, list(formats)
        self.root, self.on_pages = root, on_pages
        self.printer: SomeFormats | None = None
        self.brand: str | None = options.brand
        self.seen: dict[str, tuple] = {}  # format -> (mtime, size) of the PDF last shown
        self.images = ThreadPoolExecutor(1, thread_name_prefix="page-images")

    def _make_printer(self, config, jobs, console=None):
        if self.printer is None:
            from ..sources import brand as brands
            self.brand = self.brand or brands.of(config).primary.id
            self.printer = SomeFormats(config, jobs, self.formats,
                                       lambda job: self.images.submit(self._show, job.fmt))
        self.printer.since = 0.0  # time this build's brochures from their own start
        return self.printer

    def _show(self, fmt: str) -> None:
        """The format's page images, if its PDF changed since they were last written."""
        build = Path(self.options.build_dir)
        pdf = outputs.pdf_path(outputs.pdf_dir(build), self.brand or "", self.topic, fmt)
        if not pdf.is_file():
            return
        stat = pdf.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        if self.seen.get(fmt) != key:
            folder = outputs.preview_pages_dir(build) / (self.brand or "")
            self.on_pages(fmt, write_pages(pdf, folder, f"{self.topic}-{fmt}"))
            self.seen[fmt] = key

    def __call__(self) -> Result:
        from ..pipeline import build, sphinx

        started = time.perf_counter()
        tee = Tee(sys.stderr)
        with contextlib.redirect_stderr(tee):
            site = outputs.site_dir(Path(self.options.build_dir))
            if not (site / "searchindex.js").is_file():
                # The whole site once (Sphinx will not write some pages of a site without
                # its search index); later rebuilds write the topic and the start page.
                sphinx(dataclasses.replace(self.options, only=()), "html", site)
            status = build(self.options, self._make_printer)
        for fmt in self.formats:  # any left (the first build, a PDF not printed this time)
            self.images.submit(self._show, fmt)
        self.images.submit(lambda: None).result()  # every image written
        return Result(status, time.perf_counter() - started,
                      problems(tee.kept.getvalue(), self.root))

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()
        self.images.shutdown()
