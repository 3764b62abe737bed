"""The site is built in a staged copy of the live one and swapped in whole, so a failed
or killed build never leaves a half-written site (Sphinx writes pages in place).

The rules that keep the live site intact while its copy is built:

1. The copy shares pages, PDFs, page sources and images with the live site (hard links:
   they are most of a site's bytes); Sphinx's static files and downloads, and every
   other file Sphinx rewrites in place (the inventory, the build info), are copies.
2. Nothing is ever written into a shared file: just before Sphinx writes a page, the
   page and its source copy still shared with the live site are removed
   (:func:`unshare_page`), and so are the images before Sphinx copies them
   (:func:`unshare_images`); PDFs are put into the copy by renaming a new file over
   the old (site/pdfs.py).
3. Only a build that succeeded swaps the copy in (:func:`swap`); the copy is then the
   old site. A copy a killed build left behind is removed by the next.

An edit costs what it changed, not what the site holds: the old site a swap leaves is
kept (outputs.previous_site_dir), and the next copy starts from it, bringing up to date
only the entries whose file differs from the live site's (folder listings tell: a
shared file has the live one's inode). Only the first build, or one after a failure,
links the whole site.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from .. import outputs

SPHINX_COPIES = ("_static", "_downloads")  # folders Sphinx writes into in place
UNSHARED = ("_sources", "_images")  # shared, and unshared before Sphinx writes them
SHARED_SUFFIXES = (".html", ".pdf")


def _shared(rel: str, depth: int = 0) -> bool:
    """Whether the copy may share this file (by its path in the site, with /; below
    ``depth`` folders of brands) with the live one."""
    parts = rel.split("/")[depth:]
    if any(p in SPHINX_COPIES for p in parts):
        return False
    return any(p in UNSHARED for p in parts) or rel.endswith(SHARED_SUFFIXES)


def stage(build: Path, live: Path | None = None) -> Path:
    """A copy of the live site to build into: ``_build/.html.<pid>`` (``live``: another
    folder of sites, ``_build/sites`` -> ``_build/.sites.<pid>``)."""
    build = Path(build)
    live = Path(live) if live is not None else outputs.site_dir(build)
    prefix = f".{live.name}."
    for stale in build.glob(f"{prefix}*"):  # left by a killed build
        if not _alive(stale.name[len(prefix):]):
            shutil.rmtree(stale, ignore_errors=True)
    new = outputs.staging_dir(build, os.getpid(), live)
    previous = outputs.previous_site_dir(build, live)
    # the folder of brands' sites holds one site per brand: the rules start below it
    depth = 0 if live == outputs.site_dir(build) else 1
    if live.is_dir() and previous.is_dir():
        os.rename(previous, new)
        _update(str(live), str(new), str(live), depth)
    elif live.is_dir():
        shutil.rmtree(previous, ignore_errors=True)
        shutil.copytree(live, new, symlinks=True, copy_function=_linker(live, depth))
    return new


def _linker(live: Path, depth: int = 0):
    def link_or_copy(source: str, target: str) -> None:
        if _shared(os.path.relpath(source, live), depth):
            os.link(source, target)
        else:
            shutil.copy2(source, target)
    return link_or_copy


def _update(live: str, copy: str, root: str, depth: int = 0) -> None:
    """Make ``copy`` (an older copy of the folder ``live`` of the site at ``root``) the
    same as ``live``, touching only the entries that differ: a shared file is the same
    file (inode), a copied one has the same size and time."""
    theirs = {e.name: e for e in os.scandir(live)}
    mine = {e.name: e for e in os.scandir(copy)}
    for name, entry in mine.items():
        there = theirs.get(name)
        if there is None or entry.is_dir(follow_symlinks=False) != there.is_dir(
                follow_symlinks=False):
            _remove(Path(entry.path))
            mine[name] = None
    start = len(root) + 1
    for name, entry in theirs.items():
        source, target, old = entry.path, f"{copy}/{name}", mine.get(name)
        if entry.is_dir(follow_symlinks=False):
            if old is not None:
                _update(source, target, root, depth)
            else:
                shutil.copytree(source, target, symlinks=True,
                                copy_function=_linker(Path(root), depth))
            continue
        if old is not None and old.inode() == entry.inode():
            continue  # the same file (shared): most of a site, so asked first
        tmp = f"{copy}/.{name}.{os.getpid()}.tmp"
        if _shared(source[start:], depth):
            os.link(source, tmp)
        else:
            if old is not None:
                a, b = old.stat(follow_symlinks=False), entry.stat(follow_symlinks=False)
                if (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns):
                    continue
            shutil.copy2(source, tmp, follow_symlinks=False)
        os.replace(tmp, target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _unshare(path: Path) -> None:
    if path.is_file() and path.stat().st_nlink > 1:
        path.unlink()


def unshare_page(app, pagename, templatename, context, doctree) -> None:
    """Just before Sphinx writes a page: the page and its source copy, linked from the
    live site, are removed, so Sphinx writes new files instead of into the live ones."""
    output = getattr(app.builder, "get_output_path", None)
    _unshare(Path(output(pagename) if output else app.builder.get_outfilename(pagename)))
    if context.get("sourcename"):
        _unshare(Path(app.outdir, "_sources", context["sourcename"]))


def unshare_images(app):
    """Before Sphinx copies the written pages' images (it writes into an existing file)."""
    for name in getattr(app.builder, "images", {}).values():
        _unshare(Path(app.outdir, "_images", name))
    return []


def swap(new: Path, build: Path, live: Path | None = None) -> None:
    """Put ``new`` in the place of the live site (or ``live``) in one step (Linux
    renameat2), else two renames. The old site is kept for the next build's copy to
    start from."""
    live = Path(live) if live is not None else outputs.site_dir(build)
    previous = outputs.previous_site_dir(build, live)
    shutil.rmtree(previous, ignore_errors=True)
    if live.exists():
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.renameat2(-100, bytes(new), -100, bytes(live), 2) == 0:  # EXCHANGE
                previous.parent.mkdir(parents=True, exist_ok=True)
                os.rename(new, previous)
                return
        except AttributeError:
            pass
        old = live.with_name(live.name + f".old.{os.getpid()}")
        os.rename(live, old)
        os.rename(new, live)
        new.mkdir()
        os.rename(old, new / "old")
        return
    os.rename(new, live)


def discard(new: Path) -> None:
    shutil.rmtree(new, ignore_errors=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass
    return True
