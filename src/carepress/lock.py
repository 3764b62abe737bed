"""One build of a project at a time.

Two builds of the same project (two terminals, an editor's watcher and `make`)
share the doctrees, the print HTML and the PDFs. The second one waits for the
first: a lock file in the doctree folder, taken before Sphinx reads anything
and given back when the build ends (or its process dies, whatever the reason).

Within one process the lock is counted: `carepress build` runs the brochure build,
then the site build, and the brochures still printing (batch.py) keep it held
between the two.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)
_held: dict[Path, list[int]] = {}  # lock file -> [file descriptor, holders]


def acquire(app, config) -> None:
    path = Path(app.doctreedir, "carepress.lock")
    if path not in _held:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info(f"another build of this project is running; waiting for it to "
                        f"finish ({path})")
            fcntl.flock(fd, fcntl.LOCK_EX)
        _held[path] = [fd, 0]
    _held[path][1] += 1
    app.carepress_lock = path


def keep(app) -> Path:
    """One more holder of the build's lock, until :func:`drop`."""
    path = app.carepress_lock
    _held[path][1] += 1
    return path


def drop(path: Path) -> None:
    _held[path][1] -= 1
    if _held[path][1] == 0:
        os.close(_held.pop(path)[0])  # closing the file gives the lock back


def release(app, exception) -> None:
    path = getattr(app, "carepress_lock", None)
    if path is not None:
        app.carepress_lock = None
        drop(path)


def setup_lock(app) -> None:
    app.connect("config-inited", acquire, priority=10)
    app.connect("build-finished", release, priority=900)
