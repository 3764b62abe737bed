"""Formats on a small topic: content per format, the fit check and the page budget, no QR
code without html_baseurl, and the print shop's bleed and crop marks."""

from __future__ import annotations

import re
import shutil
import subprocess
from types import SimpleNamespace

import pikepdf
import pypdf
import pytest

from carepress.sources.topic import FrontMatterError, parse
from helpers import ROOTS, Project, pdf_text

NOT_IN = """
:::{not-in} trifold large-print
Only the handout prints this line.
:::
"""
ONLY_IN = """
## Extra for the trifold

:::{only-in} trifold
Only the trifold prints this line.
:::
"""


def with_formats(project: Project, formats: str, front: str = "") -> None:
    project.edit("basic.md", 'version: "2.1"\n', f'version: "2.1"\nformats: [{formats}]\n{front}')


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """basic in all three formats, with format-only blocks, built once as `make` would."""
    project = Project(tmp_path_factory.mktemp("formats") / "proj")
    shutil.copytree(ROOTS / "test-basic", project.path)
    with_formats(project, "handout, large-print, trifold")
    project.edit("conf.py", 'html_baseurl = "https://testville.example/topics/"\n', "")
    project.edit("basic.md", "- [ ] Keep it dry for two days.\n",
                 "- [ ] Keep it dry for two days.\n" + NOT_IN)
    with open(project.path / "basic.md", "a") as topic:
        topic.write(ONLY_IN)
    run = project.build()
    assert run.returncode == 0, run.output
    site = project.build("html")
    assert site.returncode == 0, site.output
    return project, run.output


def test_content_follows_the_format(three):
    project, _ = three
    handout = flat(pdf_text(project.pdf(fmt="handout")))
    large = flat(pdf_text(project.pdf(fmt="large-print")))
    trifold = flat(pdf_text(project.pdf(fmt="trifold")))
    assert "Only the handout prints this line." in handout
    assert "Only the handout prints this line." not in large + trifold
    assert "Only the trifold prints this line." in trifold
    assert "Only the trifold prints this line." not in handout + large
    assert "Extra for the trifold" in trifold
    assert "Extra for the trifold" not in handout + large, "a heading left empty is dropped"


def test_site_shows_the_handout_content(three):
    project, _ = three
    page = (project.path / "_build/html/basic.html").read_text(encoding="utf-8")
    assert "Only the handout prints this line." in page
    assert "Only the trifold prints this line." not in page
    assert "Extra for the trifold" not in page, "nor in the page's table of contents"
    for fmt in ("handout", "large-print", "trifold"):
        assert f'href="pdf/testclinic/basic-{fmt}.pdf"' in page


def test_without_html_baseurl_no_qr_code_and_one_warning(three):
    project, output = three
    assert output.count("html_baseurl is not set in conf.py") == 1, output
    for fmt in ("handout", "large-print", "trifold"):
        assert "Scan the code" not in pdf_text(project.pdf(fmt=fmt))
        html = (project.path / f"_build/pdf/.print/testclinic/basic-{fmt}.html").read_text()
        assert 'class="qr-code"' not in html


def test_trifold_sheet_for_an_office_printer(three):
    project, _ = three
    reader = pypdf.PdfReader(project.pdf(fmt="trifold"))
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages] == [(792, 612), (792, 612)]
    assert [round(float(v)) for v in reader.pages[0].trimbox] == [0, 0, 792, 612]
    with pikepdf.open(project.pdf(fmt="trifold")) as pdf:
        assert "/StructTreeRoot" not in pdf.Root, "imposed pages are not tagged; claim nothing"


def test_bleed_and_crop_marks_for_a_print_shop(project):
    with_formats(project, "trifold")
    run = project.build("brochure", "-D", "carepress_bleed=0.125in", "-D", "carepress_crop_marks=1")
    assert run.returncode == 0, run.output
    for page in pypdf.PdfReader(project.pdf(fmt="trifold")).pages:
        # 0.125 in bleed (9 pt) and 0.375 in for the marks (27 pt) round an 11 x 8.5 in sheet
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 864, 684]
        assert [round(float(v)) for v in page.trimbox] == [36, 36, 828, 648]
        assert [round(float(v)) for v in page.bleedbox] == [27, 27, 837, 657]
    # The cover's tint (its page background) fills its panel and the bleed on the sheet's
    # outer edges (top, right, bottom), but stops at the fold and at the bleed box.
    from PIL import Image
    png = project.path / "outside"
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile",
                    str(project.pdf(fmt="trifold")), str(png)], check=True)
    sheet = Image.open(f"{png}.png").convert("RGB")  # one pixel a point, y from the top
    tint, white = (0xf7, 0xe8, 0xee), (255, 255, 255)
    for where, xy, colour in (("right bleed", (832, 342), tint), ("top bleed", (700, 31), tint),
                              ("bottom bleed", (700, 652), tint), ("cover panel", (700, 600), tint),
                              ("past the bleed", (842, 342), white),
                              ("back panel, at the fold", (560, 600), white)):
        assert sheet.getpixel(xy) == colour, where


def test_topic_too_long_for_the_trifold(project):
    with_formats(project, "handout, trifold")
    assert project.build().returncode == 0
    trifold = project.pdf(fmt="trifold")
    kept = trifold.read_bytes()
    long_text = "\n\n".join(f"Paragraph {n} says one more thing a patient should know about "
                            "caring for a small cut at home." for n in range(60))
    project.edit("basic.md", "## Aftercare\n", f"## Aftercare\n\n{long_text}\n\n")
    for attempt in (1, 2):  # and again: a failed brochure is not taken as up to date
        run = project.build()
        assert run.returncode != 0, attempt
        found = re.search(r"basic\.md: ERROR: basic does not fit the trifold: it needs (\d+) "
                          r"panels and the fold has 4 \(about (\d+) words too many\)", run.output)
        assert found, run.output
        assert int(found.group(1)) > 4 and int(found.group(2)) > 100
        assert trifold.read_bytes() == kept, "the previous trifold is kept"
    assert "Paragraph 59 says" in pdf_text(project.pdf(fmt="handout")), "the handout still builds"


def test_handout_over_its_page_budget(project):
    with_formats(project, "handout", "page_budget: 1\n")
    run = project.build()
    assert run.returncode != 0
    assert re.search(r"basic\.md: ERROR: basic does not fit its page budget: the handout needs 3 "
                     r"pages and page_budget is 1 \(about \d+ words too many\)", run.output), \
        run.output
    assert not project.pdf().exists()


def test_page_budget_must_be_a_number():
    config = SimpleNamespace(carepress_review_interval_months=12, carepress_formats=["handout"])
    text = (ROOTS / "test-basic/basic.md").read_text().replace(
        'version: "2.1"\n', 'version: "2.1"\npage_budget: four\n')
    with pytest.raises(FrontMatterError) as caught:
        parse("basic", text, config)
    assert str(caught.value).startswith("'page_budget: four' is not a number of pages")
    assert caught.value.line == 8


def test_unknown_format_in_a_directive(project):
    project.edit("basic.md", "- [ ] Keep it dry for two days.\n",
                 "- [ ] Keep it dry for two days.\n\n:::{only-in} trifodl\nText.\n:::\n")
    run = project.build("brochure", "-W", "--keep-going")
    assert run.returncode != 0
    assert ("basic.md:40: ERROR: unknown format 'trifodl' in {only-in}. Known formats: "
            "handout, large-print, trifold.") in run.output, run.output
