"""Bad input: one clear message naming the file (and line), a non-zero exit, and the
previous good PDF left exactly as it was.

These are the tests of the error catalogue in README.md ("When the build fails"): each
entry there has one here that triggers it and checks the message and the exit code
(1: a topic has a problem, the others still print; 2: the build cannot start).
"""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.fixture
def built(project):
    run = project.build()
    assert run.returncode == 0, run.output
    pdf = project.pdf()
    return project, pdf, pdf.read_bytes(), pdf.stat().st_mtime_ns


def line(project, needle: str, name: str = "basic.md") -> int:
    text = (project.path / name).read_text(encoding="utf-8")
    return next(n for n, t in enumerate(text.splitlines(), 1) if needle in t)


def assert_kept(pdf, data, mtime):
    assert pdf.read_bytes() == data
    assert pdf.stat().st_mtime_ns == mtime
    assert not list(pdf.parent.glob("*.tmp")), "a temporary file was left behind"


def test_missing_image(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "images/dot.svg", "images/no-such-picture.svg")
    run = project.build()
    assert run.returncode == 1
    assert "basic.md:29: ERROR: image 'images/no-such-picture.svg' was not found" in run.output
    assert_kept(pdf, data, mtime)


def test_front_matter_not_yaml(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "reviewer: Clinical lead, nursing", "reviewer: Clinical lead: nursing")
    run = project.build()
    assert run.returncode == 1
    assert "basic.md:6: ERROR: the front matter is not valid YAML" in run.output
    assert_kept(pdf, data, mtime)


def test_front_matter_date_not_a_date(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "reviewed: 2026-10-01", "reviewed: last autumn")
    run = project.build()
    assert run.returncode == 1
    assert "basic.md:4: ERROR: 'reviewed: last autumn' is not a date. Write it as YYYY-MM-DD" \
        in run.output
    assert_kept(pdf, data, mtime)


def test_unknown_front_matter_key(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "version:", "verison:")
    run = project.build()
    assert run.returncode == 1
    assert "basic.md:7: ERROR: unknown front-matter key 'verison'. Did you mean 'version'?" \
        in run.output
    assert_kept(pdf, data, mtime)


def test_unknown_brand(built):
    project, pdf, data, mtime = built
    run = project.carepress("--brand", "testclinc")
    assert run.returncode == 2
    assert "unknown brand 'testclinc'" in run.output
    assert "Did you mean 'testclinic'?" in run.output
    assert "Traceback" not in run.output
    assert_kept(pdf, data, mtime)
    # sphinx-build: the same line first, then Sphinx's own report of a configuration error
    bare = project.build("brochure", "-D", "carepress_brands=testclinc")
    assert bare.returncode == 2
    assert "ERROR: unknown brand 'testclinc': there is no" in bare.output.split("Versions")[0]
    assert_kept(pdf, data, mtime)


def test_brand_file_missing_field(built):
    project, pdf, data, mtime = built
    project.edit("_brands/testclinic/brand.toml", 'phone = "(555) 123-4567"\n', "")
    run = project.carepress()
    assert run.returncode == 2
    assert "_brands/testclinic/brand.toml: missing required key 'contact.phone'" in run.output
    assert "Traceback" not in run.output
    assert_kept(pdf, data, mtime)


def test_image_outside_the_project_is_refused(built):
    project, pdf, data, mtime = built
    outside = project.path.parent / "outside.svg"
    outside.write_text((project.path / "images/dot.svg").read_text())
    project.edit("basic.md", "images/dot.svg", "../outside.svg")
    run = project.build()
    assert run.returncode == 1
    assert "basic.md:29: ERROR: image '../outside.svg' is outside the project" in run.output
    assert "Copy it into docs/source/images/" in run.output
    assert_kept(pdf, data, mtime)


def test_remote_image(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "images/dot.svg", "https://example.org/dot.svg")
    run = project.build()
    assert run.returncode == 1
    assert ("basic.md:29: ERROR: image 'https://example.org/dot.svg' is on the web; a "
            "brochure may only use images stored beside the topic. Download it into "
            "docs/source/images/") in run.output
    assert_kept(pdf, data, mtime)


def test_unknown_directive_and_role(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", ":::{call-us}", ":::{cal-us}")
    project.edit("basic.md", "{clinic}`name`", "{clinc}`name`")
    run = project.carepress()
    assert run.returncode == 1
    assert (f"basic.md:{line(project, '{cal-us}')}: WARNING: Unknown directive type: 'cal-us'. Did you mean 'call-us'? "
            "Check the spelling of the directive") in run.output
    assert (f"basic.md:{line(project, '{clinc}')}: WARNING: Unknown interpreted text role \"clinc\". Did you mean "
            "'clinic'? Check the spelling of the role") in run.output
    assert_kept(pdf, data, mtime)
    run = project.carepress()  # reported again, not forgotten, until it is fixed
    assert run.returncode == 1 and "Unknown directive type: 'cal-us'" in run.output


def test_broken_cross_reference(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "Our clinic,", "See [aftercare](aftercare.md). Our clinic,")
    run = project.carepress()
    assert run.returncode == 1
    assert (f"basic.md:{line(project, 'aftercare.md')}: WARNING: 'myst' cross-reference target not found: 'aftercare.md'. "
            "Nothing has that name: link to another topic by its file name") in run.output
    assert_kept(pdf, data, mtime)


def test_brand_file_not_toml(built):
    project, pdf, data, mtime = built
    project.edit("_brands/testclinic/brand.toml", "[contact]", "[contact")
    run = project.carepress()
    assert run.returncode == 2
    assert "_brands/testclinic/brand.toml: not valid TOML (" in run.output
    assert "Traceback" not in run.output
    assert_kept(pdf, data, mtime)


def test_missing_font(built):
    project, pdf, data, mtime = built
    toml = project.path / "_brands/testclinic/brand.toml"
    toml.write_text('font = "Comic Neue"\n' + toml.read_text())
    run = project.carepress()
    assert run.returncode == 2
    assert ("_brands/testclinic/brand.toml: key 'font': no installed font package provides "
            "'Comic Neue'. Install it (for example pip install fontpkg-comic-neue)") in run.output
    assert "Traceback" not in run.output
    assert_kept(pdf, data, mtime)



def test_missing_fallback_font(built):
    """As on a machine where scripts/system-packages.sh has not run: the fonts are hidden."""
    project, pdf, data, mtime = built
    hide = ("import sys; from pathlib import Path; from carepress.brochure import fallback; "
            "fallback.FONT_DIRS = (); fallback.FONT_ROOT = Path('/nonexistent'); "
            "from carepress.cli import main; "
            "sys.exit(main(['build', '--pdf-only', '--source', '.']))")
    proc = subprocess.run([sys.executable, "-c", hide], cwd=project.path, capture_output=True,
                          text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert ("the fallback font NotoSansArabic-Regular.ttf is not installed (looked in "
            "/nonexistent). Install the Debian/Ubuntu package fonts-noto-core") in output
    assert "Traceback" not in output
    assert_kept(pdf, data, mtime)

def test_raw_html_refused(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "Wash your hands.", "Wash your <u>hands</u>.")
    run = project.build()
    assert run.returncode == 1
    assert (f"basic.md:{line(project, '<u>')}: ERROR: raw HTML is turned off: '<u>' is not printed or published. "
            "Write it in Markdown instead") in run.output
    assert_kept(pdf, data, mtime)


def test_traceback_only_when_asked_for(built):
    project, *_ = built
    project.edit("_brands/testclinic/brand.toml", "[contact]", "[contact")
    quiet, verbose = project.carepress(), project.carepress("-v")
    assert quiet.returncode == 2 and "Traceback" not in quiet.output
    assert "not valid TOML" in verbose.output and "Traceback" in verbose.output


def test_word_too_long(built):
    project, pdf, data, mtime = built
    project.edit("basic.md", "Wash your hands.", "Wash your " + "h" * 1200 + ".")
    run = project.build()
    assert run.returncode == 1
    assert (f"basic.md:{line(project, 'hhhh')}: ERROR: a word of more than 1000 characters "
            "('hhhhhhhh") in run.output
    assert "cannot be printed. Break it up with spaces." in run.output
    assert_kept(pdf, data, mtime)
