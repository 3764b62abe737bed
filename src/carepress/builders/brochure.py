"""The ``brochure`` builder: one PDF per topic, format and brand.

Doctrees are read once; each topic is written as print HTML for every brand and
format it needs, and the PDFs are rendered together at the end by worker
processes. A brochure is rendered again only when its inputs changed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.builders.html import StandaloneHTMLBuilder, _get_settings
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator  # noqa: F401 - the translator used
from sphinx.writers.html import HTMLWriter

from .. import addresses, fallback, layouts, render
from ..directives import fill_clinic_fields
from ..errors import report
from ..guard import blocked
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
        self.jobs: list[render.Job] = []
        self.print_dir = Path(self.outdir, ".print")
        # What a killed build left unfinished (this build holds the project's lock).
        shutil.rmtree(Path(self.outdir, render.SCRATCH), ignore_errors=True)

    # -- what to write ------------------------------------------------------------
    def _inputs_mtime(self, docname: str) -> float:
        files = [Path(self.env.doc2path(docname))]
        files += [Path(self.srcdir, d) for d in self.env.dependencies.get(docname, ())]
        for brand in self._app.carepress_brands.values():
            files += brand.files
        for fmt in topics(self.env)[docname].formats:
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
            if not all(t.exists() for t in targets):
                yield docname
            elif self._inputs_mtime(docname) > min(t.stat().st_mtime for t in targets):
                yield docname

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
        # Where each image's address sits in the topic, to name the line of a refusal.
        lines = tuple((addresses.key(urljoin(base_url, image["uri"])),
                       get_source_line(image)[1] or 0) for image in doctree.findall(nodes.image))
        for brand in self._app.carepress_brands.values():
            for fmt in topic.formats:
                tree = doctree.deepcopy()
                fill_clinic_fields(tree, brand)
                prepare_for_print(tree, self.config.html_baseurl)
                visitor = self.create_translator(tree, self)
                tree.walkabout(visitor)
                html = layouts.print_html(fmt=fmt, topic=topic, brand=brand,
                                          body="".join(visitor.fragment),
                                          lang=self.config.language or "en", base_url=base_url)
                self._add_job(docname, brand, fmt, html, lines)

    def _add_job(self, docname, brand, fmt, html: str, lines) -> None:
        html_file = Path(self.print_dir, brand.id, f"{docname}-{fmt}.html")
        pdf = pdf_path(self.outdir, brand.id, docname, fmt)
        changed = not html_file.exists() or html_file.read_text(encoding="utf-8") != html
        if changed:
            html_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = html_file.with_name(html_file.name + f".{os.getpid()}.tmp")
            tmp.write_text(html, encoding="utf-8")
            os.replace(tmp, html_file)
        if not changed and pdf.exists() and pdf.stat().st_mtime >= max(
                html_file.stat().st_mtime, self._assets_mtime(docname, brand)):
            # The print HTML holds the text, styles and brand data; images, logo and
            # fonts are the only inputs outside it. Nothing changed: mark it current.
            # (A PDF older than its print HTML was never printed from it: a build died.)
            os.utime(pdf)
            return
        # Sphinx saves a topic's data: images under the doctree folder.
        roots = {Path(self.srcdir), brand.folder, PACKAGE_DIR, self.print_dir,
                 Path(self.doctreedir, "images")}
        roots |= {face.path.parent for face in brand.font_faces} | {fallback.FONT_DIR}
        self.jobs.append(render.Job(
            docname, brand.id, fmt, html_file, pdf, tuple(sorted(roots)),
            tuple(self.config.carepress_allowed_urls), self.config.carepress_data_uri_max_kb,
            lines))

    # -- rendering ------------------------------------------------------------------
    def finish(self) -> None:
        if not self.jobs:
            if not self._app.statuscode:
                logger.info("brochures are up to date")
            return
        jobs = sorted(self.jobs, key=lambda j: (j.docname, j.brand, j.fmt))
        workers = self.config.carepress_jobs or os.cpu_count() or 1
        logger.info(f"printing {len(jobs)} brochure(s) with up to {workers} worker(s)")
        limits = render.Limits(self.config.carepress_render_timeout,
                               self.config.carepress_render_memory_mb)
        results = render.render_all(jobs, workers, limits)
        shutil.rmtree(Path(self.outdir, render.SCRATCH), ignore_errors=True)
        pages = printed = 0
        for r in results:
            if r.error:  # no print HTML: the next build prints it again (and says why not)
                r.job.html.unlink(missing_ok=True)
            where = f"{r.job.docname} ({r.job.brand}, {r.job.fmt})"
            for message in r.warnings:
                logger.warning(f"{where}: {message}", location=r.job.docname,
                               type="carepress", subtype="weasyprint")
            lines = dict(r.job.lines)
            for url, why in r.refused:
                report(self._app, f"could not print {where}: carepress refused to load "
                       f"'{url}': {why}. The previous PDF, if any, is kept.",
                       location=(r.job.docname, lines.get(addresses.key(url))))
            if r.refused:
                continue
            if r.error:
                report(self._app, f"could not print {where}: {r.error}. "
                       "The previous PDF, if any, is kept.", location=r.job.docname)
                continue
            pages, printed = pages + r.pages, printed + 1
            logger.verbose(f"{r.job.pdf}: {r.pages} page(s) in {r.seconds:.2f} s")
        logger.info(f"printed {printed} brochure(s), {pages} page(s)")
        self.jobs = []


def setup_brochure(app) -> None:
    app.add_builder(BrochureBuilder)
