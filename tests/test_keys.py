"""A brochure prints again when, and only when, what it is made of changed (brochure/keys.py):
each kind of input changed in turn changes the key; the same inputs in another folder, or
with other file times, keep it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from carepress.brochure import keys
from carepress.brochure.worker.impose import Sheet
from carepress.brochure.print_shop import SRGB_PROFILE
from carepress.brochure.worker.render import PRINT_SHOP, Job
from carepress.digests import Digests

HTML = """<html><head><base href="{src}/">
<style>@font-face {{ font-family: Brand; src: url("{font}") }}
.box {{ background: url('images/tint.png') }}</style></head>
<body><img class="logo" src="{brand}/logo.svg" alt="Clinic"><p>Wash your hands.</p>
<img alt="A cut" src="images/cut.svg"><a href="https://example.org/x">more</a></body></html>
"""


def checkout(root: Path) -> Path:
    """A project's sources, brand and font, as a folder built in."""
    (root / "docs/source/images").mkdir(parents=True)
    (root / "docs/source/images/cut.svg").write_text("<svg>cut</svg>")
    (root / "docs/source/images/tint.png").write_bytes(b"\x89PNG tint")
    (root / "brand").mkdir()
    (root / "brand/logo.svg").write_text("<svg>logo</svg>")
    (root / "fonts").mkdir()
    (root / "fonts/Brand.ttf").write_bytes(b"font bytes")
    return root


def job_in(root: Path, **settings) -> tuple[Job, str]:
    html = HTML.format(src=(root / "docs/source").as_uri(), brand=(root / "brand").as_uri(),
                       font=(root / "fonts/Brand.ttf").as_uri())
    print_html = root / "_build/pdf/.print/clinic/cut-handout.html"
    roots = (root / "docs/source", root / "brand", root / "fonts", print_html.parent.parent)
    job = Job("cut", "clinic", "handout", print_html, root / "_build/pdf/clinic/cut-handout.pdf",
              root / "_build/pdf/.scratch", roots, **settings)
    return job, html


def key_of(root: Path, html: str | None = None, **settings) -> str:
    job, default = job_in(root, **settings)
    return keys.key(job, html or default, Digests(root / "digests.json"))


@pytest.fixture
def project(tmp_path) -> Path:
    return checkout(tmp_path / "one")


def test_every_file_the_print_html_loads_is_found(project):
    _, html = job_in(project)
    found = keys.loaded_files(html)
    assert found == [project / "fonts/Brand.ttf", project / "docs/source/images/tint.png",
                     project / "brand/logo.svg", project / "docs/source/images/cut.svg"]


@pytest.mark.parametrize("change", ["text", "image", "css image", "logo", "font"])
def test_each_input_changes_the_key(project, change):
    before = key_of(project)
    _, html = job_in(project)
    if change == "text":
        html = html.replace("Wash your hands.", "Wash your hands well.")
    else:
        file = {"image": "docs/source/images/cut.svg", "css image": "docs/source/images/tint.png",
                "logo": "brand/logo.svg", "font": "fonts/Brand.ttf"}[change]
        with open(project / file, "ab") as f:
            f.write(b" ")
    assert key_of(project, html) != before


def test_render_settings_and_versions_change_the_key(project, monkeypatch):
    plain = key_of(project)
    assert key_of(project, page_budget=2) != plain
    assert key_of(project, sheet=Sheet("letter")) != plain
    assert key_of(project, column_langs=("en-US", "es-US")) != plain
    assert key_of(project, allowed_urls=("https://cdn.example.org/",)) != plain
    # the time and memory limits are not settings of the job: they never change a PDF
    monkeypatch.setattr(keys, "printing_versions", lambda: "weasyprint 99.0")
    assert key_of(project) != plain


def test_printing_versions_name_what_prints():
    versions = keys.printing_versions()
    for name in ("carepress", "printing code", "weasyprint", "pydyf", "fonttools",
                 "libpango", "fonts"):
        assert name in versions


def test_same_inputs_elsewhere_or_later_same_key(project, tmp_path):
    before = key_of(project)
    elsewhere = tmp_path / "another" / "checkout"
    shutil.copytree(project, elsewhere)
    for path in elsewhere.rglob("*"):
        os.utime(path, ns=(1, 10**18))  # a fresh checkout: every file's time is new
    assert key_of(elsewhere) == before


def test_a_pdf_is_reused_only_for_its_own_key(project):
    job, html = job_in(project)
    job.pdf.parent.mkdir(parents=True)
    job.html.parent.mkdir(parents=True)
    job.pdf.write_bytes(b"%PDF printed from the first text")
    cache = project / "_build/cache/pdf"
    first = Job(**{**job.__dict__, "key": key_of(project), "cache": cache})
    keys.remember(first)
    assert keys.reuse(first)
    edited = html.replace("Wash your hands.", "Wash your hands well.")
    second = Job(**{**first.__dict__, "key": key_of(project, edited)})
    assert not keys.reuse(second), "a PDF was reused for another text"
    keys.forget(second)  # printing the second: the first key no longer claims the PDF
    new = job.pdf.with_suffix(".tmp")
    new.write_bytes(b"%PDF printed from the second text")
    os.replace(new, job.pdf)  # as the worker puts a PDF in place (render.py)
    keys.remember(second)
    assert keys.reuse(first)  # back to the first text: its PDF comes from the cache
    assert job.pdf.read_bytes() == b"%PDF printed from the first text"


def test_the_print_shop_edition_has_its_own_key(project):
    """The PDF/X edition beside a brochure never reuses the brochure's PDF, nor one of
    another bleed; its sRGB profile (put in by the worker, not the HTML) is an input."""
    plain = key_of(project)
    shop = key_of(project, variant=PRINT_SHOP, bleed=9.0)
    assert shop != plain and shop != key_of(project, variant=PRINT_SHOP, bleed=4.5)
    job, _ = job_in(project, variant=PRINT_SHOP)
    assert SRGB_PROFILE in job.worker_files()


def test_digests_by_another_hash_and_name(tmp_path):
    """The FHIR Bundle's SHA-1 of each PDF (site/fhir.py) is remembered like the keys'
    sha256, under a name that stays when the staged site's folder does not."""
    import hashlib
    pdf = tmp_path / ".html.123/pdf/clinic/cut-handout.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF one")
    os.utime(pdf, ns=(10**18, 10**18 - 10**10))  # not written just now: remembered
    sha1 = Digests(tmp_path / "sha1.json", "sha1")
    assert sha1.of(pdf, name="clinic//pdf/clinic/cut-handout.pdf") == \
        hashlib.sha1(b"%PDF one").hexdigest()
    assert "clinic//pdf/clinic/cut-handout.pdf" in sha1.known
