"""One build run, start to end: what `carepress build` (and so `make`) does.

The run is the only owner of what lasts longer than one Sphinx build. Its rules:

1. One build of a project at a time: the run holds the project's lock (lock.py) from
   before Sphinx reads anything until the last brochure is written.
2. Printing workers start first, so they load WeasyPrint while Sphinx starts.
3. The brochure build reads the topics once, writes each brochure's print HTML and hands
   it to the run's printer at once (brochure/printer.py). It does not wait for it.
4. The site is built meanwhile, in a staged copy of the live site (site/staging.py).
   At the end of the site build (``PRINTING_DONE``) the run waits for the printer and
   reports every brochure's result through that build's log, so warnings-as-errors
   counts them; then the site copies the PDFs in (site/pdfs.py).
5. Only a run with no error swaps the staged site in. A failed or killed run leaves the
   last good site and the last good PDFs.
6. When the brochure build fails, or no site is wanted (``--pdf-only``, ``--shard``),
   the run still waits for every brochure it started, and reports them.

The builders stay plain Sphinx builders: ``sphinx-build -b brochure`` or ``-b html``
drives each on its own.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import PRINTING_DONE, compat, lock, outputs
from .errors import EXIT_START, CarepressError


@dataclass
class Options:
    """What `carepress build` was asked for (see cli.py)."""
    source: str = "docs/source"
    build_dir: str = "_build"
    confdir: str = "."
    brand: str | None = None
    jobs: int | None = None
    pdf_only: bool = False
    shard: str | None = None
    progress: bool = False
    lenient: bool = False
    verbose: int = 0
    quiet: bool = False
    overrides: dict | None = None  # more -D settings, for the other commands
    only: tuple = ()  # source files to write (`carepress preview`); empty: every outdated one

    def confoverrides(self) -> dict:
        values = dict(self.overrides or {})
        if self.brand:
            values |= {"carepress_brands": self.brand, "carepress_primary_brand": self.brand}
        if self.shard:
            values["carepress_shard"] = self.shard
        if self.progress:
            values["carepress_progress"] = "always"
        return values


def sphinx(options: Options, builder: str, outdir: Path,
           prepare: Callable | None = None) -> tuple[int, object]:
    """One Sphinx build, as ``sphinx-build`` would run it: (exit status, the application).

    ``prepare(app)`` runs once the application exists, before it builds. A problem that
    stops the build before it starts is printed as one line (the traceback too with -v),
    with exit status 2; the application is then None."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    if not compat.terminal_supports_colour():
        compat.disable_colour()
    status = None if options.quiet else sys.stdout
    app = None
    try:
        with patch_docutils(options.confdir), docutils_namespace():
            app = Sphinx(options.source, options.confdir, str(outdir),
                         str(outputs.doctree_dir(Path(options.build_dir))), builder,
                         confoverrides=options.confoverrides(), status=status,
                         warning=sys.stderr, warningiserror=not options.lenient,
                         verbosity=options.verbose)
            if prepare is not None:
                prepare(app)
            app.build(filenames=[Path(f) for f in options.only])
            return app.statuscode, app
    except CarepressError as error:  # already logged, as one line
        if options.verbose:
            traceback.print_exception(error, file=sys.stderr)
        return EXIT_START, None
    except (Exception, KeyboardInterrupt) as error:
        compat.handle_exception(app, error, options.verbose, sys.stderr)
        return EXIT_START, None


def build(options: Options, make_printer: Callable | None = None) -> int:
    """Brochures, then the site that links them (see the rules above).

    ``make_printer(config, jobs)`` gives the printer to print with; whoever gives it keeps
    it running between builds and closes it (`carepress preview` does)."""
    from .brochure.printer import Printer
    from .brochure.worker.render import warm_up

    if make_printer is None:
        warm_up()  # printing processes get ready while Sphinx starts
    build_dir = Path(options.build_dir)
    with lock.held(outputs.doctree_dir(build_dir), print):
        run = _Run(options, make_printer or Printer)
        try:
            return run()
        finally:
            if make_printer is None:
                run.close()


class _Run:
    def __init__(self, options: Options, make_printer):
        self.options, self.make_printer = options, make_printer
        self.printer = None
        self.build_dir = Path(options.build_dir)

    def __call__(self) -> int:
        site = not self.options.pdf_only and not self.options.shard  # a shard prints PDFs only
        status, brochures = sphinx(self.options, "brochure", outputs.pdf_dir(self.build_dir),
                                   lambda app: self._give_printer(app, wait_here=not site))
        if brochures is None:
            return status
        if site and status == 0:
            return self._site(brochures)
        if self.printer.jobs:  # the brochure build failed: still finish what it started
            self.printer.finish()
        return status

    def _give_printer(self, app, wait_here: bool) -> None:
        self.printer = self.make_printer(app.config, self.options.jobs)
        app.builder.print_with(self.printer)
        how = "" if wait_here else " while the site is built"
        app.connect("build-finished", lambda app, exc: self._announce(app, how),
                    priority=PRINTING_DONE)
        if wait_here:
            app.connect("build-finished", self._finish_printing, priority=PRINTING_DONE)

    def _announce(self, app, how: str) -> None:
        from sphinx.util import logging
        if self.printer.jobs:
            self.printer.announce(how)
        elif not app.statuscode:
            logging.getLogger(__name__).info("brochures are up to date")

    def _finish_printing(self, app, exception) -> None:
        self.printer.finish()

    def _site(self, brochures) -> int:
        from .site import staging
        staged = staging.stage(self.build_dir)
        try:
            status, site = sphinx(self.options, "html", staged, lambda app: app.connect(
                "build-finished", self._finish_printing, priority=PRINTING_DONE))
            if site is None:  # it could not start: finish the brochures, report them
                compat.log_to(brochures, sys.stdout, sys.stderr, self.options.verbose)
                self._finish_printing(brochures, None)
            elif status == 0:
                staging.swap(staged, self.build_dir)
            return status
        finally:
            staging.discard(staged)

    def close(self) -> None:
        if self.printer is not None:
            self.printer.close()
