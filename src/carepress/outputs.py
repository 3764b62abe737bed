"""Every path of the on-disk contract, in one place.

Clinics, their web hosts and other tools rely on these paths; nothing else in carepress
spells them out::

    _build/pdf/<brand>/<topic>-<format>.pdf        a brochure, in the default language
    _build/pdf/<brand>/<lang>/<topic>-<format>.pdf a brochure in another language
    _build/pdf/.print/<brand>/<topic>-<format>.html its print HTML (what WeasyPrint reads)
    _build/pdf/.print/<brand>/<topic>-<format>.key  the key of the inputs the PDF was printed
                                                    from (brochure/keys.py)
    _build/pdf/.scratch/                            PDFs being written, renamed into place
    _build/html/                                    the site; its PDFs under html/pdf/<brand>/
    _build/html/<lang>/                             the site in another language, its PDFs under
                                                    html/<lang>/pdf/<brand>/
    _build/html/.carepress-sidebars.json            each page's sidebar as last written (every
                                                    site has its own: navigation.py)
    _build/html/fhir/Bundle.json                    the site's PDFs as a FHIR R4 Bundle of
                                                    DocumentReferences (every language)
    _build/html/fhir/knowledge.json                 the same, by code, as Infobutton responses
    _build/html/fhir/knowledge/<system>/<code>.json one code's response (a URL template's)
    _build/sites/<brand>/[<lang>/]                  another brand's own site (web = true), laid
                                                    out as html/, serving that brand's PDFs
    _build/pdf/<brand>/packets/<packet>-<format>.pdf a print packet (default language)
    _build/pdf/<brand>/print-shop/<topic>-<format>.pdf the print-shop edition (PDF/X-4)
    _build/.html.<pid>/, _build/.sites.<pid>/       the sites being built, swapped in whole
    _build/doctrees/                                Sphinx's doctrees, shared by every builder
    _build/doctrees-<lang>/                         the same, read in another language
    _build/doctrees*/carepress-clock.json           each source's content and time (clock.py)
    _build/cache/pdf/<key>.pdf                      PDFs by the key of their inputs (or the
                                                    folder carepress_pdf_cache names)
    _build/cache/digests.json                       sha256 of files, by path, size and time
    _build/cache/pdf-sha1.json                      SHA-1 of the sites' PDFs, the same way (fhir.py)
    _build/cache/unchanged.json                     every input of the last good run (unchanged.py)
    _build/cache/previous-site/                     the site before the last swap: the next
                                                    build's staged copy starts from it
    _build/cache/previous-sites/                    the same for the brands' own sites
    _build/gettext/<topic>.pot                      the English messages, for the catalogues
    _build/doctrees-gettext/                        the doctrees they are collected from
    docs/locales/<lang>/LC_MESSAGES/<topic>.po      a topic's translation (a source, not output)
    _build/check/report.md                          the writers' check report, every language
    _build/check/report-<lang>.md                   one language's part of it
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

import os
from pathlib import Path

PRINT = ".print"      # under the PDF folder: print HTML, one folder per brand
SITES = "sites"       # under the build folder: the brands' own sites
PACKETS = "packets"   # under a brand's PDF folder: its print packets
PRINT_SHOP = "print-shop"  # under a brand's PDF folder: the print-shop edition
FHIR = "fhir"         # under a site: its FHIR and Infobutton files
SCRATCH = ".scratch"  # under the PDF folder: unfinished PDFs, cleared by each build
STAGING = ".html."    # under the build folder: a site being built, then its process id


def pdf_dir(build: Path) -> Path:
    return Path(build, "pdf")


def site_dir(build: Path, lang: str = "") -> Path:
    """The site; ``lang`` (another language than the default) its own site inside it."""
    return Path(build, "html", lang) if lang else Path(build, "html")


def sites_dir(build: Path) -> Path:
    """Every brand's own site but the primary's."""
    return Path(build, SITES)


def brand_site_dir(sites: Path, brand: str, lang: str = "") -> Path:
    """A brand's own site in ``sites`` (``_build/sites`` or its staged copy)."""
    return Path(sites, brand, lang)


def fhir_bundle(site: Path) -> Path:
    return Path(site, FHIR, "Bundle.json")


def fhir_knowledge(site: Path) -> Path:
    return Path(site, FHIR, "knowledge.json")


def fhir_knowledge_of(site: Path, system: str, code: str) -> Path:
    """One code's Infobutton response, for an EHR's URL template."""
    return Path(site, FHIR, "knowledge", system, f"{code}.json")


def doctree_dir(build: Path, lang: str = "") -> Path:
    """Doctrees of one language's read; ``lang`` is "" for the default language."""
    return Path(build, f"doctrees-{lang}") if lang else Path(build, "doctrees")


def sidebar_record(site: Path) -> Path:
    """Each page's sidebar as the last build wrote it, in the site's own folder (a
    brand's site, a language's, the preview's: they share the doctrees)."""
    return Path(site, ".carepress-sidebars.json")


def gettext_dir(build: Path) -> Path:
    """The message templates (``<topic>.pot``) of the English sources."""
    return Path(build, "gettext")


def gettext_doctree_dir(build: Path) -> Path:
    """The gettext builder's own doctrees: they keep the front matter's text, which the
    other builders' doctrees do not."""
    return Path(build, "doctrees-gettext")


def catalogue_path(locales: Path, lang: str, docname: str) -> Path:
    """A topic's translation: ``<locales>/<lang>/LC_MESSAGES/<topic>.po``."""
    return Path(locales, lang, "LC_MESSAGES", f"{docname}.po")


def check_dir(build: Path) -> Path:
    return Path(build, "check")


def build_dir_of(outdir: Path, lang: str = "") -> Path:
    """The build folder a builder's output folder sits in (``_build/html`` -> ``_build``;
    ``_build/html/es`` -> ``_build`` for a site in another language, ``lang``; a brand's
    own site ``_build/sites/<brand>[/<lang>]`` or its staged copy -> ``_build``)."""
    site = Path(outdir).parent if lang else Path(outdir)
    if site.parent.name == SITES or site.parent.name.startswith(f".{SITES}."):
        return site.parent.parent
    return site.parent


def pdf_name(docname: str, fmt: str) -> str:
    return f"{docname}-{fmt}.pdf"


def pdf_folder(pdfs: Path, brand: str, lang: str = "") -> Path:
    return Path(pdfs, brand, lang)


def pdf_path(pdfs: Path, brand: str, docname: str, fmt: str, lang: str = "") -> Path:
    """``<pdfs>/<brand>/<topic>-<format>.pdf``; ``<pdfs>/<brand>/<lang>/...`` in a
    language other than the default."""
    return Path(pdf_folder(pdfs, brand, lang), pdf_name(docname, fmt))


def print_folder(pdfs: Path, brand: str, lang: str = "") -> Path:
    return Path(pdfs, PRINT, brand, lang)


def print_html_path(pdfs: Path, brand: str, docname: str, fmt: str, lang: str = "") -> Path:
    return Path(print_folder(pdfs, brand, lang), f"{docname}-{fmt}.html")


def print_html_for(pdf: Path) -> Path:
    """The print HTML a brochure was printed from."""
    pdf = Path(pdf)
    brand_dir = pdf.parent
    if not (brand_dir.parent / PRINT).is_dir() and (brand_dir.parent.parent / PRINT).is_dir():
        brand_dir = brand_dir.parent  # <brand>/<lang>/<topic>-<format>.pdf
    rest = pdf.with_suffix(".html").relative_to(brand_dir.parent)
    return Path(brand_dir.parent, PRINT, rest)


def print_key_path(print_html: Path) -> Path:
    """The key a brochure was printed with, beside its print HTML."""
    return Path(print_html).with_suffix(".key")


def print_key_name(docname: str, fmt: str) -> str:
    return f"{docname}-{fmt}.key"


def cache_dir(build: Path) -> Path:
    return Path(build, "cache")


def pdf_cache_dir(build: Path) -> Path:
    return Path(cache_dir(build), "pdf")


def digests_path(build: Path) -> Path:
    return Path(cache_dir(build), "digests.json")


def pdf_sha1_path(build: Path) -> Path:
    return Path(cache_dir(build), "pdf-sha1.json")


def check_results_path(build: Path, lang: str = "") -> Path:
    """Each topic's check results, kept for the next `carepress check` (checks/results.py)."""
    return Path(cache_dir(build), f"check-results-{lang}.json" if lang else "check-results.json")


def unchanged_path(build: Path) -> Path:
    return Path(cache_dir(build), "unchanged.json")


def clock_path(doctrees: Path) -> Path:
    return Path(doctrees, "carepress-clock.json")


def packet_pdf_path(pdfs: Path, brand: str, packet: str, fmt: str) -> Path:
    return Path(pdfs, brand, PACKETS, f"{packet}-{fmt}.pdf")


def print_shop_pdf_path(pdfs: Path, brand: str, docname: str, fmt: str) -> Path:
    return Path(pdfs, brand, PRINT_SHOP, f"{docname}-{fmt}.pdf")


def print_html_of(pdfs: Path, pdf: Path) -> Path:
    """The print HTML of any PDF under ``pdfs``: ``.print/`` with the same path."""
    return Path(pdfs, PRINT, Path(pdf).relative_to(pdfs).with_suffix(".html"))


def scratch_dir(pdfs: Path) -> Path:
    return Path(pdfs, SCRATCH)


def site_pdf_href(brand: str, docname: str, fmt: str) -> str:
    """Where the site serves a brochure, relative to the root of its language's site."""
    return f"pdf/{brand}/{pdf_name(docname, fmt)}"


def site_pdf_folder(site: Path, brand: str) -> Path:
    return Path(site, "pdf", brand)


def site_pdfs(site: Path) -> list[Path]:
    """Every brochure a site (one language's) serves."""
    return sorted(Path(site, "pdf").glob("*/*.pdf"))


def staging_dir(build: Path, pid: int, live: Path | None = None) -> Path:
    """Where ``live`` (the main site by default; or ``_build/sites``) is built anew."""
    name = Path(live).name if live is not None else "html"
    return Path(build, f".{name}.{pid}")


def previous_site_dir(build: Path, live: Path | None = None) -> Path:
    """The site (or, ``live`` = ``_build/sites``, the brands' sites) the last swap
    replaced."""
    if live is not None and Path(live).name != site_dir(build).name:
        return Path(cache_dir(build), f"previous-{Path(live).name}")
    return Path(cache_dir(build), "previous-site")


def is_staging(outdir: Path) -> bool:
    return Path(outdir).name.startswith(STAGING)


def report_path(build: Path, lang: str = "") -> Path:
    """The check report; ``lang``'s part of it, outside the default language."""
    return report_in(check_dir(build), lang)


def report_in(outdir: Path, lang: str = "") -> Path:
    """The report a check builder writes into its output folder."""
    return Path(outdir, f"report-{lang}.md" if lang else "report.md")


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


def is_extra_edition(pdf: Path) -> bool:
    """A packet or a print-shop PDF, not a topic's brochure in a format and language."""
    return Path(pdf).parent.name in (PACKETS, PRINT_SHOP)


def published_pdfs(pdfs: Path) -> list[Path]:
    """Every brochure under ``pdfs`` (not the print HTML or scratch folders), packets and
    print-shop editions included."""
    found: list[str] = []
    # (folder by folder, as text: a glob of */*/*.pdf also listed every print HTML and
    # key file under .print, and sorting paths compares their parts: 57-100 ms at 5,000
    # topics, on every build)
    for top in folders_in(pdfs, hidden=False):
        for sub in [top, *folders_in(top)]:
            found += [e.path for e in entries_of(sub) if e.name.endswith(".pdf")]
    return [Path(p) for p in sorted(found, key=lambda p: p.split("/"))]


def folders_in(folder, hidden: bool = True) -> list[str]:
    """The folders in ``folder`` (``hidden``: those whose names start with "." too)."""
    return [e.path for e in entries_of(folder) if e.is_dir()
            and (hidden or not e.name.startswith("."))]


def entries_of(folder) -> list:
    """``os.scandir(folder)`` as a list; none when it cannot be listed."""
    try:
        return list(os.scandir(folder))
    except OSError:  # gone, or not a folder: as a glob, nothing found there
        return []
