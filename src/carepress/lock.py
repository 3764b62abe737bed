"""One build of a project at a time.

Two builds of the same project (two terminals, an editor's watcher and `make`)
share the doctrees, the print HTML and the PDFs. The second one waits for the
first: a lock file in the doctree folder, taken before Sphinx reads anything
and given back when the build ends (or its process dies, whatever the reason).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def acquire(app, config) -> None:
    path = Path(app.doctreedir, "carepress.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        logger.info(f"another build of this project is running; waiting for it to finish "
                    f"({path})")
        fcntl.flock(fd, fcntl.LOCK_EX)
    app.carepress_lock = fd


def release(app, exception) -> None:
    fd = getattr(app, "carepress_lock", None)
    if fd is not None:
        os.close(fd)  # closing the file gives the lock back
        app.carepress_lock = None


def setup_lock(app) -> None:
    app.connect("config-inited", acquire, priority=10)
    app.connect("build-finished", release, priority=900)
