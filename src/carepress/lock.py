"""One build of a project at a time.

Two builds of the same project (two terminals, an editor's watcher and `make`) share the
doctrees, the print HTML and the PDFs. The second one waits for the first: a lock file
in the doctree folder, taken before Sphinx reads anything and given back when the build
ends (or its process dies, whatever the reason).

The lock is counted within a process: a run of several Sphinx builds (pipeline.py) holds
it from before the first until the last brochure is printed, and each build inside the
run takes and gives back one count of its own.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

_held: dict[Path, list[int]] = {}  # lock file -> [file descriptor, holders]
WAITING = "another build of this project is running; waiting for it to finish ({})"


def take(doctreedir: Path, say: Callable[[str], None]) -> Path:
    path = Path(doctreedir, "carepress.lock").resolve()
    if path not in _held:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(WAITING.format(path))
            fcntl.flock(fd, fcntl.LOCK_EX)
        _held[path] = [fd, 0]
    _held[path][1] += 1
    return path


def give_back(path: Path) -> None:
    _held[path][1] -= 1
    if _held[path][1] == 0:
        os.close(_held.pop(path)[0])  # closing the file gives the lock back


@contextmanager
def held(doctreedir: Path, say: Callable[[str], None]):
    path = take(doctreedir, say)
    try:
        yield
    finally:
        give_back(path)


# -- a Sphinx build (also a bare `sphinx-build`) holds it from config-inited to build-finished
def on_config_inited(app, config) -> None:
    from sphinx.util import logging
    app.carepress_lock = take(app.doctreedir, logging.getLogger(__name__).info)


def on_build_finished(app, exception) -> None:
    path = getattr(app, "carepress_lock", None)
    if path is not None:
        app.carepress_lock = None
        give_back(path)
