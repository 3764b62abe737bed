"""The single place that calls WeasyPrint: in worker processes, sandboxed, limited, atomic.

Each job turns one print HTML file into one PDF. Jobs run in worker processes
that are started once and reused; each job's WeasyPrint warnings come back with
its result so the builder can report them through Sphinx's logger (and ``-W``).
A worker has a memory limit (``RLIMIT_AS``) and each job a time limit: a job
over either is stopped (its worker killed and replaced) and fails alone.
PDFs are written in a scratch folder (outputs.py) and renamed into place, so a killed
build never leaves a partial PDF beside the good ones.
"""

from __future__ import annotations

import logging
import os
import resource
import time
import traceback
import warnings
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Iterator

from .impose import Sheet

BACKSTOP_SECONDS = 15  # past the time limit, a job the alarm could not stop is killed
PRINT_SHOP = "print-shop"  # a job's variant: the PDF/X-4 edition (brochure/print_shop.py)


@dataclass(frozen=True)
class Job:
    docname: str
    brand: str
    fmt: str
    html: Path  # the print HTML, written by the builder
    pdf: Path
    scratch: Path  # where the PDF is written before it is renamed into place
    roots: tuple[Path, ...]  # folders the fetcher may read
    allowed_urls: tuple[str, ...] = ()  # web address prefixes the fetcher may load
    data_max_kb: int = 256
    lines: tuple[tuple[str, int], ...] = ()  # (address key, line in the topic)
    page_budget: int = 0  # the most pages the PDF may have; 0: no limit
    sheet: Sheet | None = None  # a folded format: panels placed on this sheet by impose.py
    lang: str = ""  # the language, outside the default (outputs.py)
    column_langs: tuple[str, ...] = ()  # a bilingual handout: each column's language tag
    key: str = ""  # what it is made of (keys.py): its PDF is kept under this key
    stamp: str = ""  # what its print HTML was written from (keys.py)
    cache: Path | None = None  # the folder of PDFs by key
    variant: str = ""  # "" a brochure; "packet" (brochure/packets.py); PRINT_SHOP
    bleed: float = 0.0  # PRINT_SHOP: the bleed its BleedBox must have, in points

    @property
    def settings(self) -> str:
        """What the render depends on besides the print HTML; written into it, so a
        change of these re-renders the brochure."""
        more = f"; variant={self.variant}; bleed={self.bleed:g}" if self.variant else ""
        return f"page_budget={self.page_budget}; sheet={self.sheet}{more}"

    def worker_files(self) -> list[Path]:
        """Files the worker puts into the PDF itself, outside the print HTML (part of the
        job's key, keys.py): the print-shop edition's sRGB profile (pdfx.py)."""
        if self.variant != PRINT_SHOP:
            return []
        from ..print_shop import SRGB_PROFILE  # (as _print_shop does)
        return [SRGB_PROFILE]


@dataclass(frozen=True)
class Limits:
    seconds: float = 120
    memory_mb: int = 2048


@dataclass
class Result:
    job: Job
    pages: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    does_not_fit: str = ""  # the writer's message when the brochure is too long
    peak_rss_mb: float = 0.0  # of the process that rendered it
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, why)
    crash: str = ""  # the traceback of an unexpected exception (a bug, shown with -v)
    failed_in: str = ""  # the package the exception came from, such as "weasyprint"
    warnings_from_checks: list[str] = field(default_factory=list)  # the print-shop preflight
    done_at: float = field(default_factory=time.monotonic)  # when it was finished


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


class OverTime(BaseException):
    """Raised in a worker when its job passes the time limit. Not an Exception, so that
    WeasyPrint's own ``except Exception`` handlers cannot swallow it."""


def render(job: Job) -> Result:
    """Render one job; never raises, never leaves a partial PDF."""
    import signal

    import weasyprint

    from . import fit, impose, pdfx
    from .fetcher import SandboxedFetcher
    from .pdf_tags import fix_tags

    global _busy
    result = Result(job)
    variant = "pdf/x-4" if job.variant == PRINT_SHOP else "pdf/ua-1"
    handler = _Collect()
    wlogger = logging.getLogger("weasyprint")
    wlogger.addHandler(handler)
    tmp = job.scratch / f"{job.brand}-{job.pdf.name}.{os.getpid()}.tmp"
    start = time.perf_counter()
    # The time limit: SIGALRM at the deadline, then every second until the job unwinds.
    signal.setitimer(signal.ITIMER_REAL, _limits.seconds, 1)
    _busy = True
    try:
        with warnings.catch_warnings(record=True) as caught:  # e.g. Pillow's image-size warning
            fetcher = SandboxedFetcher(list(job.roots), job.allowed_urls, job.data_max_kb)
            document = weasyprint.HTML(filename=str(job.html), url_fetcher=fetcher).render(
                pdf_variant=variant, font_config=_font_config(job.brand),
                cache=_image_cache(job.brand))
            result.pages = len(document.pages)
            _no_attachments(document)
            if fetcher.refused:
                result.refused = fetcher.refused
                result.error = "an address was refused"
            elif problem := fit.check(job, document.pages):
                result.does_not_fit = problem
            else:
                tmp.parent.mkdir(parents=True, exist_ok=True)
                job.pdf.parent.mkdir(parents=True, exist_ok=True)
                pdf = document.write_pdf(pdf_variant=variant, pdf_identifier=_identifier(job))
                if job.sheet is not None:
                    # Panels placed on sheets: the structure tree cannot survive imposition.
                    panels = pdf
                    pdf = impose.impose(pdf, job.sheet, _identifier(job))
                    if job.variant == PRINT_SHOP:
                        pdf = pdfx.carry_over(panels, pdf)
                    result.pages = 2  # the two sides of the sheet
                if job.variant == PRINT_SHOP:
                    pdf = _print_shop(job, pdf, result)
                if not result.error:
                    tmp.write_bytes(pdf)
                if job.sheet is None and job.variant != PRINT_SHOP and not result.error:
                    # footer as artifacts, list bodies, each column's language: what
                    # WeasyPrint leaves out
                    fix_tags(tmp, job.column_langs)
                if not result.error:
                    os.replace(tmp, job.pdf)
        handler.messages += [str(w.message) for w in caught]
    except OverTime:
        _font_configs.pop(job.brand, None)  # stopped anywhere, perhaps mid-way adding a font
        _images.pop(job.brand, None)
        result.error = _over_time(_limits)
    except MemoryError:
        result.error = _over_memory(_limits)
    except Exception as exc:  # noqa: BLE001 - reported to the writer, build fails
        result.error = f"{type(exc).__name__}: {exc}"
        result.crash = "".join(traceback.format_exception(exc))
        result.failed_in = _failed_in(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        tmp.unlink(missing_ok=True)
        _busy = False
        wlogger.removeHandler(handler)
    result.seconds = time.perf_counter() - start
    result.done_at = time.monotonic()
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.warnings = [m for m in handler.messages if "carepress refused" not in m] \
        + result.warnings_from_checks
    return result


def _failed_in(exc: BaseException) -> str:
    """The top-level package of the innermost frame of ``exc`` (named by printer.py)."""
    tb, name = exc.__traceback__, ""
    while tb is not None:
        name = str(tb.tb_frame.f_globals.get("__name__", "")).split(".")[0] or name
        tb = tb.tb_next
    return name


def _print_shop(job: Job, pdf: bytes, result: Result) -> bytes:
    """The PDF/X-4 edition finished (pdfx.py) and preflighted (preflight.py): a problem
    stops it (result.error), a low-resolution image is a warning."""
    from ..print_shop import SRGB_PROFILE
    from . import pdfx, preflight
    pdf = pdfx.finish(pdf, _identifier(job), job.bleed, SRGB_PROFILE.read_bytes())
    found = preflight.check(pdf, job.bleed, job.html.read_text(encoding="utf-8"))
    result.warnings_from_checks = found.warnings
    if found.problems:
        result.error = "its print-shop edition failed the preflight: " + "; ".join(found.problems)
    return pdf


_font_configs: dict = {}  # in a worker: brand id -> its FontConfiguration
_images: dict[str, dict] = {}  # in a worker: brand id -> its images


def _font_config(brand: str):
    """One font configuration per brand, kept for the worker's life: each @font-face is
    loaded once, not once per brochure, and Pango's caches stay warm (benchmarks/README.md).
    Per brand, because two brands could name
    different font files with the same family name."""
    from weasyprint.text.fonts import FontConfiguration
    if brand not in _font_configs:
        _font_configs[brand] = FontConfiguration()
    return _font_configs[brand]


def _image_cache(brand: str) -> dict:
    """WeasyPrint's image cache, kept for a worker's life per brand: the logo and shared
    pictures are fetched, checked and parsed once. Per brand, as
    the folders a job may read differ by brand. Emptied between brochures once it holds
    64 entries, so topics with pictures of their own cannot fill memory (never during
    one: WeasyPrint keeps a brochure's image data in it until the PDF is written)."""
    cache = _images.setdefault(brand, {})
    if len(cache) > 64:
        cache.clear()
    return cache


def _over_time(limits: Limits) -> str:
    return (f"it took longer than the time limit of {limits.seconds:g} s "
            "(carepress_render_timeout) and was stopped")


def _over_memory(limits: Limits) -> str:
    return (f"it needed more than the memory limit of {limits.memory_mb} MB "
            "(carepress_render_memory_mb) and was stopped")


def _no_attachments(document) -> None:
    """A brochure carries no attached files, whatever its HTML asks for."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]


def _identifier(job: Job) -> bytes:
    """A stable PDF /ID from the input, so the same sources give the same bytes: the
    print HTML without the folders it was built in, which differ between checkouts."""
    import hashlib

    from ..keys import portable
    text = portable(job.html.read_text(encoding="utf-8"), job.roots)
    return hashlib.md5(text.encode()).hexdigest().encode()


_limits = Limits()  # in a worker: the limits it was started with
_busy = False  # in a worker: a job is being rendered


def _init_worker(limits: Limits) -> None:
    """Runs in each worker: its limits, and dying with the build if the build is killed."""
    global _limits
    import resource
    import signal
    _limits = limits
    # WeasyPrint re-saves a colour emoji font (its images taken out) with fontTools, which
    # stamps the font's head.modified with the time unless SOURCE_DATE_EPOCH says otherwise:
    # without it, the same sources would not give the same bytes.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    size = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    signal.signal(signal.SIGALRM, _raise(OverTime))
    # Stopped (its build killed, or the backstop below): unwind, so that `finally`
    # removes the unfinished PDF. Linux tells a worker when its build dies, even by kill -9.
    signal.signal(signal.SIGTERM, _stop)
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    import weasyprint  # noqa: F401 - import once per worker, not per job


def _stop(signum, frame):
    if _busy:
        raise SystemExit(1)  # unwinds through render's `finally`
    os._exit(1)  # between jobs or shutting down: nothing to clean up


def _raise(exception):
    def handler(signum, frame):
        raise exception()
    return handler


def _context():
    """Workers are forked from a fork server that has already imported WeasyPrint (and
    warmed it up: warm.py): a worker is ready in milliseconds, not the half second a
    fresh interpreter takes, and it carries none of Sphinx's memory (a fork of the build
    itself would)."""
    context = get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


# what the fork server imports before it forks a worker (the warm-up last)
PRELOAD = ["carepress.brochure.worker.forkserver_guard", "carepress.brochure.worker.render",
           "weasyprint", "carepress.brochure.worker.warm"]


def warm_up() -> None:
    """Start the fork server now, so it loads WeasyPrint while Sphinx starts and reads.
    Called from the main thread: the server's death signal follows the thread that
    started it, so it must not be a pool's helper thread."""
    from multiprocessing import forkserver
    _context()
    forkserver.ensure_running()


class Workers:
    """The worker processes of one build: started once, as soon as the builder knows it
    will print (so they start up while Sphinx reads and writes), reused for every job.

    Even one job runs in a worker: the limits apply to the worker, never to Sphinx.
    A job stuck where the alarm cannot reach it (inside a C library) is killed by
    the pool a little after its deadline, and its worker replaced.
    """

    def __init__(self, workers: int, limits: Limits = Limits()):
        from pebble import ProcessPool

        warm_up()
        self.limits = limits
        self.count = max(1, workers or os.cpu_count() or 1)
        self._pool = ProcessPool(self.count, initializer=_init_worker, initargs=(limits,),
                                 context=_context())

    def submit(self, job: Job):
        """Start printing one job now; its result comes from :meth:`result`."""
        backstop = self.limits.seconds + BACKSTOP_SECONDS
        return self._pool.schedule(render, args=(job,), timeout=backstop)

    def result(self, job: Job, future) -> Result:
        try:
            return future.result()
        except FutureTimeout:
            return Result(job, seconds=self.limits.seconds + BACKSTOP_SECONDS,
                          error=_over_time(self.limits))
        except Exception as error:  # noqa: BLE001 - the worker died (memory, a crash)
            code = getattr(error, "exitcode", None)
            return Result(job, error=(
                f"its printing process stopped unexpectedly (exit code {code}); it "
                f"probably needed more than the memory limit of {self.limits.memory_mb} MB "
                "(carepress_render_memory_mb)"))

    def close(self, stop: bool = False) -> None:
        """Wait for every job given, or with ``stop`` drop those not started and stop the
        workers now (SIGTERM: a job being rendered unwinds, its unfinished PDF removed)."""
        if stop:
            self._pool.stop()
        else:
            self._pool.close()
        self._pool.join()


def render_all(jobs: list[Job], workers: int, limits: Limits = Limits()) -> Iterator[Result]:
    """Render every job with workers of its own; results in job order."""
    pool = Workers(min(workers or os.cpu_count() or 1, len(jobs)), limits)
    try:
        futures = [pool.submit(job) for job in jobs]
        for job, future in zip(jobs, futures):
            yield pool.result(job, future)
    finally:
        pool.close()
