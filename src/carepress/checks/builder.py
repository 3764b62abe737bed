"""The ``carepress-check`` builder: every check of `make check` over the shared doctrees.

It reads (or reuses) the same doctrees as the brochure and html builders, runs the
per-document checks of ``carepress.checks``, lets Sphinx resolve every reference
(nitpicky: any warning Sphinx gives is an error of the internal-links check), checks
the external links, then prints one summary and writes ``<outdir>/report.md``. The
exit status is non-zero when any check found an error.
"""

from __future__ import annotations

import logging as std_logging
import re
from pathlib import Path

from sphinx.builders.dummy import DummyBuilder
from sphinx.util import logging
from sphinx.util.logging import WarningStreamHandler, is_suppressed_warning
from sphinx.util.build_phase import BuildPhase
from sphinx.util.logging import get_node_location
from docutils import nodes

from .. import compat, languages, outputs
from ..brochure.layouts import formats_in
from ..isolation import one_topic, write_each
from ..sources import brand as brands
from ..sources.topic import FRONT_MATTER, topics
from ..sources.translations import ENGLISH_TITLE
from .model import Context, Doc, Finding, today
from .report import Report, Row

# The checks themselves are imported when this builder starts (per_document, finish,
# _rows), not here: setup() imports this module in every build to register the builder.
logger = logging.getLogger(__name__)


def per_document() -> dict:
    """The checks that look at one document at a time, by name (see carepress_checks)."""
    from . import accessibility, claims, internal, placeholders, readability, review, spelling
    return {"spelling": spelling.check, "internal-links": internal.check,
            "reading-level": readability.check, "review": review.check,
            "accessibility": accessibility.check, "claims": claims.check,
            "placeholders": placeholders.check}


class SphinxWarnings(WarningStreamHandler):
    """Collects the warnings Sphinx and its extensions log while this builder runs: with
    nitpicky on, every unresolved reference is one. Each becomes an error finding.

    A WarningStreamHandler, so Sphinx's ``pending_warnings`` holds records back from it
    exactly as from its own handler and each record arrives once.
    """

    def __init__(self, builder):
        super().__init__()
        self.builder = builder
        self.findings: list[Finding] = []
        self.setLevel(std_logging.WARNING)

    def emit(self, record) -> None:
        kind, sub = getattr(record, "type", None), getattr(record, "subtype", None)
        if kind == "carepress" and sub == "check":
            return  # our own findings, already collected
        if kind and is_suppressed_warning(kind, sub or "", self.builder.config.suppress_warnings):
            return
        path, line = self._where(getattr(record, "location", None))
        docname = self.builder.env.path2doc(str(path)) if path else None
        message = re.sub(r"\x1b\[[0-9;]*m", "", record.getMessage())
        self.findings.append(Finding("build", "error", path, line, message, docname))
        if docname and self.builder.phase == BuildPhase.READING:
            # said only while the topic is read: read it again next run, or the next
            # report would lose it (as warnings-as-errors builds do, sources/guard.py)
            self.builder.env.reread_always.add(docname)

    def _where(self, location):
        env = self.builder.env
        if isinstance(location, tuple):
            docname, line = location
            return (Path(env.doc2path(docname)) if docname else None), line
        if isinstance(location, nodes.Node):
            location = get_node_location(location)
        if not location:
            return None, None
        m = re.match(r"(.*?)(?::(\d+))?$", str(location))
        path, line = m.group(1), int(m.group(2)) if m.group(2) else None
        if not Path(path).is_absolute() and path in env.found_docs:
            path = env.doc2path(path)
        return Path(path), line


class CheckBuilder(DummyBuilder):
    name = "carepress-check"
    epilog = "The report is in %(outdir)s/report.md."
    allow_parallel = False  # findings are collected in this process (see above)

    def __init__(self, app, env) -> None:
        super().__init__(app, env)
        self.application = app  # Builder.app is deprecated in Sphinx 9

    def init(self) -> None:
        super().init()
        self.config.nitpicky = True
        self.per_document = per_document()
        self.ctx = Context(self.application, today(self.config))
        self.lang = languages.current(self.config)
        self.sub = languages.subfolder(self.config)
        self.enabled = list(self.config.carepress_checks)
        self.docs: dict[str, Doc] = {}
        self.findings: list[Finding] = []
        self.sphinx_warnings = SphinxWarnings(self)
        std_logging.getLogger("sphinx").addHandler(self.sphinx_warnings)
        self.results = self._results()

    def _results(self):
        from . import results, spelling
        reusable = set(results.REUSABLE)
        # the same key whichever checks run (--only), so a run of some keeps the others'
        word_lists, dictionary = spelling.fingerprint(self.application)
        if dictionary is None:  # "cannot check", said once: never a result to reuse
            reusable.discard("spelling")
        key = results.run_key(self.application, word_lists, dictionary or "")
        path = outputs.check_results_path(outputs.build_dir_of(self.outdir), self.lang
                                          if self.sub else "")
        return results.Results(path, key, reusable)

    def write_doc(self, docname, doctree) -> None:
        # Resolving ``doctree`` (Sphinx did, before this call) reported any broken
        # reference; the checks read the doctree as written, clinic details unfilled.
        path = Path(self.env.doc2path(docname))
        text = path.read_text(encoding="utf-8")
        m = FRONT_MATTER.match(text)
        doc = Doc(docname, path, text, self.env.get_doctree(docname),
                  topics(self.env).get(docname), m.group(0).count("\n") if m else 0)
        self.docs[docname] = doc
        self.findings += list(_translation_findings(doc, self.lang))
        t = doc.topic.translation if doc.topic is not None else None
        if t is not None and not t.exists:
            return  # no catalogue: nothing in this language to check (the finding says so)
        if t is not None:
            _leave_out_english(doc.doctree)
        key = self.results.key(doc, Path(self.doctreedir, f"{docname}.doctree"))
        reused = self.results.reuse(doc, key)
        for name, check in self.per_document.items():
            if name not in self.enabled:
                continue
            if name in reused:
                self.findings += reused[name]
                continue
            with one_topic(self.env, docname, f"running the {name} check on this topic"):
                found = list(check(self.ctx, doc))
                self.findings += found
                self.results.keep(doc, key, name, found)

    def write_documents(self, docnames) -> None:
        write_each(self, docnames, "checking this topic")  # a topic that breaks a check fails alone

    def finish(self) -> None:
        from . import links

        std_logging.getLogger("sphinx").removeHandler(self.sphinx_warnings)
        if self.results.reused:
            logger.info(f"{self.results.reused} topic(s) unchanged since the last check: "
                        "their results reused (review dates and links checked again)")
        notes = []
        # Whatever the build itself reports (front matter, broken references) always counts.
        self.findings += self.sphinx_warnings.findings
        if self.sphinx_warnings.findings:
            notes.append("Warnings from the build itself (a broken reference, a missing file) "
                         "count as errors.")
        if "external-links" in self.enabled:
            found, stats = links.check(self.ctx, list(self.docs.values()),
                                       outputs.linkcheck_cache(outputs.build_dir_of(self.outdir)))
            self.findings += found
            notes.append(f"External links: {stats.links} address(es), {stats.checked} checked "
                         f"now, {stats.cached} good in the cache, {stats.broken} broken, "
                         f"{stats.unreachable} not reachable.")
        report = Report(self._rows(), self.findings, str(self.ctx.today), self.enabled,
                        notes=notes, language=self.lang, translated=bool(self.sub))
        self.results.save()  # after the table, which may measure reading levels for it
        if self.sub:
            report.title = f"{languages.name(self.lang, 'en')} edition ({self.lang})"
        self.events.emit("carepress-check-report", report)
        for f in sorted(report.findings, key=lambda f: (str(f.path), f.line or 0)):
            if f in self.sphinx_warnings.findings:
                continue  # Sphinx printed it already
            log = logger.error if f.severity == "error" else logger.warning
            log(f.message, location=_location(f), type="carepress", subtype="check")
        out = outputs.report_in(self.outdir, self.sub)
        report.write(out)
        logger.info("\n" + report.table() + "\n" + "\n".join(report.notes) + "\n"
                    + report.summary_line())
        if report.errors:
            self.application.statuscode = 1

    def _rows(self) -> list[Row]:
        from . import readability, review

        brand = brands.of(self.config).primary
        pdfs = outputs.pdf_dir(outputs.build_dir_of(self.outdir))
        warn = self.config.carepress_review_warning_days
        rows = []
        for docname, doc in sorted(self.docs.items()):
            topic = doc.topic
            if topic is None:
                continue
            t = topic.translation
            untranslated = t is not None and not t.exists
            r = None if untranslated else doc.stats.get("reading")
            if r is None and not untranslated:
                r = readability.measure(doc, max(self.config.carepress_longest_sentences, 1),
                                        self.lang)
                self.results.keep_reading(doc.docname, r)  # the next run's table needs it too
            state = review.status(topic, self.ctx.today, warn)
            pages = {fmt: _pages(outputs.pdf_path(pdfs, brand.id, docname, fmt, self.sub))
                     for fmt in formats_in(topic, self.config)}
            values = [v for _, v, *_ in readability.scores(r, self.lang)] if r else [None, None]
            rows.append(Row(docname, doc.path, r.words if r else None, values[0], values[1],
                            pages, f"{topic.next_review}" + (f" ({state})" if state else ""),
                            r.longest[:self.config.carepress_longest_sentences] if r else [],
                            translation=topic.translation))
        return rows


def _leave_out_english(doctree) -> None:
    """An edition in another language is checked on its own words: a paragraph still in
    English (untranslated, or changed since) is emptied, so the language's dictionary and
    reading formulas never judge English (its translation finding names it)."""
    for node, _message, translated in compat.translation_states(doctree):
        if not translated and isinstance(node, nodes.Element):
            node[:] = []
    for title in doctree.findall(lambda n: isinstance(n, nodes.title) and n.get(ENGLISH_TITLE)):
        title[:] = []


def _translation_findings(doc, lang: str):
    """An edition in another language: each message not translated, or changed in
    English since (with the English file and line), and its review."""
    t = doc.topic.translation if doc.topic is not None else None
    if t is None:
        return
    name = languages.name(lang, "en")
    if t.problem:
        return  # reported as an error when it was read
    if not t.exists:
        yield Finding("translation", "warning", doc.path, None,
                      f"translation: no {name} catalogue yet ({t.catalogue.name}); this edition "
                      "is not printed. Run `make translations` and translate it.", doc.docname)
        return
    for stale in t.stale:
        text = " ".join(stale.text.split())
        text = text if len(text) <= 70 else text[:67] + "..."
        yield Finding("translation", "warning", doc.path, stale.line,
                      f"translation: this paragraph is not translated into {name}, or changed in "
                      f"English since it was (\"{text}\"); the {name} edition is not printed "
                      "until it is. Run `make translations`, then translate or confirm it in "
                      f"{t.catalogue.name}.", doc.docname)
    if not (t.reviewer and t.reviewed):
        yield Finding("translation", "warning", t.catalogue, None,
                      f"translation: the {name} translation has not been reviewed yet "
                      "(X-Translation-Reviewed in the catalogue's header is empty).", doc.docname)
    elif t.source_version != doc.topic.version:
        yield Finding("translation", "warning", t.catalogue, None,
                      f"translation: the {name} review was of English version "
                      f"{t.source_version or '?'}, the topic is now {doc.topic.version}; "
                      "have it reviewed again.", doc.docname)


def _location(f: Finding):
    if f.docname:
        return (f.docname, f.line)
    return f"{f.path}:{f.line or ''}" if f.path else None


def _pages(pdf: Path) -> int | None:
    if not pdf.is_file():
        return None
    import pikepdf
    try:
        with pikepdf.open(pdf) as doc:
            return len(doc.pages)
    except Exception:  # a PDF being rewritten or damaged: show no count rather than fail
        return None
