"""The ``brochure`` builder: one PDF per topic, format and brand.

Doctrees are read once; each topic is written as print HTML for every brand and format
it needs, and each brochure is handed to the printer (printer.py) as soon as its print
HTML exists. A brochure is printed again only when its inputs changed.

It is a plain Sphinx builder: ``sphinx-build -b brochure`` waits for its own printer at
the end of the build; ``carepress build`` gives it the run's printer (:meth:`print_with`)
and waits itself (pipeline.py).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from .. import atomic, compat, languages, outputs
from ..config import points
from ..errors import report, stops_the_build
from ..isolation import write_each
from ..sources import addresses, brand as brands
from ..sources.guard import blocked
from ..sources.topic import topics
from ..digests import Digests
from . import bilingual, fallback, keys, layouts, qr
from .prepare import for_print
from .printer import Printer, clear_scratch
from .worker import render
from .worker.impose import Sheet

logger = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parent.parent
TRANSLATION_EXTRA_PAGES = 1  # beyond page_budget, for a handout in another language


class BrochureBuilder(StandaloneHTMLBuilder):
    name = "brochure"
    format = "html"  # sphinx-design and friends write HTML for us
    epilog = "The brochures are in %(outdir)s."
    allow_parallel = False  # jobs go to the printer's own worker processes
    search = False
    copysource = False
    supported_image_types = ["image/svg+xml", "image/png", "image/jpeg", "image/gif"]

    def __init__(self, app, env) -> None:
        super().__init__(app, env)
        self.application = app  # Builder.app is deprecated in Sphinx 9

    def get_theme_config(self):
        return "basic", {}  # the web theme is never loaded for print

    def init(self) -> None:
        super().init()
        # Folders the fetcher may read fonts from; a missing fallback font (a Debian
        # package) stops the build here, with the package's name.
        self.font_dirs = stops_the_build(fallback.font_dirs)()
        self.brands = brands.of(self.config).all
        self.lang = languages.current(self.config)
        self.sub = languages.subfolder(self.config)  # "" in the default language
        self.printer = Printer(self.config)
        self.waits_for_printer = True
        self.shard: set | None = None  # this machine's brochures, with carepress_shard
        self.warned_no_baseurl = False
        build = outputs.build_dir_of(Path(self.outdir))
        self.digests = Digests.at(outputs.digests_path(build))
        self.cache = keys.cache_folder(self.config, build)
        self.shared: dict[tuple[str, str], str] = {}  # (brand, format) -> keys.shared_stamp
        self.folders: dict[str, tuple[str, str]] = {}  # brand -> its print and PDF folders
        if not self.sub:  # the first build of a run: another language's may be printing
            clear_scratch(Path(self.outdir))

    def print_with(self, printer: Printer) -> None:
        """Hand the brochures to ``printer``; whoever gave it waits for it."""
        self.printer, self.waits_for_printer = printer, False

    # -- what to write ------------------------------------------------------------
    def _pdf(self, brand: str, docname: str, fmt: str) -> Path:
        return outputs.pdf_path(self.outdir, brand, docname, fmt, self.sub)

    @staticmethod
    def _out_of_date(topic) -> bool:
        return topic.translation is not None and not topic.translation.up_to_date

    def _withdraw(self, docname: str, topic) -> None:
        """An edition in another language that is not up to date with the English is not
        printed; one printed before is withdrawn, unless its catalogue is broken (that
        error is reported; the last good PDFs are kept). Said on every build."""
        t = topic.translation
        if t.problem:
            self.env.reread_always.add(docname)  # report it again until it is fixed
            return
        withdrawn = []
        self.printer.not_printed += len(self.brands) * len(layouts.formats_in(topic, self.config))
        for brand in self.brands:
            for fmt in layouts.FORMATS:
                pdf = self._pdf(brand, docname, fmt)
                html = outputs.print_html_path(self.outdir, brand, docname, fmt, self.sub)
                html.unlink(missing_ok=True)
                outputs.print_key_path(html).unlink(missing_ok=True)
                if pdf.exists():
                    pdf.unlink()
                    withdrawn.append(pdf)
        what = f"{len(withdrawn)} PDF(s) printed from an older text withdrawn" if withdrawn \
            else "nothing printed"
        self.printer.say(f"{docname} ({languages.name(self.lang, 'en')}): out of date, not "
                         f"printed ({what}): {t.why_not(Path(self.env.doc2path(docname)))}.")

    def get_outdated_docs(self):
        """Topics whose print HTML must be written again: a brochure of it has no PDF, or
        no key, or was written from other brand files, layout, settings or print code, or
        from an older read of the topic (keys.py: stamps). Nothing else is read: a build
        where nothing changed costs a small file and a stat per brochure."""
        for docname, topic in topics(self.env).items():
            if self._out_of_date(topic):
                continue  # (as last read: finish() looks again, after this build's read)
            if self._in_my_shard(docname) and any(
                    self._must_write(docname, brand, fmt)
                    for brand in self.brands for fmt in layouts.formats_in(topic, self.config)):
                self.printer.start()  # something will print: let the workers start up meanwhile
                yield docname

    def _must_write(self, docname: str, brand: str, fmt: str) -> bool:
        if brand not in self.folders:  # folder names as text: this runs for every brochure
            self.folders[brand] = (str(outputs.print_folder(self.outdir, brand, self.sub)),
                                   str(outputs.pdf_folder(self.outdir, brand, self.sub)))
        prints, pdfs = self.folders[brand]
        was = keys.recorded_in(f"{prints}/{outputs.print_key_name(docname, fmt)}")
        return was.get("stamp") != self._stamp(docname, brand, fmt) \
            or not os.path.isfile(f"{pdfs}/{outputs.pdf_name(docname, fmt)}")

    def _stamp(self, docname: str, brand: str, fmt: str) -> str:
        if (brand, fmt) not in self.shared:
            config = self.config
            settings = (fmt, self.lang, config.html_baseurl, config.carepress_bleed,
                        config.carepress_crop_marks, config.carepress_allowed_urls,
                        config.carepress_data_uri_max_kb, config.carepress_language_tags)
            self.shared[brand, fmt] = keys.shared_stamp(self.brands[brand].files, settings,
                                                        self.digests)
        return keys.stamp(self.shared[brand, fmt], self.env.all_docs.get(docname))

    def prepare_writing(self, docnames) -> None:
        self.docsettings = compat.html_writer_settings(self.env)
        self.docsettings.compact_lists = bool(self.config.html_compact_lists)

    def copy_assets(self) -> None:
        pass  # a brochure carries its own styles; nothing to copy

    def write_doc_serialized(self, docname, doctree) -> None:
        pass  # images stay where they are; the print HTML points at the sources

    # -- writing --------------------------------------------------------------------
    def _missing_images(self, docname, doctree) -> bool:
        missing = False
        for image in doctree.findall(nodes.image):
            uri = image["uri"]  # web and data: images were checked when the topic was read
            if "://" not in uri and not uri.startswith("data:") \
                    and not Path(self.srcdir, uri).is_file():
                report(f"image '{uri}' was not found. Check the file name and that the image "
                       "is saved in docs/source/ (for example docs/source/images/). The "
                       "previous PDF is kept.", location=image)
                missing = True
        return missing

    def write_documents(self, docnames) -> None:
        # Only topics print: the index page and its toctree of every topic are not resolved.
        # A topic that fails to resolve or to be prepared fails alone (isolation.py).
        mine = [d for d in topics(self.env) if d in docnames and self._in_my_shard(d)]
        write_each(self, sorted(mine), "preparing this topic for print")

    def write_doc(self, docname, doctree) -> None:
        topic = topics(self.env).get(docname)
        if topic is None or docname in blocked(self.env) \
                or (topic.translation is not None and not topic.translation.up_to_date) \
                or self._missing_images(docname, doctree):
            if topic is not None:  # the error is reported; the previous PDF is kept
                self.printer.not_printed += len(self.brands) * len(
                    layouts.formats_in(topic, self.config))
            return
        doctree.settings = self.docsettings
        self.current_docname = docname
        self.secnumbers = self.env.toc_secnumbers.get(docname, {})
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        self.imgpath = ""
        base_url = Path(self.srcdir).resolve().as_uri() + "/"
        url = self._page_url(docname)
        # Where each image's address sits in the topic, to name the line of a refusal.
        lines = tuple((addresses.key(urljoin(base_url, image["uri"])),
                       get_source_line(image)[1] or 0) for image in doctree.findall(nodes.image))
        formats = layouts.formats_in(topic, self.config)
        pair = bilingual.Pair.read(self, docname, doctree, topic, url) \
            if layouts.BILINGUAL in formats else None
        tag = languages.tag(self.config, self.lang)
        jobs = []  # every brochure of the topic prepared before any prints
        for brand in self.brands.values():
            code = qr.make(url, brand.colors["text"]) if url else None
            for fmt in formats:
                job = self._job(docname, topic, brand, fmt, lines)
                options = dict(fmt=fmt, topic=topic, brand=brand, lang=self.lang, tag=tag,
                               base_url=base_url, qr=code, settings=job.settings,
                               bleed=job.sheet.bleed if job.sheet else 0)
                if fmt == layouts.BILINGUAL:
                    if pair is None or not pair.ok:
                        continue  # the error is reported; the previous PDF is kept
                    html = pair.print_html(brand, options)
                else:
                    tree = doctree.deepcopy()
                    for_print(tree, fmt, brand, url)
                    html = layouts.print_html(body=self.html_of(tree), **options)
                jobs.append((job, brand, html))
        for job, brand, html in jobs:
            self._add_job(job, brand, html)

    def html_of(self, tree, node=None) -> str:
        """The HTML of a prepared doctree, or of one of its nodes."""
        visitor = self.create_translator(tree, self)
        if node is None:
            tree.walkabout(visitor)
            return "".join(visitor.fragment)
        node.walkabout(visitor)
        return "".join(visitor.body)

    def _page_url(self, docname: str) -> str:
        """The topic's page on the hosted site, in this edition's language (its QR code and
        its links to the site); "" without html_baseurl."""
        if self.config.html_baseurl:
            page = f"{self.sub}/{self.get_target_uri(docname)}" if self.sub \
                else self.get_target_uri(docname)
            return qr.page_url(self.config.html_baseurl, page)
        if not self.warned_no_baseurl:
            self.warned_no_baseurl = True
            logger.warning("html_baseurl is not set in conf.py, so the brochures carry no QR "
                           "code to their web page. Set it to the hosted site's address, for "
                           'example html_baseurl = "https://example.org/patient-education/".',
                           type="carepress", subtype="qr")
        return ""

    def _job(self, docname, topic, brand, fmt, lines) -> render.Job:
        sheet = None
        if fmt in layouts.FOLDED:
            sheet = Sheet(brand.paper, bleed=points(self.config.carepress_bleed),
                          crop_marks=self.config.carepress_crop_marks)
        print_html = outputs.print_html_path(self.outdir, brand.id, docname, fmt, self.sub)
        # Sphinx saves a topic's data: images under the doctree folder.
        roots = {Path(self.srcdir), brand.folder, PACKAGE_DIR, print_html.parent.parent,
                 Path(self.doctreedir, "images")}
        roots |= {face.path.parent for face in brand.font_faces} | self.font_dirs
        return render.Job(docname, brand.id, fmt, html=print_html,
                          pdf=self._pdf(brand.id, docname, fmt),
                          scratch=outputs.scratch_dir(self.outdir),
                          roots=tuple(sorted(roots)), sheet=sheet, lines=lines,
                          allowed_urls=tuple(self.config.carepress_allowed_urls),
                          data_max_kb=self.config.carepress_data_uri_max_kb,
                          page_budget=self._page_budget(topic, fmt),
                          lang=self.sub,
                          column_langs=bilingual.column_tags(self.config)
                          if fmt == layouts.BILINGUAL else (),
                          stamp=self._stamp(docname, brand.id, fmt), cache=self.cache)

    def _page_budget(self, topic, fmt: str) -> int:
        """The handout's page budget; a translation may take one page more (Spanish runs
        10-20% longer than English), never the trifold, whose panels are fixed."""
        if fmt != "handout" or not topic.page_budget:
            return 0
        return topic.page_budget + (0 if self.sub == "" else TRANSLATION_EXTRA_PAGES)

    def _add_job(self, job: render.Job, brand, html: str) -> None:
        if not job.html.exists() or job.html.read_text(encoding="utf-8") != html:
            atomic.write_text(job.html, html)
        job = dataclasses.replace(job, key=keys.key(job, html, self.digests))
        if keys.reuse(job):  # the PDF of these very inputs is in place, or in the cache
            self.printer.reused += 1
            source = Path(self.env.doc2path(job.docname))
            if job.pdf.stat().st_mtime_ns < source.stat().st_mtime_ns:
                os.utime(job.pdf)  # saved again unchanged: never older than its topic
            return
        keys.forget(job)
        self.printer.submit(job)  # printing starts now, while Sphinx writes the next topics

    def _in_my_shard(self, docname: str) -> bool:
        """With ``carepress_shard = "i/n"``: every n-th of the project's topics (each with
        all its brochures), in a fixed order, so n machines write and print disjoint
        slices that add up to all. "0/n" reads the topics and prints nothing: the
        doctrees a CI matrix's shards start from (README, Building a large library)."""
        if not self.config.carepress_shard:
            return True
        if self.shard is None:
            i, n = map(int, self.config.carepress_shard.split("/"))
            self.shard = set(sorted(topics(self.env))[i - 1::n]) if i else set()
        return docname in self.shard

    # -- the end ------------------------------------------------------------------
    def finish(self) -> None:
        self.digests.save()
        for docname, topic in sorted(topics(self.env).items()):
            if self._out_of_date(topic):
                self._withdraw(docname, topic)
        if not self.waits_for_printer:
            return  # the run that gave the printer waits for it
        if not self.printer.jobs:
            if not self.application.statuscode:
                logger.info("brochures are up to date")
            return
        self.printer.announce()
        self.printer.finish()


def close_printer(app, exception) -> None:
    """A builder's own printer stops with its build, also one that stopped half-way."""
    builder = app.builder
    if isinstance(builder, BrochureBuilder) and builder.waits_for_printer:
        builder.printer.close()
