"""``carepress build|check|new|brands``: a thin layer over the same Sphinx builds the Makefile runs.

Run from the project folder (the one holding conf.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _sphinx(builder: str, out: str, args, extra: tuple[str, ...] = ()) -> int:
    from sphinx.cmd.build import build_main

    argv = ["-b", builder, "-c", ".", "-d", f"{args.build_dir}/doctrees"]
    if not args.lenient:
        argv += ["-W", "--keep-going"]
    if args.brand:
        argv += ["-D", f"carepress_brands={args.brand}", "-D", f"carepress_primary_brand={args.brand}"]
    if args.jobs is not None:
        argv += ["-D", f"carepress_jobs={args.jobs}"]
    if getattr(args, "shard", None):
        argv += ["-D", f"carepress_shard={args.shard}"]
    if getattr(args, "progress", False):
        argv += ["-D", "carepress_progress=always"]
    if getattr(args, "background", False):  # given to both builds: a setting that
        argv += ["-D", "carepress_print_in_background=1"]  # differs re-reads every topic
    argv += ["-v"] * args.verbose + (["-q"] if args.quiet else []) + list(extra)
    argv += [args.source, f"{args.build_dir}/{out}"]
    return build_main(argv)


def cmd_build(args) -> int:
    """Brochures first, then the site that links and copies them."""
    from . import batch
    from .render import warm_up
    warm_up()  # printing processes get ready while Sphinx starts
    site = not args.pdf_only and not args.shard  # a shard prints PDFs only
    args.background = site  # the brochures print while the site is built
    status = _sphinx("brochure", "pdf", args)
    if site and (status == 0 or batch.pending()):
        status = _build_site(args) or status  # it waits for the brochures still printing
    unreported = batch.abandon()  # a batch the site build never reached (it stopped early)
    return status or unreported


def cmd_check(args) -> int:
    """Every check over the shared doctrees; the builder sets the exit status itself."""
    extra = []
    if args.only:
        extra += ["-D", f"carepress_checks={args.only}"]
    if args.strict_links:
        extra += ["-D", "carepress_linkcheck_strict=1"]
    if args.today:
        extra += ["-D", f"carepress_today={args.today}"]
    args.lenient, args.jobs = True, None  # findings, not Sphinx's -W, decide the exit status
    return _sphinx("carepress-check", "check", args, tuple(extra))


def cmd_new(args) -> int:
    """Write a topic skeleton with every required field and section, and list it in index.md."""
    from .skeleton import new_topic
    from .errors import CarepressError

    try:
        for line in new_topic(args.slug, Path(args.source)):
            print(line)
    except CarepressError as error:
        print(f"carepress new: {error}", file=sys.stderr)
        return 2
    return 0


def _build_site(args) -> int:
    """The site is built in a copy of the last good one and swapped in whole, so a failed
    or killed build never leaves a half-written site (Sphinx writes pages in place)."""
    import os
    import shutil

    build = Path(args.build_dir)
    for stale in build.glob(".html.*"):  # left by a killed build
        if not _alive(stale.suffix[1:]):
            shutil.rmtree(stale, ignore_errors=True)
    final, new = build / "html", build / f".html.{os.getpid()}"
    if final.is_dir():
        shutil.copytree(final, new, symlinks=True, copy_function=_stager(final))
    status = _sphinx("html", new.name, args)
    if status == 0:
        _swap(new, final)
    shutil.rmtree(new, ignore_errors=True)
    return status


def _stager(final: Path):
    """Pages and PDFs are linked into the copy, not copied (at 500 topics they are 54 of
    the site's 58 MB). The build never writes into a linked file: site.py removes a page
    before Sphinx writes it again and replaces a PDF by renaming, so the live site,
    which shares them, never changes under its readers."""
    import os
    import shutil

    def stage(source: str, target: str) -> None:
        parts = Path(source).relative_to(final).parts
        if parts[0] == "pdf" or (source.endswith(".html") and parts[0] not in SPHINX_COPIES):
            os.link(source, target)
        else:
            shutil.copy2(source, target)
    return stage


SPHINX_COPIES = ("_static", "_sources", "_images", "_downloads")  # written in place


def _alive(pid: str) -> bool:
    import os
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass
    return True


def _swap(new: Path, final: Path) -> None:
    """Put ``new`` in the place of ``final`` in one step (Linux renameat2), else two renames."""
    import ctypes
    import os
    if final.exists():
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.renameat2(-100, bytes(new), -100, bytes(final), 2) == 0:  # EXCHANGE
                return  # `new` now holds the old site, removed by the caller
        except AttributeError:
            pass
        old = final.with_name(final.name + f".old.{os.getpid()}")
        os.rename(final, old)
        os.rename(new, final)
        new.mkdir()
        os.rename(old, new / "old")
        return
    os.rename(new, final)


def cmd_brands(args) -> int:
    """List the brands in the project and check each one."""
    from .brand import load
    from .errors import CarepressError

    brands_dir = Path(args.brands_dir)
    failed = 0
    for folder in sorted(p.parent for p in brands_dir.glob("*/brand.toml")):
        try:
            brand = load(folder.name, brands_dir)
        except CarepressError as error:
            print(f"✗ {folder.name}: {error}")
            failed += 1
            continue
        print(f"✓ {brand.id}: {brand.name}, {brand.paper}, {brand.phone}")
    return 1 if failed else 0


def cmd_a11y(args) -> int:
    """Check every PDF's tags and the site in a browser; write the report."""
    from .checks.a11y_report import main
    return main(args.build_dir, site=not args.pdf_only)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="carepress", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="print every brochure, then build the site")
    build.add_argument("--brand", help="build for this brand only")
    build.add_argument("-j", "--jobs", type=int, help="PDF worker processes (default: one per core)")
    build.add_argument("--pdf-only", action="store_true", help="brochures only, no site")
    build.add_argument("--shard", metavar="I/N",
                       help="print only the I-th of N disjoint slices of the brochures (for a "
                            "CI matrix; implies --pdf-only)")
    build.add_argument("--progress", action="store_true",
                       help="show the progress line even when not on a terminal")
    build.add_argument("--lenient", action="store_true", help="do not treat warnings as errors")
    build.add_argument("-v", "--verbose", action="count", default=0)
    build.add_argument("-q", "--quiet", action="store_true")
    build.add_argument("--source", default="docs/source")
    build.add_argument("--build-dir", default="_build")
    build.set_defaults(func=cmd_build)

    check = sub.add_parser("check", help="run every check and write _build/check/report.md")
    check.add_argument("--only", help="comma-separated checks to run, e.g. spelling,claims")
    check.add_argument("--strict-links", action="store_true",
                       help="an external site that cannot be reached is an error too")
    check.add_argument("--today", help="check review dates as of this day (YYYY-MM-DD)")
    check.add_argument("--brand", help="read page counts from this brand's PDFs")
    check.add_argument("-v", "--verbose", action="count", default=0)
    check.add_argument("-q", "--quiet", action="store_true")
    check.add_argument("--source", default="docs/source")
    check.add_argument("--build-dir", default="_build")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser("new", help="start a topic: docs/source/<slug>.md with every "
                                     "required field and section")
    new.add_argument("slug", help="the file name, such as chemical-peel")
    new.add_argument("--source", default="docs/source")
    new.set_defaults(func=cmd_new)

    brands = sub.add_parser("brands", help="list and check the brands")
    brands.add_argument("--brands-dir", default="docs/_static/brands")
    brands.set_defaults(func=cmd_brands)

    a11y = sub.add_parser("a11y", help="check the PDFs' tags and the site in a browser "
                          "(report: <build-dir>/check/accessibility.md)")
    a11y.add_argument("--build-dir", default="_build")
    a11y.add_argument("--pdf-only", action="store_true", help="the PDFs only, not the site")
    a11y.set_defaults(func=cmd_a11y)

    args = parser.parse_args(argv)
    return args.func(args)


def run() -> None:
    """The ``carepress`` command. After a build Python would spend 0.2 s freeing the
    Sphinx environment object by object; the OS frees a finished process at once."""
    import atexit
    import os
    status = main()
    atexit._run_exitfuncs()  # what a normal exit runs: logging, multiprocessing clean-up
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
