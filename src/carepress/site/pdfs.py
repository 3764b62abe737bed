"""The brochures served beside the site's pages: every PDF a topic page links to is copied
into ``<site>/pdf/<brand>/`` when the site build ends (after any brochures the run was
still printing are finished: pipeline.py). Each language's site serves its own
language's PDFs under its own root; a PDF the site served that is no longer printed (an
edition withdrawn as out of date) leaves the site too."""

from __future__ import annotations

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
    pdfs = outputs.pdf_dir(outputs.build_dir_of(app.outdir, lang))
    missing, served = [], set()
    for docname, topic in sorted(topics(app.env).items()):
        if topic.translation is not None and not topic.translation.up_to_date:
            continue  # an edition not printed: the page says so (topic_page.py)
        for fmt in formats_in(topic, app.config):
            source = outputs.pdf_path(pdfs, brand.id, docname, fmt, lang)
            if not source.exists():
                missing.append(str(source))
                continue
            target = Path(app.outdir, outputs.site_pdf_href(brand.id, docname, fmt))
            served.add(target)
            _replace(source, target)
    for old in outputs.site_pdfs(app.outdir):
        if old not in served and old.parent.name == brand.id:
            old.unlink()  # withdrawn; in a staged site a link to the live file, never it
    if missing:
        logger.warning(f"{len(missing)} PDF(s) linked from the site are not built yet "
                       f"(first: {missing[0]}); run `make` to print them.",
                       type="carepress", subtype="pdf")


def _replace(source: Path, target: Path) -> None:
    """Copy a PDF into the site by renaming a new file over the old one, never writing
    into it: the old one may be shared with the live site (staging.py)."""
    if target.exists():
        old, new = target.stat(), source.stat()
        if (old.st_size, old.st_mtime_ns) == (new.st_size, new.st_mtime_ns):
            return  # unchanged since the last build
    atomic.copy(source, target)
