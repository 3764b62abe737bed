"""The single place that calls WeasyPrint: in-process, locked down, limited, atomic.

Each job turns one print HTML file into one PDF. Jobs run in worker processes
that are started once and reused; each job's WeasyPrint warnings come back with
its result so the builder can report them through Sphinx's logger (and ``-W``).
A worker has a memory limit (``RLIMIT_AS``) and each job a time limit: a job
over either is stopped (its worker killed and replaced) and fails alone.
PDFs are written under ``<outdir>/.tmp/`` and renamed into place, so a killed
build never leaves a partial PDF beside the good ones.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

SCRATCH = ".tmp"  # under the PDF output folder: unfinished files, cleared by each build


@dataclass(frozen=True)
class Job:
    docname: str
    brand: str
    fmt: str
    html: Path  # the print HTML, written by the builder
    pdf: Path
    roots: tuple[Path, ...]  # folders the fetcher may read
    allowed_urls: tuple[str, ...] = ()  # web address prefixes the fetcher may load
    data_max_kb: int = 256
    lines: tuple[tuple[str, int], ...] = ()  # (address key, line in the topic)


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
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, why)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render(job: Job) -> Result:
    """Render one job; never raises, never leaves a partial PDF."""
    import weasyprint

    from .fetcher import LockedFetcher

    result = Result(job)
    handler = _Collect()
    wlogger = logging.getLogger("weasyprint")
    wlogger.addHandler(handler)
    tmp = job.pdf.parent.parent / SCRATCH / f"{job.brand}-{job.pdf.name}.{os.getpid()}.tmp"
    start = time.perf_counter()
    try:
        fetcher = LockedFetcher(list(job.roots), job.allowed_urls, job.data_max_kb)
        document = weasyprint.HTML(filename=str(job.html), url_fetcher=fetcher).render(
            pdf_variant="pdf/ua-1")
        result.pages = len(document.pages)
        _no_attachments(document)
        if fetcher.refused:
            result.refused = fetcher.refused
            result.error = "an address was refused"
        else:
            tmp.parent.mkdir(parents=True, exist_ok=True)
            job.pdf.parent.mkdir(parents=True, exist_ok=True)
            document.write_pdf(tmp, pdf_variant="pdf/ua-1", pdf_identifier=_identifier(job))
            os.replace(tmp, job.pdf)
    except MemoryError:
        result.error = (f"it needed more than the memory limit of {_memory_mb} MB "
                        "(carepress_render_memory_mb) and was stopped")
    except Exception as exc:  # noqa: BLE001 - reported to the writer, build fails
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        tmp.unlink(missing_ok=True)
        wlogger.removeHandler(handler)
    result.seconds = time.perf_counter() - start
    result.warnings = [m for m in handler.messages if "carepress refused" not in m]
    return result


def _no_attachments(document) -> None:
    """A brochure carries no attached files, whatever its HTML asks for."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]


def _identifier(job: Job) -> bytes:
    """A stable PDF /ID from the input, so the same sources give the same bytes."""
    import hashlib
    return hashlib.md5(job.html.read_bytes()).hexdigest().encode()


_memory_mb = 0


def _init_worker(memory_mb: int) -> None:
    """Runs in each worker: the memory limit, and dying with the build if it is killed."""
    global _memory_mb
    import resource
    import signal
    _memory_mb = memory_mb
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:  # Linux: a worker whose build is killed (kill -9) is killed too
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    import weasyprint  # noqa: F401 - import once per worker, not per job


def _stopped(job: Job, error: BaseException, limits: Limits) -> Result:
    if isinstance(error, FutureTimeout):
        return Result(job, seconds=limits.seconds, error=(
            f"it took longer than the time limit of {limits.seconds:g} s "
            "(carepress_render_timeout) and was stopped"))
    code = getattr(error, "exitcode", None)
    return Result(job, error=(
        f"its printing process stopped unexpectedly (exit code {code}); it probably needed "
        f"more than the memory limit of {limits.memory_mb} MB (carepress_render_memory_mb)"))


def render_all(jobs: list[Job], workers: int, limits: Limits = Limits()) -> list[Result]:
    """Render every job; results come back in job order whatever the worker count.

    Even one job runs in a worker: the limits apply to the worker, never to Sphinx.
    """
    from pebble import ProcessPool

    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    with ProcessPool(workers, initializer=_init_worker, initargs=(limits.memory_mb,),
                     context=get_context("spawn")) as pool:
        futures = [pool.schedule(render, args=(job,), timeout=limits.seconds) for job in jobs]
        results = []
        for job, future in zip(jobs, futures):
            try:
                results.append(future.result())
            except Exception as error:  # noqa: BLE001 - timeout or a killed worker
                results.append(_stopped(job, error, limits))
        return results
