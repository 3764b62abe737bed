"""How carepress tells a writer that something is wrong.

Problems in one topic are logged as errors with a location (file and line) and fail the
build at the end, so every other topic still builds and every problem is listed at
once. Problems that stop everything (an unknown brand, a bad setting) raise
:class:`CarepressError`, logged as one line: ``carepress build`` then exits with 2
(``sphinx-build`` too, after its own report of a configuration error).
"""

from __future__ import annotations

import logging as std_logging

from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger("carepress")

EXIT_TOPIC = 1  # a topic has a problem; the other topics still print
EXIT_START = 2  # the build cannot start: a brand, a setting


class CarepressError(ConfigError):
    """A problem in the project's configuration or brand files that stops the build."""


def stops_the_build(handler):
    """A handler whose CarepressError stops the build: the writer reads it as one line
    first (then ``sphinx-build`` adds its own report of the error)."""
    def run(*args):
        try:
            return handler(*args)
        except CarepressError as error:
            logger.error(str(error), type="carepress")
            raise
    run.__name__ = run.__qualname__ = handler.__name__
    return run


def report(message: str, location=None) -> None:
    """Log an error a writer must fix; the build will exit non-zero (see setup_errors)."""
    logger.error(message, location=location, type="carepress")


class FailOnError(std_logging.Handler):
    """Any error carepress logs fails the build, also one logged while Sphinx reads in
    parallel (`-j`): the reading processes' records are replayed here, in the main one."""

    def __init__(self, app):
        super().__init__(std_logging.ERROR)
        self.app = app

    def emit(self, record) -> None:
        if record.name.startswith("sphinx.carepress"):
            self.app.statuscode = EXIT_TOPIC


def watch_errors(app) -> None:
    # On Sphinx's top logger: replayed records come through sphinx.util.parallel's logger.
    std_logging.getLogger("sphinx").addHandler(FailOnError(app))


def stop_watching(app, exception) -> None:
    root = std_logging.getLogger("sphinx")
    for handler in [h for h in root.handlers if isinstance(h, FailOnError) and h.app is app]:
        root.removeHandler(handler)
