"""``carepress COMMAND``: a thin layer over the same Sphinx builds the Makefile runs.

Run from the project folder (the one holding conf.py).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
from pathlib import Path


def _options(args, **more):
    from .pipeline import Options
    return Options(source=args.source, build_dir=args.build_dir, brand=args.brand,
                   verbose=args.verbose, quiet=args.quiet, **more)


def cmd_build(args) -> int:
    """Brochures first, then the site that links and copies them (pipeline.py)."""
    from .pipeline import build
    shard = "0/1" if args.read_only else args.shard
    return build(_options(args, jobs=args.jobs, pdf_only=args.pdf_only, shard=shard,
                          progress=args.progress, lenient=args.lenient,
                          overrides={"carepress_print_shop": True} if args.print_shop else None))


def cmd_check(args) -> int:
    """Every check over the shared doctrees; the builder sets the exit status itself."""
    from . import outputs
    from .pipeline import sphinx
    overrides = {}
    if args.only:
        overrides["carepress_checks"] = args.only
    if args.strict_links:
        overrides["carepress_linkcheck_strict"] = True
    if args.today:
        overrides["carepress_today"] = args.today
    if args.due_report:
        overrides["carepress_due_report"] = str(Path(args.due_report).resolve())
    if args.changed_since:  # on a pull request: see checks/review.py
        from .errors import CarepressError
        from .review.git import changed_files
        try:
            overrides["carepress_changed_files"] = [str(p) for p in changed_files(
                args.changed_since)]
        except CarepressError as error:
            print(f"carepress check: {error}", file=sys.stderr)
            return 2
    # Findings, not Sphinx's warnings-as-errors, decide the exit status.
    options = _options(args, lenient=True, overrides=overrides)
    outdir = outputs.check_dir(Path(args.build_dir))
    others: list = []

    def learn_languages(app) -> None:
        from .languages import others as other_languages
        others.extend(other_languages(app.config))

    status, app = sphinx(options, "carepress-check", outdir, learn_languages)
    if app is None:
        return status
    from .checks.languages import spelling_overrides
    from .errors import CarepressError
    parts = []
    for lang in others:
        try:
            more = spelling_overrides(app, lang, overrides.get("carepress_checks"))
        except CarepressError as error:
            print(f"carepress check: {error}", file=sys.stderr)
            return 2
        options = _options(args, lenient=True, overrides=overrides | more)
        code, _ = sphinx(options, "carepress-check", outdir, lang=lang)
        status = max(status, code)
        parts.append(outputs.report_path(Path(args.build_dir), lang))
    if parts:  # one report: the default language's, then a section per language
        report = outputs.report_path(Path(args.build_dir))
        text = report.read_text(encoding="utf-8").rstrip() + "\n"
        for part in parts:
            if part.is_file():
                body = part.read_text(encoding="utf-8")
                text += "\n" + body.replace("\n#", "\n##").replace("# ", "## ", 1)
        from .atomic import write_text
        write_text(report, text)
    return status


def cmd_translate(args) -> int:
    """Refresh every language's catalogues after an English edit: Sphinx's gettext
    builder writes one .pot per topic, then sphinx-intl updates each language's .po
    (a changed message keeps its old translation, marked fuzzy: not printed until a
    translator confirms it)."""
    import subprocess
    from . import outputs
    from .languages import others
    from .pipeline import sphinx
    pots = outputs.gettext_dir(Path(args.build_dir))
    status, app = sphinx(_options(args, lenient=False), "gettext", pots,
                         doctrees=outputs.gettext_doctree_dir(Path(args.build_dir)))
    if app is None or status:
        return status
    langs = others(app.config)
    if not langs:
        print("carepress translate: conf.py lists one language (carepress_languages); "
              "nothing to translate.")
        return 0
    locales = Path(app.srcdir, (app.config.locale_dirs or ["locales"])[0]).resolve()
    command = [sys.executable, "-m", "sphinx_intl", "update", "-p", str(pots),
               "-d", str(locales), "-j", "1"]
    for lang in langs:
        command += ["-l", lang]
    return subprocess.run(command).returncode


def cmd_new(args) -> int:
    """Write a topic skeleton with every required field and section, and list it in index.md."""
    from .errors import CarepressError
    from .sources.skeleton import new_topic

    try:
        for line in new_topic(args.slug, Path(args.source)):
            print(line)
    except CarepressError as error:
        print(f"carepress new: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_brands(args) -> int:
    """List the brands in the project and check each one."""
    from .errors import CarepressError
    from .sources.brand import load

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


def cmd_preview(args) -> int:
    """Build one topic, serve it with its printed pages, rebuild on every save."""
    from .preview import run
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    return run(args.topic, _options(args, jobs=args.jobs), formats, args.host, args.port)


def cmd_diff(args) -> int:
    """Build the base revision and this one; compare every brochure page by page."""
    from .review.diff import run
    return run(args.base, _options(args, jobs=args.jobs, pdf_only=True))


def cmd_a11y(args) -> int:
    """Check every PDF's tags and the site in a browser; write the report."""
    from .checks.a11y.report import main
    return main(args.build_dir, site=not args.pdf_only)


def _build_arguments(command) -> None:
    """What a command that builds takes, as `carepress build` does."""
    command.add_argument("-j", "--jobs", type=int, help="PDF worker processes")
    command.add_argument("-v", "--verbose", action="count", default=0)
    command.add_argument("-q", "--quiet", action="store_true")
    command.add_argument("--source", default="docs/source")
    command.add_argument("--build-dir", default="_build")


# One example per command, shown by `carepress --help` (tests/test_help.py checks that
# every command has one).
EXAMPLES = {
    "build": "carepress build --brand lakeside",
    "check": "carepress check --only spelling,review",
    "translate": "carepress translate",
    "new": "carepress new chemical-peel",
    "brands": "carepress brands",
    "preview": "carepress preview microneedling --format handout,trifold",
    "diff": "carepress diff origin/main",
    "a11y": "carepress a11y --pdf-only",
}


def main(argv: list[str] | None = None) -> int:
    from . import __version__
    parser = argparse.ArgumentParser(
        prog="carepress", description="Patient-education topics in MyST Markdown, published "
        "as a website and printed as branded brochures. Run it in the project folder (the "
        "one holding conf.py); `make` runs it for you.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n" + "\n".join(f"  {e}" for e in EXAMPLES.values())
        + "\n\n`carepress COMMAND --help` tells more about a command.")
    parser.add_argument("--version", action="version", version=f"carepress {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, title="commands",
                                metavar="COMMAND")

    build = sub.add_parser("build", help="print every brochure, then build the site")
    build.add_argument("--brand", help="build for this brand only")
    build.add_argument("-j", "--jobs", type=int, help="PDF worker processes (default: one per core)")
    build.add_argument("--pdf-only", action="store_true", help="brochures only, no site")
    build.add_argument("--shard", metavar="I/N",
                       help="print only the I-th of N disjoint slices of the topics' brochures "
                            "(for a CI matrix; implies --pdf-only)")
    build.add_argument("--read-only", action="store_true",
                       help="read the topics into _build/doctrees and print nothing: the job "
                            "whose doctrees a CI matrix's --shard jobs start from")
    build.add_argument("--progress", action="store_true",
                       help="show the progress line even when not on a terminal")
    build.add_argument("--lenient", action="store_true", help="do not treat warnings as errors")
    build.add_argument("--print-shop", action="store_true",
                       help="also write the print-shop edition (PDF/X-4, bleed, crop marks) "
                            "of the handout and trifold under <build-dir>/pdf/<brand>/print-shop/")
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
    check.add_argument("--changed-since", metavar="REV",
                       default=os.environ.get("CAREPRESS_CHANGED_SINCE") or None,
                       help="a pull request's base: an overdue review is an error only in the "
                            "topics changed since REV (default: $CAREPRESS_CHANGED_SINCE; unset, "
                            "in every topic)")
    check.add_argument("--due-report", metavar="FILE",
                       help="also list the topics due or overdue for review in FILE (Markdown)")
    check.add_argument("-v", "--verbose", action="count", default=0)
    check.add_argument("-q", "--quiet", action="store_true")
    check.add_argument("--source", default="docs/source")
    check.add_argument("--build-dir", default="_build")
    check.set_defaults(func=cmd_check)

    translate = sub.add_parser("translate", help="refresh every language's catalogues "
                               "(docs/locales/<lang>/LC_MESSAGES/<topic>.po) after an English edit")
    translate.add_argument("-v", "--verbose", action="count", default=0)
    translate.add_argument("-q", "--quiet", action="store_true")
    translate.add_argument("--brand", help=argparse.SUPPRESS)
    translate.add_argument("--source", default="docs/source")
    translate.add_argument("--build-dir", default="_build")
    translate.set_defaults(func=cmd_translate)

    new = sub.add_parser("new", help="start a topic: docs/source/<slug>.md with every "
                                     "required field and section")
    new.add_argument("slug", help="the file name, such as chemical-peel")
    new.add_argument("--source", default="docs/source")
    new.set_defaults(func=cmd_new)

    brands = sub.add_parser("brands", help="list and check the brands")
    brands.add_argument("--brands-dir", default="docs/_static/brands")
    brands.set_defaults(func=cmd_brands)

    preview = sub.add_parser("preview", help="a live preview of one topic: its web page "
                             "beside its printed pages, updated on every save")
    preview.add_argument("topic", help="the topic's file name, such as microneedling")
    preview.add_argument("--format", default="handout",
                         help="formats to show, comma-separated (default: handout)")
    preview.add_argument("--brand", help="the brand to print (default: carepress_primary_brand)")
    preview.add_argument("--host", default="127.0.0.1")
    preview.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    _build_arguments(preview)
    preview.set_defaults(func=cmd_preview)

    diff = sub.add_parser("diff", help="what this change does to every printed page: "
                          "_build/diff/index.html and report.md")
    diff.add_argument("base", nargs="?", help="the revision to compare with (default: the "
                      "merge base with the main branch)")
    diff.add_argument("--brand", help="build and compare this brand only")
    _build_arguments(diff)
    diff.set_defaults(func=cmd_diff)

    a11y = sub.add_parser("a11y", help="check the PDFs' tags and the site in a browser "
                          "(report: <build-dir>/check/accessibility.md)")
    a11y.add_argument("--build-dir", default="_build")
    a11y.add_argument("--pdf-only", action="store_true", help="the PDFs only, not the site")
    a11y.set_defaults(func=cmd_a11y)

    args = parser.parse_args(argv)
    fewer_collections()
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C: already said where it stopped (pipeline.sphinx)
        from .errors import EXIT_START
        return EXIT_START


def fewer_collections() -> None:
    """Collect cyclic garbage less often. A build allocates millions of objects that live
    until the end (docutils nodes, the unpickled environment of every topic), and with
    CPython's default thresholds the collector walks them again and again: a fifth of
    the CPU of an edit at 1,000 topics. mypy raises them further (200,000/30/30); these
    keep most of the gain for less garbage waiting (benchmarks/README.md)."""
    if platform.python_implementation() == "CPython":
        gc.set_threshold(50_000, 10, 10)


def run() -> None:
    """The ``carepress`` command. The process ends without freeing the Sphinx environment
    object by object (the OS frees a finished process at once)."""
    from .compat import exit_now
    exit_now(main())


if __name__ == "__main__":
    run()
