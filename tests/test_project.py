"""The project's own topics, built the way `make` builds them: brochures, then the site."""

from __future__ import annotations

import subprocess
import sys

import pikepdf
import pypdf
import pytest

from conftest import REPO, pdf_text


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    for builder, target in (("brochure", "pdf"), ("html", "html")):
        proc = subprocess.run(
            [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", builder,
             "-c", str(REPO), "-d", str(out / "doctrees"), str(REPO / "docs/source"),
             str(out / target)], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_microneedling_handout(build):
    pdf = build / "pdf/lakeside/microneedling-handout.pdf"
    reader = pypdf.PdfReader(pdf)
    assert 2 <= len(reader.pages) <= 4, "a topic like this should print on 2-4 pages"
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


def test_site_offers_the_pdf(build):
    html = build / "html"
    assert (html / "index.html").is_file()
    page = (html / "microneedling.html").read_text(encoding="utf-8")
    assert 'href="pdf/lakeside/microneedling-handout.pdf"' in page
    copied = html / "pdf/lakeside/microneedling-handout.pdf"
    assert copied.read_bytes() == (build / "pdf/lakeside/microneedling-handout.pdf").read_bytes()
    assert "--color-brand-primary: #0b5d6b;" in page, "the brand colour reaches the site"


def test_shipped_topics_pass_every_check(build):
    """`make check` over the doctrees and PDFs the build above made: no errors, and the
    report gives each topic's figures, with the pages read from its PDF."""
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "carepress-check", "-c", str(REPO),
         "-D", "carepress_today=2026-11-24", "-d", str(build / "doctrees"),
         str(REPO / "docs/source"), str(build / "check")],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "reading sources... \n" in proc.stdout or "0 added, 0 changed" in proc.stdout, \
        "the check re-read topics the build had read"
    report = (build / "check/report.md").read_text(encoding="utf-8")
    pages = len(pypdf.PdfReader(build / "pdf/lakeside/microneedling-handout.pdf").pages)
    row = next(line for line in report.splitlines() if line.startswith("| microneedling |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert int(cells[1]) > 500 and float(cells[2]) <= 8 and float(cells[3]) <= 9, row
    assert cells[4] == f"handout {pages}" and cells[5] == "2027-11-01" and cells[6] == "0", row
