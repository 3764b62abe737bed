"""The single place that calls WeasyPrint: in-process, locked down, atomic.

Each job turns one print HTML file into one PDF. Jobs run in worker processes
that are started once and reused; each job's WeasyPrint warnings come back with
its result so the builder can report them through Sphinx's logger (and ``-W``).
"""

from __future__ import annotations

import logging
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from .impose import Sheet


@dataclass(frozen=True)
class Job:
    docname: str
    brand: str
    fmt: str
    html: Path  # the print HTML, written by the builder
    pdf: Path
    roots: tuple[Path, ...]  # folders the fetcher may read
    page_budget: int = 0  # the most pages the PDF may have; 0: no limit
    sheet: Sheet | None = None  # a folded format: panels placed on this sheet by impose.py

    @property
    def settings(self) -> str:
        """What the render depends on besides the print HTML; written into it, so a
        change of these re-renders the brochure."""
        return f"page_budget={self.page_budget}; sheet={self.sheet}"


@dataclass
class Result:
    job: Job
    pages: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    does_not_fit: str = ""  # the writer's message when the brochure is too long
    peak_rss_mb: float = 0.0  # of the process that rendered it


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render(job: Job) -> Result:
    """Render one job; never raises, never leaves a partial PDF."""
    import weasyprint

    from . import fit, impose
    from .fetcher import LockedFetcher
    from .pdf_tags import fix_tags

    result = Result(job)
    handler = _Collect()
    wlogger = logging.getLogger("weasyprint")
    wlogger.addHandler(handler)
    tmp = job.pdf.with_name(f".{job.pdf.name}.{os.getpid()}.tmp")
    start = time.perf_counter()
    try:
        fetcher = LockedFetcher(list(job.roots))
        document = weasyprint.HTML(filename=str(job.html), url_fetcher=fetcher).render(
            pdf_variant="pdf/ua-1")
        result.pages = len(document.pages)
        if fetcher.refused:
            result.error = "refused to load " + "; ".join(fetcher.refused)
        elif problem := fit.check(job, document.pages):
            result.does_not_fit = problem
        else:
            job.pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=_identifier(job))
            if job.sheet is not None:
                # Panels placed on sheets: the structure tree cannot survive imposition.
                pdf = impose.impose(pdf, job.sheet, _identifier(job))
                result.pages = 2  # the two sides of the sheet
            tmp.write_bytes(pdf)
            if job.sheet is None:
                fix_tags(tmp)  # footer as artifacts, list bodies: what WeasyPrint leaves out
            os.replace(tmp, job.pdf)
    except Exception as exc:  # noqa: BLE001 - reported to the writer, build fails
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        tmp.unlink(missing_ok=True)
        wlogger.removeHandler(handler)
    result.seconds = time.perf_counter() - start
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.warnings = [m for m in handler.messages if "carepress refused" not in m]
    return result


def _identifier(job: Job) -> bytes:
    """A stable PDF /ID from the input, so the same sources give the same bytes."""
    import hashlib
    return hashlib.md5(job.html.read_bytes()).hexdigest().encode()


def _warm():
    import weasyprint  # noqa: F401 - import once per worker, not per job


def render_all(jobs: list[Job], workers: int) -> list[Result]:
    """Render every job; results come back in job order whatever the worker count."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        return [render(job) for job in jobs]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                             initializer=_warm) as pool:
        return list(pool.map(render, jobs))
