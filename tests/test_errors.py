"""Bad input: one clear message naming the file (and line), a non-zero exit, and the
previous good PDF left exactly as it was."""

from __future__ import annotations

import pytest


@pytest.fixture
def built(project):
    run = project.build()
    assert run.returncode == 0, run.output
    pdf = project.pdf()
    return project, pdf, pdf.read_bytes(), pdf.stat().st_mtime_ns


def assert_kept(pdf, data, mtime):
    assert pdf.read_bytes() == data
    assert pdf.stat().st_mtime_ns == mtime
    assert not list(pdf.parent.glob("*.tmp")), "a temporary file was left behind"


def test_missing_image(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "images/dot.svg", "images/no-such-picture.svg")
    run = project.build()
    assert run.returncode != 0
    assert "basic.md:29: ERROR: image 'images/no-such-picture.svg' was not found" in run.output
    assert_kept(pdf, data, mtime)


def test_front_matter_not_yaml(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "reviewer: Clinical lead, nursing", "reviewer: Clinical lead: nursing")
    run = project.build()
    assert run.returncode != 0
    assert "basic.md:6: ERROR: the front matter is not valid YAML" in run.output
    assert_kept(pdf, data, mtime)


def test_front_matter_date_not_a_date(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "reviewed: 2026-10-01", "reviewed: last autumn")
    run = project.build()
    assert run.returncode != 0
    assert "basic.md:4: ERROR: 'reviewed: last autumn' is not a date. Write it as YYYY-MM-DD" \
        in run.output
    assert_kept(pdf, data, mtime)


def test_unknown_front_matter_key(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "version:", "verison:")
    run = project.build()
    assert run.returncode != 0
    assert "basic.md:7: ERROR: unknown front-matter key 'verison'. Did you mean 'version'?" \
        in run.output
    assert_kept(pdf, data, mtime)


def test_unknown_brand(built):
    project, pdf, data, mtime = built
    run = project.build("brochure", "-D", "carepress_brands=testclinc")
    assert run.returncode != 0
    assert "unknown brand 'testclinc'" in run.output
    assert "Did you mean 'testclinic'?" in run.output
    assert "Traceback" not in run.output
    assert_kept(pdf, data, mtime)


def test_brand_file_missing_field(built):
    project, pdf, data, mtime = built
    project.edit("_brands/testclinic/brand.toml", 'phone = "(555) 123-4567"\n', "")
    run = project.build()
    assert run.returncode != 0
    assert "_brands/testclinic/brand.toml: missing required key 'contact.phone'" in run.output
    assert "Traceback" not in run.output
    assert_kept(pdf, data, mtime)


def test_image_outside_the_project_is_refused(built):
    project, pdf, data, mtime = built
    outside = project.path.parent / "outside.svg"
    outside.write_text((project.path / "images/dot.svg").read_text())
    project.edit("basic.md", "images/dot.svg", "../outside.svg")
    run = project.build()
    assert run.returncode != 0
    assert "basic.md:29: ERROR: image '../outside.svg' is outside the project" in run.output
    assert "Copy it into docs/source/images/" in run.output
    assert_kept(pdf, data, mtime)
