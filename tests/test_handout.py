"""The handout a patient is given, read back from the PDF."""

from __future__ import annotations

import re

import pikepdf
import pypdf
import pytest

from helpers import pdf_text


@pytest.fixture
def handout(basic_build):
    """The basic topic's handout from conftest.basic_build (`carepress build`, as `make`)."""
    return basic_build, basic_build.pdf()


def test_text_a_patient_reads(handout):
    _, pdf = handout
    text = pdf_text(pdf)
    for expected in ("Caring for a small cut",
                     "How to clean a small cut, keep it covered and know when to get help.",
                     "Key points", "Rinse the cut under running water.",
                     "When to call us", "Call us at (555) 123-4567",
                     "After hours, call (555) 765-4321",
                     "Our clinic, Testville Health Centre, is here to help.",
                     "Questions? Call (555) 123-4567", "1 Test Street",
                     "Sources", "National Health Service"):
        assert expected in text, expected


def test_every_page_has_the_footer(handout):
    _, pdf = handout
    pages = pypdf.PdfReader(pdf).pages
    for n, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Page {n} of {len(pages)}" in text
        assert "Testville Health Centre · (555) 123-4567" in text
        assert "Last reviewed October 1, 2026 · Next review October 1, 2027" in text


def test_external_links_print_their_address(handout):
    text = re.sub(r"\s+", "", pdf_text(handout[1]))
    assert "theNHSwebsite(https://www.nhs.uk/conditions/cuts-and-grazes/)" in text


def test_sphinx_design_prints_everything(handout):
    text = pdf_text(handout[1])
    for expected in ("Children", "Tabbed advice for children.", "Adults",
                     "Tabbed advice for adults.", "More about scabs",
                     "Hidden dropdown text about scabs.", "Card one body text.",
                     "Card two body text."):
        assert expected in text, expected
    assert text.index("Children") < text.index("Tabbed advice for children.") \
        < text.index("Adults") < text.index("Tabbed advice for adults.")


def test_letter_paper_by_default(handout):
    page = pypdf.PdfReader(handout[1]).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_accessible_pdf_metadata(handout):
    with pikepdf.open(handout[1]) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Caring for a small cut"
        assert str(pdf.docinfo["/Author"]) == "Testville Health Centre"
        assert str(pdf.docinfo["/Subject"]).startswith("How to clean a small cut")
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"


def test_every_font_is_embedded(handout):
    with pikepdf.open(handout[1]) as pdf:
        fonts = {str(o.BaseFont): o for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"
                 and o.get("/Subtype") != "/Type0"}  # a Type0 font's glyphs are its descendant's
        assert any("Atkinson-Hyperlegible" in name for name in fonts), fonts
        for name, font in fonts.items():
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, name
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_body_text_is_at_least_12pt(handout):
    sizes = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.append(round(font_size * tm[0] * cm[0], 1))
    pypdf.PdfReader(handout[1]).pages[0].extract_text(visitor_text=visitor)
    body = max(set(sizes), key=sizes.count)  # the most common size is the body
    assert body >= 12, sizes
