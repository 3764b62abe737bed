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
7. Languages (``carepress_languages``): the topics are read once per language, each
   read with ``language`` set and its own doctree folder (outputs.py), the default
   language first. Every language's brochure build hands its brochures to the same
   printer, so printing overlaps; every language's site is built into the one staged
   copy (the default at its root, the others in ``<lang>/``) and swapped in once, all
   or nothing. Sphinx keeps message catalogues per process, so they are reset before
   each build (compat.reset_translations).
8. Brands' own sites (site/brand_sites.py): after the main site, each brand with
   ``web = true`` is built the same way with ``carepress_site_brand`` set, into a staged
   copy of ``_build/sites`` swapped in after the main site, only when every site and
   language succeeded. The setting changes only what is written: no topic is read again.

8. What the run prints goes through its console (console.py): a few lines and a
   summary table by default, Sphinx's own output with -v.
9. Nothing changed since the last run that ended well (unchanged.py): the run says so
   and stops before it imports Sphinx or starts a printer.

The builders stay plain Sphinx builders: ``sphinx-build -b brochure`` or ``-b html``
drives each on its own.
"""

from __future__ import annotations

import gc
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import PRINTING_DONE, compat, lock, outputs, unchanged


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

    def fingerprint(self) -> tuple:
        """The options that change what a build makes (not -j, -v, -q, --progress)."""
        return (self.source, self.build_dir, self.confdir, self.brand, self.pdf_only,
                self.shard, self.lenient, sorted((self.overrides or {}).items()),
                tuple(self.only))

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
           prepare: Callable | None = None, lang: str = "",
           doctrees: Path | None = None, console=None, env=None) -> tuple[int, object]:
    """One Sphinx build, as ``sphinx-build`` would run it: (exit status, the application).

    ``lang``, a language other than the default, reads the topics in that language (its
    own doctree folder; ``doctrees`` another folder; ``env`` the environment a build of
    this run just finished with, to start from). ``prepare(app)`` runs once the
    application exists, before it builds; ``console`` (console.py) decides what is shown
    of Sphinx's progress and counts the warnings. A problem that stops the build before it starts is printed as one line (the
    traceback too with -v), with exit status 2; the application is then None."""
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from .errors import EXIT_START, CarepressError

    if not compat.terminal_supports_colour():
        compat.disable_colour()
    status = console.status() if console else None if options.quiet else sys.stdout
    app = None
    compat.reset_translations()  # the previous build's language is not this one's
    overrides = options.confoverrides() | ({"language": lang} if lang else {})
    try:
        with patch_docutils(options.confdir), docutils_namespace():
            app = compat.sphinx_application(env)(
                         options.source, options.confdir, str(outdir),
                         str(doctrees or outputs.doctree_dir(Path(options.build_dir), lang)),
                         builder,
                         confoverrides=overrides, status=status,
                         warning=sys.stderr, warningiserror=not options.lenient,
                         verbosity=options.verbose)
            if console is not None:
                console.attach(app)
            if prepare is not None:
                prepare(app)
            with _settled():
                app.build(filenames=[Path(f) for f in options.only])
            return app.statuscode, app
    except CarepressError as error:  # already logged, as one line
        if options.verbose:
            traceback.print_exception(error, file=sys.stderr)
        return EXIT_START, None
    except KeyboardInterrupt as error:
        # Said as sphinx-build says it, then passed on: the run stops here (its lock,
        # printer and staged site let go on the way out) and `carepress` exits with 2.
        # Turned into a status instead, `carepress preview` went on watching.
        compat.handle_exception(app, error, options.verbose, sys.stderr)
        raise
    except Exception as error:
        if options.verbose:
            compat.handle_exception(app, error, options.verbose, sys.stderr)
        else:
            print(_stopped(app, error), file=sys.stderr)
        return EXIT_START, None


@contextmanager
def _settled():
    """What exists when a build starts (the imported modules, the environment just
    loaded: millions of objects at 5,000 topics) is kept out of the garbage collector's
    full passes while the build runs (``gc.freeze``), and handed back to it after. With
    cli.fewer_collections' thresholds alone an edit at 5,000 topics spent more in those
    passes than with the defaults (benchmarks/README.md)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _stopped(app, error: BaseException) -> str:
    """One line for a failure that no topic could keep to itself (isolation.py catches
    the others): the topic being read or written then, if any, and what to do."""
    from .isolation import PLEASE_REPORT, diagnose
    failure = diagnose(error)
    env, builder = getattr(app, "env", None), getattr(app, "builder", None)
    docname = (getattr(env, "docname", "") if env is not None else "") or \
        getattr(builder, "current_docname", "") or ""
    line = f":{failure.line}" if failure.line else ""
    where = f"{env.doc2path(docname)}{line}: " if docname and env is not None else ""
    return (f"{where}ERROR: the build stopped: {failure.project or 'Python'} failed "
            f"({failure.error}). This is a bug: {PLEASE_REPORT}.")


def build(options: Options, make_printer: Callable | None = None) -> int:
    """Brochures, then the site that links them (see the rules above).

    ``make_printer(config, jobs, console)`` gives the printer to print with; whoever gives
    it keeps it running between builds and closes it (`carepress preview` does)."""
    from .console import Console

    console = Console(options.verbose, options.quiet)
    build_dir = Path(options.build_dir)
    whole = make_printer is None and not options.only  # a run unchanged.py may skip
    with lock.held(outputs.doctree_dir(build_dir), console.say):
        if whole:
            before = unchanged.inputs(options, options.fingerprint())
            was = unchanged.same_as_last(build_dir, before)
            if was is not None:
                return _nothing_changed(console, build_dir, was)
            unchanged.forget(build_dir)
            from .brochure.worker.render import warm_up
            warm_up()  # printing processes get ready while Sphinx starts
        run = _Run(options, console, make_printer)
        try:
            status = run()
        except BaseException:  # Ctrl-C, or a bug: what is still printing is never reported
            if make_printer is None:
                run.close(stop=True)
            raise
        if make_printer is None:
            run.close()
        if whole and run.clean(status) \
                and unchanged.inputs(options, options.fingerprint()) == before:
            unchanged.remember(build_dir, before, run.record())
    run.summarize(status)
    return status


def _nothing_changed(console, build_dir: Path, was: dict) -> int:
    console.say("nothing changed since the last build: brochures and site are up to date")
    console.counts.reused = was.get("brochures", 0)
    sites = [Path(s) for s in was.get("sites", [])]
    console.summary(outputs.pdf_dir(build_dir), sites, was.get("site_note", ""),
                    strict=was.get("strict", True))
    return 0


class _Run:
    def __init__(self, options: Options, console, make_printer=None):
        self.options, self.console = options, console
        self.make_printer = make_printer
        self.printer = None
        self.swapped = False
        self.default_lang = "en"
        self.build_dir = Path(options.build_dir)
        self.langs: list[str] = [""]  # "" the default language, then the others
        self.envs: dict = {}  # each language's environment, from its brochure build
        self.web: list[str] = []  # brands with a site of their own (site/brand_sites.py)
        self.site = True

    def __call__(self) -> int:
        from .languages import others
        site = self.site = not self.options.pdf_only and not self.options.shard  # a shard: PDFs
        pdfs = outputs.pdf_dir(self.build_dir)

        def prepare(app, lang: str = "") -> None:
            if lang == "":  # the other languages are known once the first build starts
                from .site.brand_sites import web_brands
                self.langs = ["", *others(app.config)]
                self.default_lang = app.config.language or "en"
                self.web = web_brands(app.config)
            self._give_printer(app, wait_here=not site and lang == self.langs[-1])

        worst, first = sphinx(self.options, "brochure", pdfs, prepare, console=self.console)
        if first is not None:
            self.envs[""] = first.env
            for lang in self.langs[1:]:
                status, app = sphinx(self.options, "brochure", pdfs,
                                     lambda app, lang=lang: prepare(app, lang), lang,
                                     console=self.console)
                worst = max(worst, status)
                if app is not None:
                    self.envs[lang] = app.env
                if app is None:
                    break
        return self._after_brochures(first, worst, site)

    def _after_brochures(self, first, worst: int, site: bool) -> int:
        if first is None:
            return worst
        if site and worst == 0:
            return self._site(first)
        if self.printer is not None and self.printer.jobs:
            # a brochure build failed: still finish what was started, reported in the log
            # of the first build
            compat.log_to(first, sys.stdout, sys.stderr, self.options.verbose)
            self.printer.finish()
        return worst

    def _give_printer(self, app, wait_here: bool) -> None:
        if self.printer is None:  # one printer for every language's brochures
            from .brochure.printer import Printer
            self.printer = (self.make_printer or Printer)(app.config, self.options.jobs,
                                                          self.console)
        app.builder.print_with(self.printer)
        how = "" if wait_here else (" while the site is built" if self.site
                                     else " while the other languages are read")
        app.connect("build-finished", lambda app, exc: self._announce(app, how),
                    priority=PRINTING_DONE)
        if wait_here:
            app.connect("build-finished", self._finish_printing, priority=PRINTING_DONE)

    def _announce(self, app, how: str) -> None:
        if self.printer.jobs:
            self.printer.announce(how)
        elif not app.statuscode and not self.printer.not_printed:
            self.printer.say("brochures are up to date")

    def _finish_printing(self, app, exception) -> None:
        self.printer.finish()

    def _site(self, brochures) -> int:
        """Every site (the main one, then each web brand's own: site/brand_sites.py) in
        every language, into staged copies, swapped in only when all succeeded."""
        from .site import staging
        live_sites = outputs.sites_dir(self.build_dir)
        staged = staging.stage(self.build_dir)
        staged_sites = staging.stage(self.build_dir, live_sites) if self.web \
            or live_sites.exists() else None
        try:
            worst = 0
            for brand in ["", *self.web]:  # "": the main site, the primary brand's
                options = self.options
                if brand:
                    options = replace(options, overrides={
                        **(options.overrides or {}), "carepress_site_brand": brand})
                for lang in self.langs:
                    outdir = Path(staged, lang) if not brand else \
                        outputs.brand_site_dir(staged_sites, brand, lang)
                    status, site = sphinx(options, "html", outdir,
                                          lambda app: app.connect("build-finished",
                                                                  self._finish_printing,
                                                                  priority=PRINTING_DONE), lang,
                                          console=self.console, env=self.envs.get(lang))
                    if site is None:  # it could not start: finish the brochures, report them
                        compat.log_to(brochures, sys.stdout, sys.stderr, self.options.verbose)
                        self._finish_printing(brochures, None)
                        return status
                    worst = max(worst, status)
            if worst == 0:
                staging.swap(staged, self.build_dir)
                self.swapped = True
                if staged_sites is not None:
                    staged_sites.mkdir(exist_ok=True)
                    for old in staged_sites.iterdir():
                        if old.name not in self.web:  # a brand no longer on the web
                            staging.discard(old)
                    staging.swap(staged_sites, self.build_dir, live_sites)
            return worst
        finally:
            staging.discard(staged)
            if staged_sites is not None:
                staging.discard(staged_sites)

    def close(self, stop: bool = False) -> None:
        if self.printer is not None:
            self.printer.close(stop)

    def clean(self, status: int) -> bool:
        """Ended well, with nothing to say again next time: no error, no warning,
        nothing withheld, and the site swapped in (when one was wanted)."""
        c = self.console
        withheld = c.counts.not_printed + (self.printer.not_printed if self.printer else 0)
        return status == 0 and c.errors == 0 and c.warnings == 0 and withheld == 0 \
            and (self.swapped or not self.site)

    def record(self) -> dict:
        """What a run that finds nothing changed says (unchanged.py)."""
        printed = len(outputs.published_pdfs(outputs.pdf_dir(self.build_dir)))
        langs = ", ".join(lang or self.default_lang for lang in self.langs)
        sites = [outputs.site_dir(self.build_dir)] if self.swapped else []
        if self.swapped and self.web:
            sites.append(outputs.sites_dir(self.build_dir))
        return {"brochures": printed, "strict": not self.options.lenient,
                "sites": [str(site) for site in sites],
                "site_note": f"up to date ({langs})" if self.swapped else
                "not built: brochures only"}

    def summarize(self, status: int) -> None:
        counts = self.console.counts
        if self.printer is not None:
            counts.reused, counts.not_printed = (self.printer.reused,
                                                 counts.not_printed + self.printer.not_printed)
        langs = ", ".join(lang or self.default_lang for lang in self.langs)
        note = (f"built ({langs})" if self.swapped else
                "not built: brochures only" if not self.site else
                "not replaced: the build failed, the last good site stays")
        sites = [outputs.site_dir(self.build_dir)] if self.swapped else []
        if self.swapped and self.web:
            sites.append(outputs.sites_dir(self.build_dir))
        self.console.summary(outputs.pdf_dir(self.build_dir), sites, note,
                             strict=not self.options.lenient)
