"""How carepress tells a writer that something is wrong.

Problems in one topic are logged as errors with a location (file and line) and
fail the build at the end, so every other topic still builds and every problem is
listed at once. Problems that stop everything (an unknown brand, a bad setting)
raise :class:`CarepressError`, which Sphinx prints without a traceback.
"""

from __future__ import annotations

from sphinx.errors import SphinxError
from sphinx.util import logging

logger = logging.getLogger("carepress")


class CarepressError(SphinxError):
    category = "carepress error"


def report(app, message: str, location=None) -> None:
    """Log an error a writer must fix and make the build exit non-zero."""
    logger.error(message, location=location, type="carepress")
    app.statuscode = 1
