"""``carepress a11y``: every PDF's structure and the site in a browser, one report.

Writes ``<build>/check/accessibility.md`` (atomically) and screenshots under
``<build>/screenshots/``; exits non-zero when anything fails.
"""

from __future__ import annotations

from pathlib import Path

from ... import atomic, outputs
from ...brochure.layouts import FOLDED

# .pdf (pikepdf) is imported where a PDF is checked: setup() imports this module for
# on_check_report in every process, and most never check a PDF.


def report(build_dir: Path, site: bool = True) -> tuple[str, list[str]]:
    """The Markdown report and one line per problem found."""
    from ...errors import CarepressError
    from .pdf import check_pdf, format_pdf, problems

    pdf_dir = outputs.pdf_dir(build_dir)
    pdfs = outputs.published_pdfs(pdf_dir)
    if not pdfs and not outputs.site_dir(build_dir).is_dir():
        raise CarepressError(f"nothing to check in {build_dir}: run `make` first.")
    sections, failed = [], []
    for pdf in pdfs:
        name = pdf.relative_to(pdf_dir).as_posix()
        if pdf.parent.name == outputs.PRINT_SHOP:
            sections.append(f"### {name}: not checked (the print-shop edition, PDF/X for a "
                            "printing press; the handout and large print beside it are the "
                            "accessible PDFs)\n")
            continue
        if pdf.stem.endswith(tuple(f"-{fmt}" for fmt in FOLDED)):
            # Panels imposed on sheets for a print shop lose their structure tree by
            # design; the handout and large print are the accessible versions.
            sections.append(f"### {name}: not checked (folded print-shop sheets; "
                            "the handout and large print are the accessible formats)\n")
            continue
        # a packet's topics are H2 under its title: their sections go one level deeper
        findings = check_pdf(pdf, outputs.print_html_for(pdf),
                             max_level=4 if pdf.parent.name == outputs.PACKETS else 3)
        failed += [f"{name}: {f.check}: {f.detail}" for f in problems(findings)]
        sections.append(format_pdf(name, findings))
    text = [f"# Accessibility\n\n## The PDFs: {len(pdfs)} checked\n", *sections]
    if site:
        from .browser import check_site, format_site
        result = check_site(outputs.site_dir(build_dir), build_dir / "screenshots")
        failed += result.problems
        text.append(format_site(result))
    return "\n".join(text), failed


def on_check_report(app, report) -> None:
    """`make check`: each brochure's structure tree checked, one line per PDF in the report."""
    from ...sources import brand as brands
    from ...sources.topic import topics
    from ..model import Finding

    if "pdf-accessibility" not in app.config.carepress_checks:
        return
    from .pdf import check_pdf, problems

    lines = ["| PDF | result |", "| --- | --- |"]
    pdfs = outputs.pdf_dir(outputs.build_dir_of(app.outdir))
    for docname, topic in sorted(topics(app.env).items()):
        for brand in brands.of(app.config).all:
            for fmt in topic.formats:
                pdf = outputs.pdf_path(pdfs, brand, docname, fmt)
                if fmt in FOLDED or not pdf.exists():
                    continue
                failed = problems(check_pdf(pdf, outputs.print_html_for(pdf)))
                name = f"{brand}/{pdf.name}"
                result = "; ".join(f"{f.check}: {f.detail}" for f in failed) or "passes"
                lines.append(f"| {name} | {result.replace('|', '/')} |")
                for f in failed:
                    report.add_finding(Finding(
                        "pdf-accessibility", "error", Path(app.env.doc2path(docname)), None,
                        f"{name}: {f.check}: {f.detail}", docname))
    if len(lines) > 2:
        report.add_section("PDF accessibility", "\n".join(lines))


def main(build_dir: str = "_build", site: bool = True) -> int:
    from ...errors import CarepressError

    build = Path(build_dir)
    try:
        text, failed = report(build, site)
    except CarepressError as error:
        print(f"carepress a11y: {error}")
        return 2
    out = outputs.check_dir(build) / "accessibility.md"
    atomic.write_text(out, text)
    for line in failed:
        print(f"✗ {line}")
    print(f"{'✗' if failed else '✓'} accessibility: {len(failed)} problem(s); report in {out}")
    return 1 if failed else 0
