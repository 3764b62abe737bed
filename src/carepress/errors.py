"""How carepress tells a writer that something is wrong.

Problems in one topic are logged as errors with a location (file and line) and
fail the build at the end, so every other topic still builds and every problem is
listed at once. Problems that stop everything (an unknown brand, a bad setting)
raise :class:`CarepressError`; :func:`fatal` prints it as one line and exits,
instead of Sphinx's crash report meant for bugs in Sphinx itself.
"""

from __future__ import annotations

import logging as std_logging
import sys

from sphinx.util import logging

logger = logging.getLogger("carepress")


class CarepressError(Exception):
    """A problem in the project's configuration or brand files that stops the build."""


def fatal(app, error: CarepressError) -> None:
    logger.error(str(error), type="carepress")
    if app.verbosity:
        raise error  # -v: the traceback too, for whoever debugs carepress itself
    sys.exit(2)


def report(app, message: str, location=None) -> None:
    """Log an error a writer must fix; the build will exit non-zero (see setup_errors)."""
    logger.error(message, location=location, type="carepress")
    app.statuscode = 1


class _FailOnError(std_logging.Handler):
    """Any error carepress logs fails the build, also one logged while Sphinx reads in
    parallel (`-j`): the reading processes' records are replayed here, in the main one."""

    def __init__(self, app):
        super().__init__(std_logging.ERROR)
        self.app = app

    def emit(self, record) -> None:
        if record.name.startswith("sphinx.carepress"):
            self.app.statuscode = 1


def setup_errors(app) -> None:
    # On Sphinx's top logger: replayed records come through sphinx.util.parallel's logger.
    handler = _FailOnError(app)
    std_logging.getLogger("sphinx").addHandler(handler)
    app.connect("build-finished", lambda app, exc: std_logging.getLogger(
        "sphinx").removeHandler(handler), priority=999)
