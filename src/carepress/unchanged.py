"""Nothing changed: a `carepress build` that can tell before it starts Sphinx.

Starting Python and Sphinx and loading Sphinx's environment (once per build, language
and builder) costs more than a library's worth of file checks. So a run that ended well
(no error, no warning, nothing withheld) records a fingerprint of everything a build is
made from, and of what it left behind; the next run with the same options compares
before importing Sphinx, and when nothing differs it says so and stops:

- the options it was run with (not -j, -v, -q or --progress, which change no output);
- every file of the project (the folder of conf.py, and the source folder), by content
  (digests.py: a file is hashed again only when its size or time changed, so a fresh
  checkout is hashed once and then matches): topics, images, conf.py, brands, locales,
  word lists;
- what carepress is run with: Python, every installed distribution and its version (the
  names of their ``.dist-info`` folders), carepress's own code by content, the system's
  fonts, and the environment variables carepress reads;
- the build folder's outputs: every folder under it with its time and inode, so a
  removed or added PDF or page, or a site swapped by another build, is seen.

The inputs are fingerprinted before the build and again after it, and recorded only if
they are the same (a file the build wrote into the project, such as a compiled
catalogue, or an edit during the build, makes the next run a full one).
tests/test_unchanged.py changes each kind of input in turn.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from . import atomic, outputs
from .digests import Digests, installed_fonts

SKIP = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
        ".pytest_cache", ".mypy_cache", ".ruff_cache", ".nox"}
ENVIRONMENT = ("CAREPRESS_PDF_CACHE", "SOURCE_DATE_EPOCH")
PACKAGE = Path(__file__).resolve().parent
FORMAT = 1


def _files(top: Path, skip: set[Path]):
    """Every file under ``top``, in a fixed order, not under ``skip`` or SKIP folders."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIP and Path(entry.path) not in skip:
                    stack.append(Path(entry.path))
            elif entry.is_file():
                yield entry


def _hash_files(h, top: Path, skip: set[Path], digests: Digests) -> None:
    start = len(str(top)) + 1
    for entry in _files(top, skip):
        h.update(f"{entry.path[start:]}\0{digests.of(entry.path, entry.stat())}\n".encode())


def inputs(options, settings: tuple) -> str:
    """The fingerprint of everything a build with ``options`` is made from."""
    root = Path(options.confdir).resolve()
    build = Path(options.build_dir).resolve()
    digests = Digests.at(outputs.digests_path(build))
    h = hashlib.sha256(f"{FORMAT}\n{settings!r}\n{sys.version}\n{sys.executable}\n".encode())
    h.update(repr([(k, os.environ.get(k)) for k in ENVIRONMENT]).encode())
    for folder in dict.fromkeys(p for p in sys.path if p.endswith("-packages")):
        try:
            h.update(repr(sorted(n for n in os.listdir(folder) if n.endswith(
                (".dist-info", ".egg-info", ".egg-link", ".pth")))).encode())
        except OSError:
            pass
    _hash_files(h, PACKAGE, set(), digests)
    h.update(installed_fonts().encode())
    _hash_files(h, root, {build}, digests)
    source = Path(options.source).resolve()
    if not source.is_relative_to(root):
        _hash_files(h, source, {build}, digests)
    digests.save()
    return h.hexdigest()


def outputs_state(build: Path) -> str:
    """Every folder under the build folder (not its cache), with its time and inode: a
    file added, removed or renamed changes its folder's time."""
    build = Path(build).resolve()
    skip = {outputs.cache_dir(build)}
    h = hashlib.sha256()
    stack = [build]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        h.update(f"{folder.relative_to(build)} {st.st_mtime_ns} {st.st_ino}\n".encode())
        stack += [Path(e.path) for e in entries
                  if e.is_dir(follow_symlinks=False) and Path(e.path) not in skip]
    return h.hexdigest()


def last(build: Path) -> dict:
    try:
        data = json.loads(outputs.unchanged_path(Path(build)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def same_as_last(build: Path, fingerprint: str) -> dict | None:
    """What the last good run recorded, when nothing changed since; else None."""
    was = last(build)
    if was.get("inputs") == fingerprint and was.get("outputs") == outputs_state(build):
        return was
    return None


def remember(build: Path, fingerprint: str, summary: dict) -> None:
    atomic.write_text(outputs.unchanged_path(Path(build)), json.dumps(
        {"inputs": fingerprint, "outputs": outputs_state(build), **summary}))


def forget(build: Path) -> None:
    outputs.unchanged_path(Path(build)).unlink(missing_ok=True)
