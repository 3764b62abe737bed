"""From the library to the patient: one `carepress build --print-shop` of a project with two
clinics (tests/roots/test-delivery), read back as a patient, an EHR team and a print shop
would: each clinic's own site and QR codes, the catalogue, a double-sided packet, the
FHIR Bundle and Infobutton index, and the PDF/X edition. Then a second build after a
packet edit. Unit tests at the end: code shapes, brand and packet errors, the preflight's
300 dpi warning."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest

from helpers import ROOTS, pdf_text
from helpers import carepress_cli as _run
from helpers import decode_qr

BRANDS = {"testclinic": ("Testville Health Centre", "(555) 123-4567", "#7a1f3d",
                         "https://testville.example/topics/"),
          "othertown": ("Othertown Clinic", "0161 555 0199", "#1d4f91",
                        "https://othertown.example/leaflets/")}
CODES = {("http://hl7.org/fhir/sid/icd-10-cm", "S61.411A"), ("http://www.ama-assn.org/go/cpt", "12001"),
         ("http://hl7.org/fhir/sid/icd-10-cm", "L90.5"), ("http://snomed.info/sct", "275322007")}


def _build(path: Path, *args: str) -> subprocess.CompletedProcess:
    return _run(path, "build", *args)  # `carepress build --source .` in the project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build for every test here, shared by the xdist workers of a run (the first to
    come builds it; the others wait for it): the build is the module's cost."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if worker else base) / "delivery"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "built").exists():
            shutil.rmtree(shared / "proj", ignore_errors=True)
            shutil.copytree(ROOTS / "test-delivery", shared / "proj")
            proc = _build(shared / "proj", "--print-shop")
            assert proc.returncode == 0, proc.stdout + proc.stderr
            assert "Traceback" not in proc.stdout + proc.stderr
            (shared / "built").touch()
    return shared / "proj/_build"


def _site(build: Path, brand: str) -> Path:
    return build / "html" if brand == "testclinic" else build / "sites" / brand


# -- 1. each clinic's own address, QR codes and site --------------------------------------
@pytest.mark.parametrize("brand", BRANDS)
def test_each_clinic_prints_and_encodes_its_own_address(built, brand):
    site = BRANDS[brand][3]
    other = next(v[3] for b, v in BRANDS.items() if b != brand)
    handout = built / f"pdf/{brand}/cut-handout.pdf"
    last = len(pypdf.PdfReader(handout).pages)
    assert decode_qr(handout, last) == [site + "cut.html"]
    assert decode_qr(built / f"pdf/{brand}/cut-trifold.pdf", 1) == [site + "cut.html"]
    for pdf in (handout, built / f"pdf/{brand}/cut-trifold.pdf"):
        text = "".join(pdf_text(pdf).split())
        assert site.split("://")[1] + "cut.html" in text
        assert other.split("://")[1] not in text, "never another clinic's address"


@pytest.mark.parametrize("brand", BRANDS)
def test_each_web_clinic_has_its_own_site(built, brand):
    name, phone, colour, address = BRANDS[brand]
    other_name = next(v[0] for b, v in BRANDS.items() if b != brand)
    site = _site(built, brand)
    page = (site / "cut.html").read_text(encoding="utf-8")
    assert f"--color-brand-primary: {colour};" in page, "the clinic's colours"
    assert name in page and other_name not in page
    assert f'<link rel="canonical" href="{address}cut.html">' in page
    logo = (site / "_static/logo.svg").read_text(encoding="utf-8")
    assert f"<title>{name.split()[0]}" in logo, "the clinic's own logo"
    served = sorted(p.relative_to(site).as_posix() for p in (site / "pdf").rglob("*.pdf"))
    assert served == [f"pdf/{brand}/cut-handout.pdf", f"pdf/{brand}/cut-trifold.pdf",
                      f"pdf/{brand}/scar-handout.pdf"], "only its own PDFs"
    assert not (built / "sites/testclinic").exists(), "the primary brand's site is _build/html"


# -- 2. the catalogue -----------------------------------------------------------------------
def test_catalogue_lists_every_topic_by_category(built):
    html = (built / "html/index.html").read_text(encoding="utf-8")
    catalogue = html[html.index('<div class="carepress-catalogue">'):]
    groups = re.findall(r'<h2 id="category-[^"]*">([^<]+)</h2>', catalogue)
    assert groups == ["First aid", "Skin care"]
    first_aid, skin = catalogue.split('id="category-skin-care"')
    assert "Caring for a small cut" in first_aid and "Looking after a scar" in skin
    for topic, summary, date, formats in (
            ("cut", "How to clean a small cut, keep it covered and know when to get help.",
             "October 1, 2026", ("handout", "trifold")),
            ("scar", "How to help a healed cut fade, and when a scar needs a check.",
             "September 15, 2026", ("handout",))):
        entry = re.search(rf'<li class="carepress-topic" id="topic-{topic}">(.*?)</li>',
                          catalogue, re.S)[1]
        assert f'href="{topic}.html"' in entry and summary in entry
        assert f"Last reviewed {date}" in entry
        links = re.findall(r'class="download" href="([^"]+)"', entry)
        assert links == [f"pdf/testclinic/{topic}-{fmt}.pdf" for fmt in formats]
        assert all((built / "html" / link).is_file() for link in links)
    assert "Topics A to Z" in catalogue
    assert '<input type="search"' in html or 'class="sidebar-search"' in html, "search stays"
    other = (built / "sites/othertown/index.html").read_text(encoding="utf-8")
    assert 'href="pdf/othertown/cut-handout.pdf"' in other and "pdf/testclinic" not in other


# -- 3. a double-sided packet ------------------------------------------------------------------
def _page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages]


@pytest.mark.parametrize("brand", BRANDS)
def test_packet_cover_contents_and_continuous_pages(built, brand):
    name, phone, _, _ = BRANDS[brand]
    pdf = built / f"pdf/{brand}/packets/first-visit-handout.pdf"
    pages = _page_texts(pdf)
    total = len(pages)
    cover = pages[0]
    assert "After your first visit" in cover and "Contents" in cover
    listed = dict(re.findall(r"(Caring for a small cut|Looking after a scar) \.+ (\d+)", cover))
    assert set(listed) == {"Caring for a small cut", "Looking after a scar"}, cover
    for title, number in listed.items():
        start = pages[int(number) - 1]
        assert start.startswith(title) or f" {title} " in f" {start[:80]} ", (title, start[:80])
        assert int(number) % 2 == 1, "double-sided: each topic starts on a right-hand page"
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in text, "page numbers run through the packet"
        assert name in text and phone in text
    cut, scar = int(listed["Caring for a small cut"]), int(listed["Looking after a scar"])
    assert "Last reviewed October 1, 2026" in pages[cut - 1]
    assert "September 15, 2026" not in " ".join(pages[cut - 1:scar - 1]), \
        "each topic's review dates stay on its own pages"
    assert "Caring for a small cut: Last reviewed" not in pages[0]
    assert "Looking after a scar: Last reviewed September 15, 2026" in pages[scar - 1]
    with pikepdf.open(pdf) as doc:
        with doc.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert "Caring for a small cut" in titles and "Looking after a scar" in titles, titles


def test_packet_is_tagged_with_one_outline(built):
    from carepress.checks.a11y.pdf import check_pdf, problems
    from carepress.outputs import print_html_for
    pdf = built / "pdf/testclinic/packets/first-visit-handout.pdf"
    findings = check_pdf(pdf, print_html_for(pdf), max_level=4)
    assert problems(findings) == []
    heading = next(f for f in findings if f.check.startswith("headings"))
    assert heading.detail.startswith("H1 ×1, H2 ×4"), heading.detail  # contents, topics, call us


# -- 4. ready for the EHR ---------------------------------------------------------------------
@pytest.mark.parametrize("brand", BRANDS)
def test_fhir_bundle_validates_and_points_at_served_pdfs(built, brand):
    from fhir.resources.R4B.bundle import Bundle
    site = _site(built, brand)
    data = json.loads((site / "fhir/Bundle.json").read_text(encoding="utf-8"))
    bundle = Bundle.model_validate(data)  # R4B: R4's Bundle and DocumentReference, unchanged
    assert bundle.type == "collection" and len(bundle.entry) == 3  # cut ×2 formats, scar
    address = BRANDS[brand][3]
    codes = set()
    for entry in bundle.entry:
        doc = entry.resource
        assert doc.__resource_type__ == "DocumentReference" and doc.status == "current"
        assert (doc.type.coding[0].system, doc.type.coding[0].code) == ("http://loinc.org", "34895-3")
        assert doc.category[0].coding[0].code == "311401005"
        attachment = doc.content[0].attachment
        assert attachment.contentType == "application/pdf" and attachment.language == "en"
        assert attachment.url.startswith(address)
        served = site / attachment.url[len(address):]
        assert served.is_file() and served.stat().st_size == attachment.size
        assert attachment.title in ("Caring for a small cut", "Looking after a scar")
        assert str(attachment.creation).startswith("2026-")
        codes |= {(c.coding[0].system, c.coding[0].code) for c in doc.context.event}
    assert codes == CODES, "every code of the front matter, as context codings"


def test_an_edit_remakes_only_its_own_ehr_entries(tmp_path):
    """Each build keeps the Bundle's entries (site/fhir.py, _Made) and makes again only
    those of topics read again or PDFs printed again: the edited topic's entries change,
    the others stay, and the whole equals a Bundle made from nothing. Of the knowledge
    responses by code, only the edited topic's are written again; a code it no longer
    has loses its file."""
    project = tmp_path / "proj"
    shutil.copytree(ROOTS / "test-delivery", project)
    knowledge = project / "_build/html/fhir/knowledge"

    def entries(brand: str) -> dict[str, dict]:
        bundle = json.loads((_site(project / "_build", brand) / "fhir/Bundle.json").read_text())
        return {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}

    assert _build(project).returncode == 0
    before = {brand: entries(brand) for brand in BRANDS}
    written = {p.relative_to(knowledge).as_posix(): p.stat().st_mtime_ns
               for p in knowledge.glob("*/*.json")}
    assert set(written) == {"icd-10-cm/S61.411A.json", "cpt/12001.json",
                            "icd-10-cm/L90.5.json", "snomed-ct/275322007.json"}
    scar = project / "scar.md"
    scar.write_text(scar.read_text().replace("when a scar needs a check.",
                                             "when a scar needs a doctor.").replace(
        '  - {system: snomed-ct, code: "275322007", display: Scar of skin}\n', ""))
    proc = _build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for brand in BRANDS:
        after = entries(brand)
        assert after.keys() == before[brand].keys()
        changed = {i for i in after if after[i] != before[brand][i]}
        assert changed == {i for i in after if "-scar-" in i} and changed, brand
        assert all(after[i]["description"].endswith("needs a doctor.") for i in changed)
    now = {p.relative_to(knowledge).as_posix(): p.stat().st_mtime_ns
           for p in knowledge.glob("*/*.json")}
    assert set(now) == set(written) - {"snomed-ct/275322007.json"}
    assert {f for f in now if now[f] != written[f]} == {"icd-10-cm/L90.5.json"}
    assert "needs a doctor." in (knowledge / "icd-10-cm/L90.5.json").read_text()
    kept = (project / "_build/html/fhir/Bundle.json").read_bytes()
    (project / "_build/doctrees/carepress-fhir.pickle").unlink()  # all made afresh:
    (project / "_build/cache/unchanged.json").unlink()  # (a build, though nothing changed)
    assert _build(project).returncode == 0
    assert (project / "_build/html/fhir/Bundle.json").read_bytes() == kept


def test_knowledge_index_by_code_is_an_infobutton_response(built):
    index = json.loads((built / "html/fhir/knowledge.json").read_text(encoding="utf-8"))
    assert set(index["responses"]) == {"icd-10-cm|S61.411A", "cpt|12001", "icd-10-cm|L90.5",
                                       "snomed-ct|275322007"}
    feed = index["responses"]["icd-10-cm|L90.5"]["feed"]
    assert {"scheme": "mainSearchCriteria.v.c", "term": "L90.5"} in feed["category"]
    assert {"scheme": "mainSearchCriteria.v.cs", "term": "2.16.840.1.113883.6.90"} in feed["category"]
    [entry] = feed["entry"]
    assert entry["title"]["_value"] == "Looking after a scar"
    assert [link["href"] for link in entry["link"]] == \
        ["https://testville.example/topics/pdf/testclinic/scar-handout.pdf"]
    one = json.loads((built / "html/fhir/knowledge/icd-10-cm/L90.5.json").read_text())
    assert one == index["responses"]["icd-10-cm|L90.5"]


# -- 5. the print-shop edition ----------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["handout", "trifold"])
def test_print_shop_edition_is_pdfx_with_bleed(built, fmt):
    bleed = 3 * 72 / 25.4
    for brand in BRANDS:
        pdf = built / f"pdf/{brand}/print-shop/cut-{fmt}.pdf"
        with pikepdf.open(pdf) as doc:
            xmp = doc.Root.Metadata.read_bytes()
            assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
            [intent] = doc.Root.OutputIntents
            assert intent.S == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4
            assert doc.pdf_version >= "1.6"
            for page in doc.pages:
                trim = [float(v) for v in page.obj.TrimBox]
                box = [float(v) for v in page.obj.BleedBox]
                assert [round(v, 1) for v in (trim[0] - box[0], trim[1] - box[1],
                                              box[2] - trim[2], box[3] - trim[3])] == \
                    [round(bleed, 1)] * 4
                assert "/ArtBox" not in page.obj
        accessible = built / f"pdf/{brand}/cut-{fmt}.pdf"
        with pikepdf.open(accessible) as doc:  # beside it, never replacing it
            metadata = doc.Root.get("/Metadata")
            assert metadata is None or b"GTS_PDFX" not in metadata.read_bytes()
            if fmt == "handout":
                assert "/StructTreeRoot" in doc.Root


def test_print_shop_fonts_embedded_and_reproducible(built):
    from carepress.brochure.worker import preflight
    pdf = built / "pdf/testclinic/print-shop/cut-handout.pdf"
    found = preflight.check(pdf.read_bytes(), 3 * 72 / 25.4)
    assert found.problems == [] and found.warnings == []
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), out  # emb column


# -- a second build: a packet again only when its definition changed --------------------------
def test_second_build_prints_only_the_changed_packet_and_names_a_missing_topic(built):
    """Edits only what no other test reads (the other tests may run meanwhile): the
    scar-care packet, and a new packet naming a topic that does not exist."""
    path = built.parent
    changed = built / "pdf/testclinic/packets/scar-care-handout.pdf"
    same = [built / "pdf/testclinic/packets/first-visit-handout.pdf",
            built / "pdf/testclinic/scar-handout.pdf", built / "pdf/othertown/cut-trifold.pdf"]
    before = {p: p.stat().st_mtime_ns for p in [changed, *same]}
    text = (path / "packets/scar-care.yml").read_text()
    (path / "packets/scar-care.yml").write_text(text.replace("Scar care", "Looking after scars"))
    (path / "packets/broken.yml").write_text("title: Broken\ntopics:\n  - cut\n  - cutt\n")
    proc = _build(path, "--pdf-only")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert re.search(r"packets/broken\.yml:4: ERROR: the packet 'broken' names the topic 'cutt', "
                     r"which does not exist\. Did you mean 'cut'\?", out), out
    assert "Traceback" not in out
    assert changed.stat().st_mtime_ns != before[changed], "its definition changed: printed again"
    assert "Looking after scars" in pdf_text(changed)
    for pdf in same:
        assert pdf.stat().st_mtime_ns == before[pdf], f"{pdf.name} did not change"
    assert not (built / "pdf/testclinic/packets/broken-handout.pdf").exists()


# -- unit tests: fast -----------------------------------------------------------------------------
@pytest.mark.parametrize("system, code, problem", [
    ("icd-10-cm", "L90.5", ""), ("icd-10-cm", "S61.411A", ""), ("icd-10-cm", "L905x", "ICD-10-CM"),
    ("icd-10-cm", "U07.1", "ICD-10-CM"), ("snomed-ct", "275322007", ""),
    ("snomed-ct", "275322008", "check digit"), ("snomed-ct", "12345", "6 to 18 digits"),
    ("cpt", "12001", ""), ("cpt", "0479T", ""), ("cpt", "1200", "CPT"),
    ("hcpcs", "G0105", ""), ("hcpcs", "D0120", "HCPCS")])
def test_code_shapes(system, code, problem):
    from carepress.sources.codes import shape_problem
    found = shape_problem(system, code)
    assert (problem in found) if problem else found == "", found


def test_a_misshapen_code_is_an_error_naming_its_line():
    from types import SimpleNamespace

    from carepress.sources.topic import FrontMatterError, parse
    text = (ROOTS / "test-delivery/scar.md").read_text(encoding="utf-8")
    config = SimpleNamespace(carepress_review_interval_months=12, carepress_formats=["handout"],
                             carepress_languages=[])
    topic, _ = parse("scar", text, config)
    assert [(c.system, c.code) for c in topic.codes] == [("icd-10-cm", "L90.5"),
                                                          ("snomed-ct", "275322007")]
    with pytest.raises(FrontMatterError) as error:
        parse("scar", text.replace("code: L90.5", "code: LL0.5"), config)
    assert error.value.line == 10  # the line of `codes:`
    assert "code 1: 'LL0.5' is not shaped like an ICD-10-CM code" in str(error.value)


def test_brand_site_address_is_checked(tmp_path):
    from carepress.errors import CarepressError
    from carepress.sources.brand import load
    folder = tmp_path / "othertown"
    shutil.copytree(ROOTS / "test-delivery/_brands/othertown", folder)
    toml = folder / "brand.toml"
    toml.write_text(toml.read_text().replace('"https://othertown.example/leaflets/"',
                                             '"othertown.example"'))
    with pytest.raises(CarepressError, match=r"othertown/brand.toml: key 'site' = "
                                             r"'othertown.example' is not a web address"):
        load("othertown", tmp_path)
    toml.write_text(toml.read_text().replace('site = "othertown.example"',
                                             'site = "https://othertown.example/x"'))
    assert load("othertown", tmp_path).site == "https://othertown.example/x/"


def test_packet_file_errors_name_file_and_line(tmp_path):
    from carepress.sources.packets import PacketError, load
    bad = tmp_path / "visit.yml"
    bad.write_text("title: Visit\ntopics: [cut]\nformats: [trifold]\n")
    with pytest.raises(PacketError, match="'formats' may name handout and large-print") as error:
        load(bad)
    assert error.value.location == f"{bad}:3"


def test_preflight_names_an_image_under_300_dpi(tmp_path):
    """A real WeasyPrint PDF/X render: a 60-pixel picture printed 2 inches wide is 30 dpi."""
    import weasyprint
    from PIL import Image

    from carepress.brochure import print_shop
    from carepress.brochure.worker import pdfx, preflight
    Image.new("RGB", (60, 40), "#c04040").save(tmp_path / "photo.png")
    css = print_shop.css(type("C", (), {"carepress_print_shop_bleed": "3mm"}), "handout")
    html = (f'<html lang="en"><head><base href="{tmp_path.as_uri()}/"><style>{css}</style></head>'
            '<body><p>Hello</p><img src="photo.png" alt="A photo" style="width: 2in"></body></html>')
    raw = weasyprint.HTML(string=html, base_url=str(tmp_path)).write_pdf(pdf_variant="pdf/x-4")
    pdf = pdfx.finish(raw, b"id", 3 * 72 / 25.4, print_shop.SRGB_PROFILE.read_bytes())
    found = preflight.check(pdf, 3 * 72 / 25.4, html)
    assert found.problems == []
    [warning] = found.warnings
    assert warning.startswith("print-shop edition: the image 'photo.png' prints at 30 dpi "
                              "(2.00 × 1.33 in)"), warning
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        assert "/DefaultRGB" in doc.pages[0].Resources.ColorSpace


def test_a_renamed_topic_is_renamed_in_every_sites_sidebar(tmp_path):
    """Each site (the main one, each web brand's own) keeps the record of the sidebars its
    pages were written with in its own folder (site/navigation.py; they share the
    doctrees): a renamed topic is renamed on the other topic's page in both."""
    project = tmp_path / "proj"
    shutil.copytree(ROOTS / "test-delivery", project)
    assert _build(project).returncode == 0
    cut = project / "cut.md"
    cut.write_text(cut.read_text().replace("title: Caring for a small cut",
                                           "title: Caring for a cut", 1))
    proc = _build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for brand in BRANDS:
        page = (_site(project / "_build", brand) / "scar.html").read_text(encoding="utf-8")
        assert "Caring for a cut" in page and "Caring for a small cut" not in page, brand
