"""The ``brochure`` builder: one PDF per topic, format and brand.

Doctrees are read once; each topic is written as print HTML for every brand and
format it needs, and the PDFs are rendered together at the end by worker
processes. A brochure is rendered again only when its inputs changed.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.builders.html import StandaloneHTMLBuilder, _get_settings
from sphinx.util import logging
from sphinx.writers.html import HTMLWriter

from .. import addresses, atomic, batch, fallback, layouts, qr, render
from ..config import points
from ..directives import fill_clinic_fields
from ..errors import report
from ..guard import blocked
from ..impose import Sheet
from ..per_format import keep_for
from ..printing import prepare_for_print
from ..topic import topics

logger = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def pdf_path(outdir: Path, brand_id: str, docname: str, fmt: str) -> Path:
    """``<outdir>/<brand>/<topic>-<format>.pdf``: a contract other tools rely on."""
    return Path(outdir, brand_id, f"{docname}-{fmt}.pdf")


class BrochureBuilder(StandaloneHTMLBuilder):
    name = "brochure"
    format = "html"  # sphinx-design and friends write HTML for us
    epilog = "The brochures are in %(outdir)s."
    allow_parallel = False  # jobs are collected here and rendered by our own workers
    search = False
    copysource = False
    supported_image_types = ["image/svg+xml", "image/png", "image/jpeg", "image/gif"]

    def get_theme_config(self):
        return "basic", {}  # the web theme is never loaded for print

    def init(self) -> None:
        super().init()
        self.jobs: list[tuple[render.Job, object]] = []  # each job with its future
        self.workers: render.Workers | None = None
        self.printing_since = 0.0
        self.shard: set | None = None  # this machine's brochures, with carepress_shard
        self.print_dir = Path(self.outdir, ".print")
        self.warned_no_baseurl = False
        # What a killed build left unfinished (this build holds the project's lock).
        shutil.rmtree(Path(self.outdir, render.SCRATCH), ignore_errors=True)

    # -- what to write ------------------------------------------------------------
    def _inputs_mtime(self, docname: str, brands, formats) -> float:
        """Newest of the files a brochure is made from: topic, images, brand, layout."""
        files = [Path(self.env.doc2path(docname))]
        files += [Path(self.srcdir, d) for d in self.env.dependencies.get(docname, ())]
        for brand in brands:
            files += brand.files
        for fmt in formats:
            files += layouts.stylesheets(fmt)
        return max((f.stat().st_mtime for f in files if f.exists()), default=0)

    def _assets_mtime(self, docname: str, brand) -> float:
        files = [Path(self.srcdir, d) for d in self.env.dependencies.get(docname, ())]
        files += [brand.logo] + [face.path for face in brand.font_faces]
        return max((f.stat().st_mtime for f in files if f.exists()), default=0)

    def get_outdated_docs(self):
        for docname, topic in topics(self.env).items():
            targets = [pdf_path(self.outdir, b, docname, f)
                       for b in self._app.carepress_brands for f in topic.formats]
            if not all(t.exists() for t in targets) or self._inputs_mtime(
                    docname, self._app.carepress_brands.values(), topic.formats) > min(
                    t.stat().st_mtime for t in targets):
                self._workers()  # something will print: let the workers start up meanwhile
                yield docname

    def _workers(self) -> render.Workers:
        if self.workers is None:
            self.workers = render.Workers(
                self.config.carepress_jobs or os.cpu_count() or 1,
                render.Limits(self.config.carepress_render_timeout,
                              self.config.carepress_render_memory_mb))
        return self.workers

    def close_workers(self) -> None:
        if self.workers is not None:
            self.workers.close()
            self.workers = None

    def prepare_writing(self, docnames) -> None:
        self.docsettings = _get_settings(HTMLWriter, defaults=self.env.settings,
                                         read_config_files=True)
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
                report(self._app, f"image '{uri}' was not found. Check the file name and that "
                       "the image is saved in docs/source/ (for example docs/source/images/). "
                       "The previous PDF is kept.", location=image)
                missing = True
        return missing

    def write_documents(self, docnames) -> None:
        # Only topics print. Sphinx would otherwise resolve the index page and its
        # toctree of every topic too: 0.35 s of each rebuild at 500 topics.
        super().write_documents({d for d in docnames if d in topics(self.env)})

    def write_doc(self, docname, doctree) -> None:
        topic = topics(self.env).get(docname)
        if topic is None or docname in blocked(self.env) \
                or self._missing_images(docname, doctree):
            return  # the error is reported; the previous PDF is kept
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
        for brand in self._app.carepress_brands.values():
            code = qr.make(url, brand.colors["text"]) if url else None
            for fmt in topic.formats:
                tree = doctree.deepcopy()
                keep_for(tree, fmt)
                fill_clinic_fields(tree, brand)
                prepare_for_print(tree, self.config.html_baseurl)
                visitor = self.create_translator(tree, self)
                tree.walkabout(visitor)
                job = self._job(docname, topic, brand, fmt, lines)
                html = layouts.print_html(fmt=fmt, topic=topic, brand=brand,
                                          body="".join(visitor.fragment),
                                          lang=self.config.language or "en", base_url=base_url,
                                          qr=code, bleed=job.sheet.bleed if job.sheet else 0,
                                          settings=job.settings)
                self._add_job(job, brand, html)

    def _page_url(self, docname: str) -> str:
        """The topic's page on the hosted site, for the QR code; "" without html_baseurl."""
        if self.config.html_baseurl:
            return qr.page_url(self.config.html_baseurl, self.get_target_uri(docname))
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
        # Sphinx saves a topic's data: images under the doctree folder.
        roots = {Path(self.srcdir), brand.folder, PACKAGE_DIR, self.print_dir,
                 Path(self.doctreedir, "images")}
        roots |= {face.path.parent for face in brand.font_faces} | {fallback.FONT_DIR}
        return render.Job(docname, brand.id, fmt,
                          html=Path(self.print_dir, brand.id, f"{docname}-{fmt}.html"),
                          pdf=pdf_path(self.outdir, brand.id, docname, fmt),
                          roots=tuple(sorted(roots)), sheet=sheet, lines=lines,
                          allowed_urls=tuple(self.config.carepress_allowed_urls),
                          data_max_kb=self.config.carepress_data_uri_max_kb,
                          page_budget=topic.page_budget if fmt == "handout" else 0)

    def _add_job(self, job: render.Job, brand, html: str) -> None:
        html_file, pdf, docname = job.html, job.pdf, job.docname
        changed = not html_file.exists() or html_file.read_text(encoding="utf-8") != html
        if changed:
            atomic.write_text(html_file, html)
        if not changed and pdf.exists() and pdf.stat().st_mtime >= max(
                html_file.stat().st_mtime, self._assets_mtime(docname, brand)):
            # The print HTML holds the text, styles and brand data; images, logo and
            # fonts are the only inputs outside it, so the PDF is still right. (A PDF
            # older than its print HTML was never printed from it: a build died.)
            # Saved-but-unchanged inputs: mark it current, so it is never older than them.
            if pdf.stat().st_mtime < self._inputs_mtime(docname, [brand], [job.fmt]):
                os.utime(pdf)
            return
        if self._in_my_shard(job):
            # Printing starts now, while Sphinx writes the next topics.
            # time.monotonic: the clock the workers time their results by (render.Result)
            self.printing_since = self.printing_since or time.monotonic()
            self.jobs.append((job, self._workers().submit(job)))

    # -- rendering ------------------------------------------------------------------
    def finish(self) -> None:
        if not self.jobs:
            if not self._app.statuscode:
                logger.info("brochures are up to date")
            return
        printing = batch.Batch(self.workers, self.jobs, self.printing_since, self.outdir,
                               self.config.carepress_progress)
        self.jobs, self.workers = [], None  # the batch has them now
        if self.config.carepress_print_in_background and not batch.failing(self._app):
            printing.hand_over(self._app)  # the site build waits for it
        else:
            printing.finish(self._app)

    def _in_my_shard(self, job: render.Job) -> bool:
        """With ``carepress_shard = "i/n"``: every n-th of all the project's brochures,
        counted in a fixed order, so n machines print disjoint slices that add up to all."""
        if not self.config.carepress_shard:
            return True
        if self.shard is None:
            i, n = map(int, self.config.carepress_shard.split("/"))
            every = sorted((d, b, f) for d, topic in topics(self.env).items()
                           for b in self._app.carepress_brands for f in topic.formats)
            self.shard = set(every[i - 1::n])
        return (job.docname, job.brand, job.fmt) in self.shard


def _close_workers(app, exception) -> None:
    if isinstance(app.builder, BrochureBuilder):
        app.builder.close_workers()


def setup_brochure(app) -> None:
    app.add_builder(BrochureBuilder)
    app.connect("build-finished", _close_workers)
