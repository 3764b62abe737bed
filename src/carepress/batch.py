"""Brochures being printed: the workers, each job's future, and how their results reach
the writer.

``sphinx-build -b brochure`` waits for its batch at the end of its own build. ``carepress
build`` lets the batch print while Sphinx builds the site, and the site build waits for
it before it copies the PDFs in (site.py): the site is written by the otherwise idle
main process instead of after the last PDF. The batch keeps the project's lock until it
is finished, so no other build can start on the same PDFs meanwhile.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.util import logging
from sphinx.util.display import status_iterator

from . import addresses, lock, render
from .errors import report

logger = logging.getLogger(__name__)
_pending: list["Batch"] = []  # handed over by the brochure build to the site build


class Batch:
    def __init__(self, workers: render.Workers, jobs: list, since: float, outdir: str,
                 progress: str):
        self.workers, self.since, self.outdir, self.progress = workers, since, outdir, progress
        self.jobs = sorted(jobs, key=lambda pair: (pair[0].docname, pair[0].brand, pair[0].fmt))
        self.lock: Path | None = None

    def hand_over(self, app) -> None:
        """Leave the batch printing for the build that runs next in this process."""
        self.lock = lock.keep(app)
        _pending.append(self)
        app.builder.epilog = "The brochures are still printing into %(outdir)s."
        self._announce(" while the site is built")

    def _announce(self, how: str = "") -> None:
        logger.info(f"printing {len(self.jobs)} brochure(s) with {self.workers.count} "
                    f"worker(s){how}")

    def finish(self, app) -> None:
        """Wait for every brochure and report each result through ``app``'s logger."""
        try:
            self._report(app)
        finally:
            self.release()

    def release(self) -> None:
        """Wait for the workers to finish what they print, then give the lock back."""
        self.workers.close()
        if self.lock is not None:
            lock.drop(self.lock)
            self.lock = None

    def _report(self, app) -> None:
        if self.lock is None:  # a batch handed over said so then
            self._announce()
        results = list(self._with_progress(
            app, (self.workers.result(job, future) for job, future in self.jobs)))
        shutil.rmtree(Path(self.outdir, render.SCRATCH), ignore_errors=True)
        pages = printed = 0
        for r in results:
            if r.error or r.does_not_fit:  # no print HTML: the next build tries again
                r.job.html.unlink(missing_ok=True)
            where = f"{r.job.docname} ({r.job.brand}, {r.job.fmt})"
            for message in r.warnings:
                logger.warning(f"{where}: {message}", location=r.job.docname,
                               type="carepress", subtype="weasyprint")
            if r.does_not_fit:
                report(app, f"{r.does_not_fit} ({r.job.brand}; the previous PDF, if any, "
                       "is kept.)", location=r.job.docname)
                continue
            lines = dict(r.job.lines)
            for url, why in r.refused:
                report(app, f"could not print {where}: carepress refused to load "
                       f"'{url}': {why}. The previous PDF, if any, is kept.",
                       location=(r.job.docname, lines.get(addresses.key(url))))
            if r.refused:
                continue
            if r.error:
                report(app, f"could not print {where}: {r.error}. "
                       "The previous PDF, if any, is kept.", location=r.job.docname)
                continue
            pages, printed = pages + r.pages, printed + 1
            logger.verbose(f"{r.job.pdf}: {r.pages} page(s) in {r.seconds:.2f} s")
        # The last PDF written, not this call: the site may have been built meanwhile.
        seconds = max((r.done_at for r in results), default=self.since) - self.since
        peak = max(r.peak_rss_mb for r in results)
        logger.info(f"printed {printed} brochure(s), {pages} page(s) in {seconds:.2f} s; "
                    f"peak memory of a renderer {peak:.0f} MB")

    def _with_progress(self, app, results):
        """A progress line on a terminal (or when asked); CI logs stay quiet."""
        if self.progress == "never" or (self.progress == "auto" and not _terminal(app)):
            return results
        return status_iterator(results, "printing... ", "darkgreen", len(self.jobs),
                               app.verbosity,
                               stringify_func=lambda r: f"{r.job.brand}/{r.job.pdf.name}")


def _terminal(app) -> bool:
    stream = getattr(app, "_status", None)
    return bool(getattr(stream, "isatty", lambda: False)())


def finish_pending(app) -> None:
    """The site build, before it copies the PDFs in: wait for the brochures still printing."""
    while _pending:
        _pending.pop(0).finish(app)


def failing(app) -> bool:
    """Whether ``app``'s build will fail as it stands: then no site build follows, and
    the batch is reported by this build. (Sphinx keeps the warning count private; were
    it renamed, every batch would be reported by its own build: slower, never wrong.)"""
    return bool(app.statuscode) or (getattr(app, "_fail_on_warnings", True)
                                    and getattr(app, "_warncount", 1) > 0)


def pending() -> bool:
    return bool(_pending)


def abandon() -> int:
    """A batch no build finished (the site build stopped before its end): let it finish
    writing, then fail, since nobody reported its results."""
    unreported = bool(_pending)
    while _pending:
        _pending.pop(0).release()
    return int(unreported)
