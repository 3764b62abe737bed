"""What `carepress build` prints.

By default: what carepress is doing, in a few lines (a progress line while printing, on a
terminal), every warning and error, and a short table at the end: the brochures printed,
reused and not printed, with their folder; the site's folder; the warnings. Sphinx's
file-by-file output (and MyST's configuration) comes back with ``-v``; ``-q`` keeps only
the warnings and errors.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util.logging import WarningStreamHandler


@dataclass
class Counts:
    printed: int = 0
    reused: int = 0
    not_printed: int = 0  # failed, or withheld (a topic with a problem, an outdated edition)
    pages: int = 0


class _Count(logging.Filter):
    """At the end of Sphinx's warning handler: counts what it shows, after its own
    suppression (``suppress_warnings``) and de-duplication."""

    def __init__(self, console: "Console"):
        super().__init__()
        self.console = console

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            self.console.errors += 1
        elif record.levelno >= logging.WARNING:
            self.console.warnings += 1
        return True


@dataclass
class Console:
    verbose: int = 0
    quiet: bool = False
    stream: object = field(default_factory=lambda: sys.stdout)
    warnings: int = 0
    errors: int = 0
    counts: Counts = field(default_factory=Counts)
    started: float = field(default_factory=time.monotonic)

    def status(self):
        """The stream a Sphinx build writes its progress to: only with -v."""
        return self.stream if self.verbose else None

    def attach(self, app) -> None:
        """Count the warnings and errors this Sphinx build shows."""
        for handler in logging.getLogger("sphinx").handlers:
            if isinstance(handler, WarningStreamHandler):
                handler.addFilter(_Count(self))

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def progress(self, items, total: int, label: str, name=str):
        """``items``, drawing one updating line on a terminal."""
        if self.quiet or self.verbose or not getattr(self.stream, "isatty", lambda: False)():
            yield from items
            return
        for done, item in enumerate(items, 1):
            self.stream.write(f"\r{label} [{done}/{total}] {name(item)}"[:100].ljust(100))
            self.stream.flush()
            yield item
        self.stream.write("\r" + " " * 100 + "\r")

    def summary(self, pdfs: Path, sites: list[Path], site_note: str = "",
                strict: bool = True) -> None:
        c = self.counts
        rows = [("brochures", f"{c.printed} printed ({c.pages} pages), {c.reused} reused, "
                              f"{c.not_printed} not printed", f"{pdfs}/")]
        if sites:
            rows.append(("site", site_note or "up to date", "  ".join(f"{s}/" for s in sites)))
        elif site_note:
            rows.append(("site", site_note, ""))
        problems = f"{self.errors} error(s), {self.warnings} warning(s)"
        if strict and self.warnings:
            problems += " (warnings count as errors; --lenient to print anyway)"
        rows.append(("problems", problems, ""))
        width = max(len(r[1]) for r in rows)
        self.say(f"carepress build: {time.monotonic() - self.started:.1f} s")
        for name, what, where in rows:
            self.say(f"  {name:<10} {what:<{width}}  {where}".rstrip())
