"""The site is built in a staged copy of the live one and swapped in whole, so a failed
or killed build never leaves a half-written site (Sphinx writes pages in place).

The rules that keep the live site intact while its copy is built:

1. The copy links pages and PDFs to the live site's files instead of copying them
   (they are most of a site's bytes); everything Sphinx rewrites in place (its static
   files, sources, images and downloads) is copied.
2. Nothing is ever written into a linked file: just before Sphinx writes a page, a page
   still linked to the live site is removed (:func:`unshare_page`), and PDFs are put
   into the copy by renaming a new file over the old (site/pdfs.py).
3. Only a build that succeeded swaps the copy in (:func:`swap`); the copy is then the
   old site, and is removed. A copy a killed build left behind is removed by the next.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from .. import outputs

SPHINX_COPIES = ("_static", "_sources", "_images", "_downloads")  # written in place


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
    if live.is_dir():
        # the folder of brands' sites holds one site per brand: the rules start below it
        depth = 0 if live == outputs.site_dir(build) else 1
        shutil.copytree(live, new, symlinks=True, copy_function=_linker(live, depth))
    return new


def _linker(live: Path, depth: int = 0):
    def link_or_copy(source: str, target: str) -> None:
        parts = Path(source).relative_to(live).parts[depth:] or ("",)
        if parts[0] == "pdf" or (source.endswith(".html") and parts[0] not in SPHINX_COPIES):
            os.link(source, target)
        else:
            shutil.copy2(source, target)
    return link_or_copy


def unshare_page(app, pagename, templatename, context, doctree) -> None:
    """Just before Sphinx writes a page: a page linked from the live site is removed, so
    Sphinx writes a new file instead of into the live one."""
    output = getattr(app.builder, "get_output_path", None)
    path = Path(output(pagename) if output else app.builder.get_outfilename(pagename))
    if path.is_file() and path.stat().st_nlink > 1:
        path.unlink()


def swap(new: Path, build: Path, live: Path | None = None) -> None:
    """Put ``new`` in the place of the live site (or ``live``) in one step (Linux
    renameat2), else two renames. ``new`` then holds the old site, for :func:`discard`."""
    live = Path(live) if live is not None else outputs.site_dir(build)
    if live.exists():
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.renameat2(-100, bytes(new), -100, bytes(live), 2) == 0:  # EXCHANGE
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
