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
import zlib
from pathlib import Path
from typing import TYPE_CHECKING
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
from . import bilingual, fallback, keys, layouts, print_shop, qr
from .packets import PACKET, print_packets
from .prepare import for_print
from .worker import render
from .worker.impose import Sheet

if TYPE_CHECKING:
    from .printer import Printer

# The printer (and with it pebble and multiprocessing) is imported when this builder
# starts, not here: setup() imports this module in every build, `make check` and the
# web site's included, to register the builder.

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
        from .printer import Printer, clear_scratch

        super().init()
        # Folders the fetcher may read fonts from; a missing fallback font (a Debian
        # package) stops the build here, with the package's name.
        self.font_dirs = stops_the_build(fallback.font_dirs)()
        self.brands = brands.of(self.config).all
        self.lang = languages.current(self.config)
        self.sub = languages.subfolder(self.config)  # "" in the default language
        self.tag = languages.tag(self.config, self.lang)
        self.printer = Printer(self.config)
        self.waits_for_printer = True
        layouts.keep_compiled(Path(self.doctreedir, "templates"))
        self.shard: set | None = None  # this machine's brochures, with carepress_shard
        self.warned_no_site: set[str] = set()  # brands told they print no QR code
        build = outputs.build_dir_of(Path(self.outdir))
        self.digests = Digests.at(outputs.digests_path(build))
        self.cache = keys.cache_folder(self.config, build)
        # (brand, format, variant) -> keys.shared_stamp
        self.shared: dict[tuple[str, str, str], str] = {}
        self.folders: dict[tuple[str, str], tuple[str, str]] = {}  # print and PDF folders
        self.stamps: dict[str, keys.Stamps] = {}  # print folder -> its key files' stamps
        if not self.sub:  # the first build of a run: another language's may be printing
            clear_scratch(Path(self.outdir))

    def print_with(self, printer: Printer) -> None:
        """Hand the brochures to ``printer``; whoever gave it waits for it."""
        self.printer, self.waits_for_printer = printer, False

    # -- what to write ------------------------------------------------------------
    def _pdf(self, brand: str, docname: str, fmt: str, variant: str = "") -> Path:
        """A brochure; a packet (``docname`` its name) or a print-shop edition by ``variant``."""
        if variant == PACKET:
            return outputs.packet_pdf_path(self.outdir, brand, docname, fmt)
        if variant == render.PRINT_SHOP:
            return outputs.print_shop_pdf_path(self.outdir, brand, docname, fmt)
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
                    self._must_write(docname, brand, fmt, variant)
                    for brand in self.brands for fmt, variant in self._editions(topic)):
                self.printer.start()  # something will print: let the workers start up meanwhile
                yield docname
        for stamps in self.stamps.values():
            stamps.save()

    def _editions(self, topic) -> list[tuple[str, str]]:
        """(format, variant) of every PDF a topic prints for each brand."""
        formats = layouts.formats_in(topic, self.config)
        shop = [(fmt, render.PRINT_SHOP) for fmt in formats
                if fmt in print_shop.FORMATS] if print_shop.wanted(self) else []
        return [(fmt, "") for fmt in formats] + shop

    def _must_write(self, docname: str, brand: str, fmt: str, variant: str = "") -> bool:
        if (brand, variant) not in self.folders:  # names as text: this runs for every brochure
            pdfs = outputs.pdf_folder(self.outdir, brand, self.sub)
            if variant:
                pdfs = self._pdf(brand, "x", "x", variant).parent
            self.folders[brand, variant] = (
                str(outputs.print_html_of(self.outdir, Path(pdfs, "x.pdf")).parent), str(pdfs))
        prints, pdfs = self.folders[brand, variant]
        if prints not in self.stamps:
            self.stamps[prints] = keys.Stamps(prints)
        was = self.stamps[prints].of(f"{prints}/{outputs.print_key_name(docname, fmt)}")
        return was != self._stamp(docname, brand, fmt, variant) \
            or not os.path.isfile(f"{pdfs}/{outputs.pdf_name(docname, fmt)}")

    def _stamp(self, docname: str, brand: str, fmt: str, variant: str = "") -> str:
        if (brand, fmt, variant) not in self.shared:
            config = self.config
            settings = (fmt, variant, self.lang, config.html_baseurl, config.carepress_bleed,
                        config.carepress_crop_marks, config.carepress_allowed_urls,
                        config.carepress_data_uri_max_kb, config.carepress_language_tags,
                        config.carepress_print_shop_bleed if variant else None)
            self.shared[brand, fmt, variant] = keys.shared_stamp(
                self.brands[brand].files, settings, self.digests)
        return keys.stamp(self.shared[brand, fmt, variant], self.env.all_docs.get(docname))

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
        # Where each image's address sits in the topic, to name the line of a refusal.
        lines = tuple((addresses.key(urljoin(base_url, image["uri"])),
                       get_source_line(image)[1] or 0) for image in doctree.findall(nodes.image))
        formats = layouts.formats_in(topic, self.config)
        pair = bilingual.Pair.read(self, docname, doctree, topic) \
            if layouts.BILINGUAL in formats else None
        tag = self.tag
        jobs = []  # every brochure of the topic prepared before any prints
        for brand in self.brands.values():
            url = self.page_url(docname, brand)
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
                    body = self.html_of(tree)
                    html = layouts.print_html(body=body, **options)
                    if fmt in print_shop.FORMATS and print_shop.wanted(self):
                        jobs.append(self._print_shop_job(docname, topic, brand, fmt, lines,
                                                         options, body))
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

    def site_of(self, brand) -> str:
        """The address of ``brand``'s own site in the language being built; "" for none."""
        return brand.site and brand.site + (f"{self.sub}/" if self.sub else "")

    def page_url(self, docname: str, brand) -> str:
        """The topic's page on the brand's own site, for its QR code; "" when the brand has
        no site address (said once per brand)."""
        if brand.site:
            return qr.page_url(self.site_of(brand), self.get_target_uri(docname))
        if brand.id not in self.warned_no_site:
            self.warned_no_site.add(brand.id)
            toml = brand.folder / "brand.toml"
            where = ("html_baseurl is not set in conf.py and " if brand is brands.of(
                self.config).primary else "") + f"{toml} gives no site"
            logger.warning(f"{where}, so {brand.name}'s brochures carry no QR code to their web "
                           "page. Give the brand's hosted site in its brand.toml, for example "
                           'site = "https://example.org/patient-education/".',
                           type="carepress", subtype="qr")
        return ""

    def _print_shop_job(self, docname, topic, brand, fmt, lines, options, body) -> tuple:
        """The print-shop edition of a handout or trifold (print_shop.py), beside it:
        (job, brand, print HTML)."""
        job = self._job(docname, topic, brand, fmt, lines, variant=render.PRINT_SHOP)
        html = layouts.print_html(body=body, **dict(
            options, settings=job.settings, bleed=job.sheet.bleed if job.sheet else 0,
            extra_css=print_shop.css(self.config, fmt)))
        return job, brand, html

    def _job(self, docname, topic, brand, fmt, lines, variant: str = "") -> render.Job:
        """A brochure's job; ``variant`` a packet's (``docname`` its name, ``topic`` None)
        or a print-shop edition's."""
        sheet = None
        if fmt in layouts.FOLDED and variant == render.PRINT_SHOP:
            sheet = Sheet(brand.paper, bleed=print_shop.bleed(self.config), crop_marks=True)
        elif fmt in layouts.FOLDED:
            sheet = Sheet(brand.paper, bleed=points(self.config.carepress_bleed),
                          crop_marks=self.config.carepress_crop_marks)
        pdf = self._pdf(brand.id, docname, fmt, variant)
        print_html = outputs.print_html_of(self.outdir, pdf)
        # Sphinx saves a topic's data: images under the doctree folder.
        roots = {Path(self.srcdir), brand.folder, PACKAGE_DIR, print_html.parent.parent,
                 Path(self.doctreedir, "images")}
        roots |= {face.path.parent for face in brand.font_faces} | self.font_dirs
        return render.Job(docname, brand.id, fmt, html=print_html, pdf=pdf,
                          scratch=outputs.scratch_dir(self.outdir),
                          roots=tuple(sorted(roots)), sheet=sheet, lines=lines,
                          allowed_urls=tuple(self.config.carepress_allowed_urls),
                          data_max_kb=self.config.carepress_data_uri_max_kb,
                          page_budget=self._page_budget(topic, fmt) if topic else 0,
                          lang=self.sub,
                          column_langs=bilingual.column_tags(self.config)
                          if fmt == layouts.BILINGUAL else (), variant=variant,
                          bleed=print_shop.bleed(self.config)
                          if variant == render.PRINT_SHOP else 0.0,
                          stamp=self._stamp(docname, brand.id, fmt, variant), cache=self.cache)

    def _page_budget(self, topic, fmt: str) -> int:
        """The handout's page budget; a translation may take one page more (Spanish runs
        10-20% longer than English), never the trifold, whose panels are fixed."""
        if fmt != "handout" or not topic.page_budget:
            return 0
        return topic.page_budget + (0 if self.sub == "" else TRANSLATION_EXTRA_PAGES)

    def _add_job(self, job: render.Job, brand, html: str) -> None:
        if job.variant == PACKET and not self._packet_in_my_shard(job):
            return
        if not job.html.exists() or job.html.read_text(encoding="utf-8") != html:
            atomic.write_text(job.html, html)
        job = dataclasses.replace(job, key=keys.key(job, html, self.digests))
        if keys.reuse(job):  # the PDF of these very inputs is in place, or in the cache
            self.printer.reused += 1
            if job.variant == PACKET:
                return
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

    def _packet_in_my_shard(self, job: render.Job) -> bool:
        """Packets are dealt out by name: disjoint, all printed; none by "0/n"."""
        if not self.config.carepress_shard:
            return True
        i, n = map(int, self.config.carepress_shard.split("/"))
        return zlib.crc32(f"{job.docname}/{job.brand}/{job.fmt}".encode()) % n == i - 1

    # -- the end ------------------------------------------------------------------
    def finish(self) -> None:
        for docname, topic in sorted(topics(self.env).items()):
            if self._out_of_date(topic):
                self._withdraw(docname, topic)
        print_packets(self)
        self.digests.save()
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
