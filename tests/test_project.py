"""The project's own topics, built the way `make` builds them: brochures, then the site."""

from __future__ import annotations

import subprocess

import pikepdf
import pypdf
import pytest

import warm
from helpers import FORMATS, OFFLINE_CHECKS, REPO, decode_qr, pdf_text

# The build is conftest.docs_build, made once per test run and read by every test here
# and by test_site_accessibility.py's report of the same build.


def test_microneedling_handout(docs_build):
    pdf = docs_build / "pdf/lakeside/microneedling-handout.pdf"
    reader = pypdf.PdfReader(pdf)
    assert 2 <= len(reader.pages) <= 4, "a topic like this should print on 2-4 pages (page_budget)"
    text = pdf_text(pdf)
    for expected in ("Microneedling", "Key points", "When to call us",
                     "Questions? Call (555) 010-2040", "Lakeside Dermatology",
                     f"Page 1 of {len(reader.pages)}", "Last reviewed November 1, 2026",
                     "Next review November 1, 2027", "Sources"):
        assert expected in text, expected
    lowered = " ".join(text.lower().split())
    for banned in ("fda approved", "fda-approved", "painless", "no downtime", "guarantee"):
        assert banned not in lowered, banned
    with pikepdf.open(pdf) as doc:
        assert str(doc.docinfo["/Title"]) == "Microneedling"
        assert str(doc.Root.Lang) == "en"
        assert "/StructTreeRoot" in doc.Root


def test_site_offers_every_format(docs_build):
    html = docs_build / "html"
    assert (html / "index.html").is_file()
    page = (html / "microneedling.html").read_text(encoding="utf-8")
    for fmt in FORMATS:
        assert f'href="pdf/lakeside/microneedling-{fmt}.pdf"' in page, fmt
        copied = html / f"pdf/lakeside/microneedling-{fmt}.pdf"
        built = docs_build / f"pdf/lakeside/microneedling-{fmt}.pdf"
        assert copied.read_bytes() == built.read_bytes()
    assert "northgate" not in page, "the site is built for the primary brand only"
    assert "--color-brand-primary: #0b5d6b;" in page, "the brand colour reaches the site"


# -- every brand, every format ---------------------------------------------------------
BRANDS = {"lakeside": ("Lakeside Dermatology", "(555) 010-2040", "letter"),
          "northgate": ("Northgate Family Health", "0161 496 0731", "a4")}
EMERGENCY = {"lakeside": "911", "northgate": "999"}
PORTRAIT = {"letter": (612, 792), "a4": (595, 842)}


def size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


@pytest.mark.parametrize("brand", BRANDS)
def test_page_sizes_follow_the_brand_paper(docs_build, brand):
    paper = BRANDS[brand][2]
    for fmt in ("handout", "large-print"):
        pages = pypdf.PdfReader(docs_build / f"pdf/{brand}/microneedling-{fmt}.pdf").pages
        assert {size(p) for p in pages} == {PORTRAIT[paper]}, fmt
    sheets = pypdf.PdfReader(docs_build / f"pdf/{brand}/microneedling-trifold.pdf").pages
    assert len(sheets) == 2, "one sheet: outside and inside"
    assert {size(p) for p in sheets} == {PORTRAIT[paper][::-1]}, "landscape sheets"


@pytest.mark.parametrize("brand", BRANDS)
def test_each_brochure_carries_its_own_clinic(docs_build, brand):
    name, phone, _ = BRANDS[brand]
    other_name, other_phone, _ = next(v for k, v in BRANDS.items() if k != brand)
    for fmt in FORMATS:
        text = pdf_text(docs_build / f"pdf/{brand}/microneedling-{fmt}.pdf")
        assert name in text and phone in text, fmt
        assert other_name not in text and other_phone not in text, fmt
    # the emergency number is the clinic's country's (brand.toml contact.emergency)
    handout = " ".join(pdf_text(docs_build / f"pdf/{brand}/microneedling-handout.pdf").split())
    assert f"Call {EMERGENCY[brand]} if you have signs of a severe allergic reaction" in handout


def test_large_print_body_is_at_least_16pt(docs_build):
    for brand in BRANDS:
        sizes = []

        def visitor(text, cm, tm, font_dict, font_size):
            if text.strip():
                sizes.append(round(font_size * tm[0] * cm[0], 1))
        reader = pypdf.PdfReader(docs_build / f"pdf/{brand}/microneedling-large-print.pdf")
        reader.pages[0].extract_text(visitor_text=visitor)
        body = max(set(sizes), key=sizes.count)
        assert body >= 16, (brand, sizes)
        assert max(sizes) > body, "headings are larger than the body"


def panel_text(pdf, page: int, third: int) -> str:
    """The text of one panel of an imposed sheet (third 0, 1, 2 from the left)."""
    width, height = size(pypdf.PdfReader(pdf).pages[page - 1])
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x",
                          str(third * width // 3), "-y", "0", "-W", str(width // 3), "-H",
                          str(height), str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


@pytest.mark.parametrize("brand", BRANDS)
def test_trifold_folds_in_order(docs_build, brand):
    pdf = docs_build / f"pdf/{brand}/microneedling-trifold.pdf"
    name, phone, _ = BRANDS[brand]
    flap, back, cover = (panel_text(pdf, 1, i) for i in range(3))
    inside = [panel_text(pdf, 2, i) for i in range(3)]
    assert cover.startswith(name.split()[0]) and "Microneedling What microneedling is" in cover
    assert back.startswith(f"Questions? Call {phone}") and "Last reviewed November 1, 2026" in back
    assert flap.startswith("This sheet is for anyone") and "Key points" in flap
    # the body reads on from the flap through the inside panels, left to right
    order = ["What is microneedling?", "What can it help?", "After your visit", "Side effects",
             "When to call us", "What to expect", "Sources"]
    body = " ".join([flap, *inside])
    assert [body.index(h) for h in order] == sorted(body.index(h) for h in order)
    assert all(inside) and "Sources" in inside[2]


def test_trifold_has_its_own_short_version(docs_build):
    trifold = " ".join(pdf_text(docs_build / "pdf/lakeside/microneedling-trifold.pdf").split())
    handout = " ".join(pdf_text(docs_build / "pdf/lakeside/microneedling-handout.pdf").split())
    site = (docs_build / "html/microneedling.html").read_text(encoding="utf-8")
    short = "took isotretinoin (a strong acne medicine) in the past year"
    long = "Home rollers have shorter needles"
    assert short in trifold and long not in trifold
    assert short not in handout and long in handout
    assert "Home rollers or clinic treatment?" not in trifold, "an emptied section loses its heading"
    assert "took isotretinoin" not in site and long in site, "the site shows the handout's content"
    # one isotretinoin window, the same in every format (not "6 to 12 months")
    for text in (trifold, handout, " ".join(site.split())):
        assert "isotretinoin (a strong acne medicine) in the past year" in text
        assert "6 to 12 months" not in text
    # the trifold's short screening list keeps what the handout's long one asks
    for must in ("active acne", "allergic to metal or numbing cream", "bleed easily",
                 "Do not stop a prescribed medicine unless your doctor says so"):
        assert must in trifold, must
    for must in ("Key points", "After your visit", "When to call us", "Call us at (555) 010-2040"):
        assert must in trifold, must


def test_trifold_keeps_title_and_language(docs_build):
    with pikepdf.open(docs_build / "pdf/lakeside/microneedling-trifold.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == "Microneedling"
        assert str(pdf.docinfo["/Author"]) == "Lakeside Dermatology"
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


SITES = {"lakeside": "https://lakesidedermatology.example/patient-education/",
         "northgate": "https://www.northgatefamilyhealth.example/patient-education/"}


@pytest.mark.parametrize("brand", BRANDS)
def test_qr_code_opens_the_topic_page_on_its_own_clinics_site(docs_build, brand):
    import runpy
    assert runpy.run_path(str(REPO / "conf.py"))["html_baseurl"] == SITES["lakeside"]
    assert (docs_build / "html/microneedling.html").is_file()
    url = SITES[brand] + "microneedling.html"  # brand.toml's site: never another clinic's
    handout = docs_build / f"pdf/{brand}/microneedling-handout.pdf"
    last = len(pypdf.PdfReader(handout).pages)
    assert decode_qr(handout, last) == [url], "on the handout's last page"
    trifold_pdf = docs_build / f"pdf/{brand}/microneedling-trifold.pdf"
    assert decode_qr(trifold_pdf, 1) == [url], "back panel"
    short = url.split("://", 1)[1].removeprefix("www.")
    assert short in "".join(pdf_text(handout).split()), "the address is printed beside it"
    trifold = "".join(pdf_text(trifold_pdf).split())
    other = next(s for b, s in SITES.items() if b != brand).split("://")[1].removeprefix("www.")
    assert short in trifold and other not in trifold and other not in "".join(
        pdf_text(handout).split())


def test_shipped_topics_pass_every_check(docs_build):
    """`make check` over the doctrees and PDFs the build above made: no errors, and the
    report gives each topic's figures, with the pages read from its PDF. Every check but
    the external links: a test asks no web site (`make check` and `make linkcheck` do)."""
    proc = warm.run(
        ["-m", "sphinx", "-b", "carepress-check", "-c", str(REPO),
         "-D", "carepress_today=2026-11-24", "-D", f"carepress_checks={OFFLINE_CHECKS}",
         "-d", str(docs_build / "doctrees"),
         str(REPO / "docs/source"), str(docs_build / "check")])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "reading sources... \n" in proc.stdout or "0 added, 0 changed" in proc.stdout, \
        "the check re-read topics the build had read"
    report = (docs_build / "check/report.md").read_text(encoding="utf-8")
    pages = ", ".join(
        f"{fmt} {len(pypdf.PdfReader(docs_build / f'pdf/lakeside/microneedling-{fmt}.pdf').pages)}"
        for fmt in FORMATS)
    row = next(line for line in report.splitlines() if line.startswith("| microneedling |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert int(cells[1]) > 500 and float(cells[2]) <= 8 and float(cells[3]) <= 9, row
    assert "| lakeside/microneedling-handout.pdf | passes |" in report, "PDF accessibility"
    assert "| northgate/microneedling-large-print.pdf | passes |" in report
    assert cells[4] == pages and cells[5] == "2027-11-01" and cells[6] == "0", row
