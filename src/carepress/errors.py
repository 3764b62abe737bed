"""How carepress tells a writer that something is wrong.

Problems in one topic are logged as errors with a location (file and line) and
fail the build at the end, so every other topic still builds and every problem is
listed at once. Problems that stop everything (an unknown brand, a bad setting)
raise :class:`CarepressError`; :func:`fatal` prints it as one line and exits,
instead of Sphinx's crash report meant for bugs in Sphinx itself.
"""

from __future__ import annotations

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
    """Log an error a writer must fix and make the build exit non-zero."""
    logger.error(message, location=location, type="carepress")
    app.statuscode = 1
