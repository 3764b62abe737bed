"""Brochures read the way assistive technology reads them: the structure tree (pikepdf)."""

from __future__ import annotations

import shutil

import pikepdf
import pytest
import weasyprint

from carepress.checks.a11y.pdf import check_pdf, problems
from carepress.outputs import print_html_for
from carepress.brochure.worker.pdf_tags import fix_tags


def failed(findings) -> dict[str, str]:
    return {f.check: f.detail for f in problems(findings)}


@pytest.fixture
def built(basic_build):
    """The basic root's brochures (conftest.basic_build): read here, never written."""
    return basic_build


def test_brochure_passes_every_check(built):
    pdf = built.pdf()
    findings = check_pdf(pdf, print_html_for(pdf))
    assert failed(findings) == {}
    checks = {f.check for f in findings}
    assert {"tagged", "PDF/UA identifier", "title in title bar", "language",
            "headings H1–H3 in order", "reading order", "lists tagged L/LI/Lbl/LBody",
            "figures have alternate text", "header/footer as artifacts",
            "links have annotations"} <= checks
    with pikepdf.open(pdf) as doc:
        alts = {str(o.Alt) for o in doc.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"}
        pages = len(doc.pages)
    # the logo carries the clinic's name; the figure its writer's alt text; the QR code its address
    assert alts == {"Testville Health Centre", "A grey box with a red dot in the middle.",
                    "QR code that opens https://testville.example/topics/basic.html"}
    footer = next(f for f in findings if f.check == "header/footer as artifacts")
    assert footer.detail.startswith(f"{3 * pages} pagination artifacts on {pages} pages")


def test_what_weasyprint_leaves_out_is_put_right(built, tmp_path):
    """WeasyPrint's own PDF/UA output tags the footer outside the tree and list items
    without LBody; carepress's pdf_tags fixes both without changing a pixel."""
    html = print_html_for(built.pdf())
    raw = tmp_path / "raw.pdf"
    weasyprint.HTML(filename=str(html)).write_pdf(raw, pdf_variant="pdf/ua-1")
    before = failed(check_pdf(raw, html))
    assert set(before) == {"header/footer as artifacts", "lists tagged L/LI/Lbl/LBody"}
    assert "outside the structure tree" in before["header/footer as artifacts"]
    assert "a list item holds /P, not Lbl/LBody" in before["lists tagged L/LI/Lbl/LBody"]
    fixed = tmp_path / "fixed.pdf"
    shutil.copy(raw, fixed)
    fix_tags(fixed)
    assert failed(check_pdf(fixed, html)) == {}


def test_untagged_pdf_fails(built, tmp_path):
    plain = tmp_path / "plain.pdf"
    weasyprint.HTML(filename=str(print_html_for(built.pdf()))).write_pdf(plain)
    bad = failed(check_pdf(plain))
    assert bad["tagged"] == "MarkInfo /Marked is False, structure tree missing"
    assert bad["PDF/UA identifier"] == "no pdfuaid:part in the XMP metadata"
    assert "DisplayDocTitle False" in bad["title in title bar"]


def test_image_without_alt_text_fails(no_alt_build):
    """The basic topic without its image's :alt: (conftest.no_alt_build) still prints."""
    bad = failed(check_pdf(no_alt_build.pdf()))
    assert bad == {"figures have alternate text":
                   "the figure on page 1 has the file name 'images/dot.svg' as its alternate "
                   "text: the image has no :alt: in the topic"}


def test_headings_out_of_order_fail(built, tmp_path):
    """MyST already nests a skipped heading level, so the PDF is edited: the second
    heading re-tagged H4, as a tool with a wrong tag map would write it."""
    pdf = tmp_path / "skipped.pdf"
    with pikepdf.open(built.pdf()) as doc:
        heading = [o for o in doc.objects
                   if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/H2"][0]
        heading.S = pikepdf.Name.H4
        doc.save(pdf)
    bad = failed(check_pdf(pdf, print_html_for(built.pdf())))
    assert bad == {"headings H1–H3 in order": "H1 is followed by H4; H4 is used; topics stop at H3"}
