"""The brochures served beside the site's pages: every PDF a topic page links to is copied
into ``<site>/pdf/<brand>/`` when the site build ends (after any brochures the run was
still printing are finished: pipeline.py). Each language's site serves its own
language's PDFs under its own root; a PDF the site served that is no longer printed (an
edition withdrawn as out of date) leaves the site too."""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.util import logging

from .. import atomic, languages, outputs
from ..brochure.layouts import formats_in
from ..sources import brand as brands
from ..sources.topic import topics
from . import HTML_BUILDERS

logger = logging.getLogger(__name__)


def copy_pdfs(app, exception) -> None:
    if exception or app.builder.name not in HTML_BUILDERS:
        return
    brand = brands.of(app.config).primary
    lang = languages.subfolder(app.config)
    pdfs = outputs.pdf_folder(outputs.pdf_dir(outputs.build_dir_of(app.outdir, lang)),
                              brand.id, lang)
    site = outputs.site_pdf_folder(app.outdir, brand.id)
    printed, serving = _listing(pdfs), _listing(site)
    missing, served = [], set()
    for docname, topic in sorted(topics(app.env).items()):
        if topic.translation is not None and not topic.translation.up_to_date:
            continue  # an edition not printed: the page says so (topic_page.py)
        for fmt in formats_in(topic, app.config):
            name = outputs.pdf_name(docname, fmt)
            source = printed.get(name)
            if source is None:
                missing.append(str(pdfs / name))
                continue
            served.add(name)
            old = serving.get(name)
            if old is None or old.inode() != source.inode():
                _replace(Path(source.path), site / name)
    for name, old in serving.items():
        if name not in served and name.endswith(".pdf"):
            os.unlink(old.path)  # withdrawn; in a staged site a link to the live file, never it
    if missing:
        logger.warning(f"{len(missing)} PDF(s) linked from the site are not built yet "
                       f"(first: {missing[0]}); run `make` to print them.",
                       type="carepress", subtype="pdf")


def _listing(folder: Path) -> dict:
    try:
        return {e.name: e for e in os.scandir(folder) if e.is_file()}
    except OSError:
        return {}


def _replace(source: Path, target: Path) -> None:
    """Put a PDF into the site by renaming a new link (else a copy) over the old one,
    never writing into it: the old one may be shared with the live site (staging.py).
    PDFs are only ever replaced, never written into, so the site may share them."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        os.link(source, tmp)
    except OSError:
        atomic.copy(source, target)
        return
    os.replace(tmp, target)
