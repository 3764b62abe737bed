"""Every path of the on-disk contract, in one place.

Clinics, their web hosts and other tools rely on these paths; nothing else in carepress
spells them out::

    _build/pdf/<brand>/<topic>-<format>.pdf        a brochure
    _build/pdf/.print/<brand>/<topic>-<format>.html its print HTML (what WeasyPrint reads)
    _build/pdf/.scratch/                            PDFs being written, renamed into place
    _build/html/                                    the site; its PDFs under html/pdf/<brand>/
    _build/.html.<pid>/                             the site being built, swapped in whole
    _build/doctrees/                                Sphinx's doctrees, shared by every builder
    _build/check/report.md                          the writers' check report
    _build/check/report.sarif                       its findings as SARIF 2.1.0
    _build/check/due.md                             topics due for review (--due-report)
    _build/preview/                                 `carepress preview`: its own doctrees,
                                                    pdf/, html/ and pages/ (PNG of each page)
    _build/diff/index.html, report.md               `carepress diff`: the visual diff
    _build/diff/images/                             its before, after and marked page images
    _build/diff/.base/                              the base revision's worktree and _build
    _build/linkcheck/cache.json                     external links that answered well
    _build/spelling/                                the merged Hunspell dictionary
"""

from __future__ import annotations

from pathlib import Path

PRINT = ".print"      # under the PDF folder: print HTML, one folder per brand
SCRATCH = ".scratch"  # under the PDF folder: unfinished PDFs, cleared by each build
STAGING = ".html."    # under the build folder: a site being built, then its process id


def pdf_dir(build: Path) -> Path:
    return Path(build, "pdf")


def site_dir(build: Path) -> Path:
    return Path(build, "html")


def doctree_dir(build: Path) -> Path:
    return Path(build, "doctrees")


def check_dir(build: Path) -> Path:
    return Path(build, "check")


def build_dir_of(outdir: Path) -> Path:
    """The build folder a builder's output folder sits in (``_build/html`` -> ``_build``)."""
    return Path(outdir).parent


def pdf_path(pdfs: Path, brand: str, docname: str, fmt: str) -> Path:
    """``<pdfs>/<brand>/<topic>-<format>.pdf``."""
    return Path(pdfs, brand, f"{docname}-{fmt}.pdf")


def print_html_path(pdfs: Path, brand: str, docname: str, fmt: str) -> Path:
    return Path(pdfs, PRINT, brand, f"{docname}-{fmt}.html")


def print_html_for(pdf: Path) -> Path:
    """The print HTML a brochure was printed from."""
    return Path(pdf.parent.parent, PRINT, pdf.parent.name, pdf.with_suffix(".html").name)


def scratch_dir(pdfs: Path) -> Path:
    return Path(pdfs, SCRATCH)


def site_pdf_href(brand: str, docname: str, fmt: str) -> str:
    """Where the site serves a brochure, relative to the site's root."""
    return f"pdf/{brand}/{docname}-{fmt}.pdf"


def staging_dir(build: Path, pid: int) -> Path:
    return Path(build, f"{STAGING}{pid}")


def is_staging(outdir: Path) -> bool:
    return Path(outdir).name.startswith(STAGING)


def report_path(build: Path) -> Path:
    return check_dir(build) / "report.md"


def sarif_path(build: Path) -> Path:
    return check_dir(build) / "report.sarif"


def due_report_path(build: Path) -> Path:
    return check_dir(build) / "due.md"


def preview_dir(build: Path) -> Path:
    """The preview's own build folder: a partial site and one brand never reach _build/html."""
    return Path(build, "preview")


def preview_pages_dir(preview: Path) -> Path:
    return Path(preview, "pages")


def diff_dir(build: Path) -> Path:
    return Path(build, "diff")


def diff_base_dir(build: Path) -> Path:
    """The base revision's git worktree; its own ``_build`` is kept between runs."""
    return Path(diff_dir(build), ".base")


def diff_images_dir(build: Path) -> Path:
    return Path(diff_dir(build), "images")


def linkcheck_cache(build: Path) -> Path:
    return Path(build, "linkcheck", "cache.json")


def spelling_dir(build: Path) -> Path:
    return Path(build, "spelling", "enchant")


def published_pdfs(pdfs: Path) -> list[Path]:
    """Every brochure under ``pdfs`` (not the print HTML or scratch folders)."""
    return sorted(p for p in Path(pdfs).glob("*/*.pdf") if not p.parent.name.startswith("."))
