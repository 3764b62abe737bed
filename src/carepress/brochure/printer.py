"""Brochures being printed: the worker processes, each job's future, and how the results
reach the writer.

A :class:`Printer` belongs to whoever waits for it. ``sphinx-build -b brochure`` makes
its own and waits at the end of its build; ``carepress build`` (pipeline.py) gives the
builder the run's printer and waits for it itself, while the site is built. What it says
goes to Sphinx's log, or to the run's console (console.py) when it has one.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sphinx.util import logging
from sphinx.util.display import status_iterator

from .. import outputs
from ..errors import report
from ..isolation import PLEASE_REPORT
from ..sources import addresses
from . import keys
from .worker import render

logger = logging.getLogger(__name__)


@dataclass
class Tally:
    printed: int = 0
    pages: int = 0
    failed: int = 0
    warnings: int = 0


class Printer:
    def __init__(self, config, jobs: int | None = None, console=None):
        self.count = jobs or config.carepress_jobs or os.cpu_count() or 1
        self.limits = render.Limits(config.carepress_render_timeout,
                                    config.carepress_render_memory_mb)
        self.progress = config.carepress_progress
        self.jobs: list[tuple[render.Job, object]] = []  # each job with its future
        self.since = 0.0  # time.monotonic() of the first job: the clock results are timed by
        self._workers: render.Workers | None = None
        self.console = console
        self.reused = 0        # brochures whose PDF was still right
        self.not_printed = 0   # withheld before printing: a topic with a problem, an old edition
        self.announced = 0     # jobs already said (each language's build adds more)

    def say(self, text: str) -> None:
        """A line about the run, for the writer (not an error)."""
        if self.console is not None:
            self.console.say(text)
        else:
            logger.info(text)

    def start(self) -> None:
        """Start the workers now (they start up while Sphinx reads and writes)."""
        if self._workers is None:
            self._workers = render.Workers(self.count, self.limits)

    def submit(self, job: render.Job) -> None:
        """Start printing one brochure now."""
        self.start()
        self.since = self.since or time.monotonic()
        self.jobs.append((job, self._workers.submit(job)))

    def announce(self, how: str = "") -> None:
        new, self.announced = len(self.jobs) - self.announced, len(self.jobs)
        if new and new == len(self.jobs):
            self.say(f"printing {new} brochure(s) with {self.count} worker(s){how}")
        elif new:
            self.say(f"printing {new} more brochure(s) ({len(self.jobs)} in all){how}")

    def finish(self) -> Tally:
        """Wait for every brochure; report each result through Sphinx's log."""
        jobs = sorted(self.jobs, key=lambda pair: (pair[0].docname, pair[0].brand, pair[0].fmt))
        self.jobs, self.announced = [], 0
        if not jobs:
            return Tally()
        results = list(self._with_progress(
            (self._workers.result(job, future) for job, future in jobs), len(jobs)))
        for scratch in {job.scratch for job, _ in jobs}:
            shutil.rmtree(scratch, ignore_errors=True)
        tally = _report(results, self.since, self.say)
        if self.console is not None:
            counts = self.console.counts
            counts.printed, counts.pages = counts.printed + tally.printed, counts.pages + tally.pages
            counts.not_printed += tally.failed
        return tally

    def close(self, stop: bool = False) -> None:
        """Let the workers finish what they print, then stop them; with ``stop`` (a run
        interrupted, whose results no one will report), stop them at once: what they
        were printing is left unwritten, the previous PDFs stay."""
        if self._workers is not None:
            self._workers.close(stop)
            self._workers = None

    def _with_progress(self, results, total: int):
        """A progress line on a terminal (or when asked); CI logs stay quiet."""
        if self.progress == "never" or (self.progress == "auto" and not sys.stdout.isatty()):
            return results
        if self.console is not None:
            return self.console.progress(results, total, "printing",
                                         lambda r: f"{r.job.brand}/{r.job.pdf.name}")
        return status_iterator(results, "printing... ", "darkgreen", total, 0,
                               stringify_func=lambda r: f"{r.job.brand}/{r.job.pdf.name}")


def _report(results: list[render.Result], since: float, say=logger.info) -> Tally:
    tally = Tally()
    for r in results:
        if r.error or r.does_not_fit:  # no print HTML: the next build tries again
            r.job.html.unlink(missing_ok=True)
        variant = f", {r.job.variant}" if r.job.variant else ""
        where = f"{r.job.docname} ({r.job.brand}, {r.job.fmt}{variant})"
        for message in r.warnings:
            tally.warnings += 1
            logger.warning(f"{where}: {message}", location=r.job.docname,
                           type="carepress", subtype="weasyprint")
        if r.does_not_fit:
            tally.failed += 1
            report(f"{r.does_not_fit} ({r.job.brand}; the previous PDF, if any, is kept.)",
                   location=r.job.docname)
            continue
        lines = dict(r.job.lines)
        for url, why in r.refused:
            report(f"could not print {where}: carepress refused to load '{url}': {why}. "
                   "The previous PDF, if any, is kept.",
                   location=(r.job.docname, lines.get(addresses.key(url))))
        if r.crash:
            report(f"could not print {where}: {_bug(r)}", location=r.job.docname)
            logger.verbose(r.crash)
        elif r.error and not r.refused:
            report(f"could not print {where}: {r.error}. The previous PDF, if any, is kept.",
                   location=r.job.docname)
        if r.error:
            tally.failed += 1
            continue
        keys.remember(r.job)  # the PDF is in place: its key beside it, and in the cache
        tally.printed, tally.pages = tally.printed + 1, tally.pages + r.pages
        logger.verbose(f"{r.job.pdf}: {r.pages} page(s) in {r.seconds:.2f} s")
    # The last PDF written, not this call: the site may have been built meanwhile.
    seconds = max((r.done_at for r in results), default=since) - since
    peak = max(r.peak_rss_mb for r in results)
    say(f"printed {tally.printed} brochure(s), {tally.pages} page(s) in {seconds:.2f} s; "
        f"peak memory of a renderer {peak:.0f} MB")
    return tally


def _bug(r: render.Result) -> str:
    """An unexpected failure while printing: whose bug it is likely to be, what to do."""
    ours = r.failed_in == "carepress"
    who = "carepress" if ours else "WeasyPrint (or carepress, which calls it)"
    return (f"{who} failed on this brochure ({r.error}). This is a bug, not a mistake in "
            f"the topic: {PLEASE_REPORT}. The previous PDF, if any, is kept.")


def clear_scratch(pdfs: Path) -> None:
    """What a killed build left unfinished (the caller holds the project's lock)."""
    shutil.rmtree(outputs.scratch_dir(pdfs), ignore_errors=True)
