"""The brochures served beside the site's pages: every PDF a topic page links to is copied
into ``<site>/pdf/<brand>/`` when the site build ends (after any brochures the run was
still printing are finished: pipeline.py)."""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from .. import atomic, outputs
from ..sources import brand as brands
from ..sources.topic import topics
from . import HTML_BUILDERS

logger = logging.getLogger(__name__)


def copy_pdfs(app, exception) -> None:
    if exception or app.builder.name not in HTML_BUILDERS:
        return
    brand = brands.of(app.config).primary
    pdfs = outputs.pdf_dir(outputs.build_dir_of(app.outdir))
    missing = []
    for docname, topic in sorted(topics(app.env).items()):
        for fmt in topic.formats:
            source = outputs.pdf_path(pdfs, brand.id, docname, fmt)
            if not source.exists():
                missing.append(str(source))
                continue
            _replace(source, Path(app.outdir, outputs.site_pdf_href(brand.id, docname, fmt)))
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
