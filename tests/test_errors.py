"""Bad input: one clear message naming the file (and line), a non-zero exit, and the
previous good PDF left exactly as it was.

These are the tests of the error catalogue in README.md ("When the build fails"): each
entry there has one here that triggers it and checks the message and the exit code
(1: a topic has a problem, the others still print; 2: the build cannot start).

Like Sphinx's own test of its warnings, the topic errors share one project: every broken
topic of the catalogue beside a good one. One `sphinx-build` names every error, and one
`carepress build` (warnings are errors, as `make` builds) every error and warning: a
writer learns of every problem at once, the build exits 1, and the good topic still
prints. The errors that stop a build before it starts (exit 2) cannot share a build;
each runs on a copy of a good build.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

from helpers import Project, Run, basic_project, line_of, pdf_text

# Each topic of the broken project is the basic topic, up to its figure and then from the
# clinic's name on (short, below), with one mistake: (old, new) edits.
ERRORS = {  # reported by `sphinx-build` too, warnings as errors or not
    "missing-image": [("images/dot.svg", "images/no-such-picture.svg")],
    "not-yaml": [("reviewer: Clinical lead, nursing", "reviewer: Clinical lead: nursing")],
    "not-a-date": [("reviewed: 2026-10-01", "reviewed: last autumn")],
    "misspelt-key": [("version:", "verison:")],
    "outside-image": [("images/dot.svg", "../outside.svg")],
    "remote-image": [("images/dot.svg", "https://example.org/dot.svg")],
    "raw-html": [("Wash your hands.", "Wash your <u>hands</u>.")],
    "long-word": [("Wash your hands.", "Wash your " + "h" * 1200 + ".")],
}
WARNINGS = {  # warnings: errors when `make` builds (warnings as errors)
    "misspelt-directive": [(":::{call-us}", ":::{cal-us}"), ("{clinic}`name`", "{clinc}`name`")],
    "broken-reference": [("Our clinic,", "See [aftercare](aftercare.md). Our clinic,")],
}


@dataclass
class Broken:
    project: Project
    kept: dict  # topic -> (bytes, mtime) of its good PDF
    plain: Run  # `sphinx-build -b brochure` with every topic of ERRORS broken
    printed: str  # the good topic's handout after it, as text
    strict: Run  # `carepress build --pdf-only` with every topic of ERRORS and WARNINGS broken
    again: Run  # the same once more: what is not fixed is reported again

    def line(self, topic: str, needle: str) -> int:
        return line_of((self.project.path / f"{topic}.md").read_text(encoding="utf-8"), needle)

    def reported(self, topic: str, message: str) -> None:
        """``message`` is in both builds' output, each exits 1, and ``topic``'s previous
        PDF is kept."""
        for run in (self.plain, self.strict):
            assert run.returncode == 1
            assert message in run.output, run.output
        self.assert_kept(topic)

    def assert_kept(self, topic: str) -> None:
        assert_kept(self.project.pdf(topic), *self.kept[topic])


def assert_kept(pdf, data, mtime):
    assert pdf.read_bytes() == data
    assert pdf.stat().st_mtime_ns == mtime
    assert not list(pdf.parent.glob("*.tmp")), "a temporary file was left behind"


def break_topics(project: Project, edits: dict) -> None:
    for topic, changes in edits.items():
        for old, new in changes:
            project.edit(f"{topic}.md", old, new)


def short(basic: str) -> str:
    """The basic topic without its aftercare, tabs, dropdown and cards: every line the
    mistakes edit, at the same line numbers, in fewer pages for the good build to print
    (it prints each broken topic once, for its PDF to be kept)."""
    lines = basic.splitlines(keepends=True)
    aftercare, clinic = lines.index("## Aftercare\n"), line_of(basic, "Our clinic,") - 1
    return "".join(lines[:aftercare] + lines[clinic:])


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Broken:
    project = basic_project(tmp_path_factory.mktemp("broken") / "proj")
    basic = short((project.path / "basic.md").read_text(encoding="utf-8"))
    for topic in [*ERRORS, *WARNINGS]:
        project.add_topic(topic, basic)
    (project.path.parent / "outside.svg").write_text((project.path / "images/dot.svg").read_text())
    good = project.build()
    assert good.returncode == 0, good.output
    kept = {t: (project.pdf(t).read_bytes(), project.pdf(t).stat().st_mtime_ns)
            for t in [*ERRORS, *WARNINGS]}

    break_topics(project, ERRORS)
    project.edit("basic.md", "Wash your hands.", "Wash your hands with soap.")
    plain = project.build()
    printed = " ".join(pdf_text(project.pdf()).split())
    break_topics(project, WARNINGS)
    project.edit("basic.md", "with soap.", "with soap and water.")
    strict = project.carepress()
    return Broken(project, kept, plain, printed, strict, project.carepress())


def test_every_topic_error_is_reported_in_one_build(broken):
    """The good topic still prints, in each build, while every broken one is named."""
    plain, strict, again = broken.plain, broken.strict, broken.again
    assert plain.returncode == strict.returncode == again.returncode == 1
    for run in (plain, strict, again):
        assert "Traceback" not in run.output
        for topic in ERRORS:
            assert f"{topic}.md:" in run.output, (topic, run.output)
    for topic in WARNINGS:
        assert f"{topic}.md:" in strict.output and f"{topic}.md:" in again.output, topic
    assert "Wash your hands with soap." in broken.printed, "the good topic was printed"
    text = " ".join(pdf_text(broken.project.pdf()).split())
    assert "Wash your hands with soap and water." in text, "and printed again"


def test_missing_image(broken):
    message = "missing-image.md:29: ERROR: image 'images/no-such-picture.svg' was not found"
    assert broken.plain.returncode == 1
    assert message in broken.plain.output
    # With warnings as errors, Sphinx's own warning as it reads the topic ("image file not
    # readable") stops the topic first, so only that one names the line.
    assert "missing-image.md:29: " in broken.strict.output
    broken.assert_kept("missing-image")


def test_front_matter_not_yaml(broken):
    broken.reported("not-yaml", "not-yaml.md:6: ERROR: the front matter is not valid YAML")


def test_front_matter_date_not_a_date(broken):
    broken.reported("not-a-date", "not-a-date.md:4: ERROR: 'reviewed: last autumn' is not a "
                                  "date. Write it as YYYY-MM-DD")


def test_unknown_front_matter_key(broken):
    broken.reported("misspelt-key", "misspelt-key.md:7: ERROR: unknown front-matter key "
                                    "'verison'. Did you mean 'version'?")


def test_image_outside_the_project_is_refused(broken):
    broken.reported("outside-image", "outside-image.md:29: ERROR: image '../outside.svg' is "
                                     "outside the project")
    assert "Copy it into docs/source/images/" in broken.plain.output


def test_remote_image(broken):
    broken.reported("remote-image", "remote-image.md:29: ERROR: image "
                    "'https://example.org/dot.svg' is on the web; a brochure may only use "
                    "images stored beside the topic. Download it into docs/source/images/")


def test_unknown_directive_and_role(broken):
    directive = (f"misspelt-directive.md:{broken.line('misspelt-directive', '{cal-us}')}: "
                 "WARNING: Unknown directive type: 'cal-us'. Did you mean 'call-us'? Check the "
                 "spelling of the directive")
    role = (f"misspelt-directive.md:{broken.line('misspelt-directive', '{clinc}')}: WARNING: "
            "Unknown interpreted text role \"clinc\". Did you mean 'clinic'? Check the spelling "
            "of the role")
    assert broken.strict.returncode == 1
    assert directive in broken.strict.output
    assert role in broken.strict.output
    broken.assert_kept("misspelt-directive")
    # reported again, not forgotten, until it is fixed
    again = broken.again
    assert again.returncode == 1 and "Unknown directive type: 'cal-us'" in again.output


def test_broken_cross_reference(broken):
    message = (f"broken-reference.md:{broken.line('broken-reference', 'aftercare.md')}: WARNING: "
               "'myst' cross-reference target not found: 'aftercare.md'. Nothing has that name: "
               "link to another topic by its file name")
    assert broken.strict.returncode == 1
    assert message in broken.strict.output
    broken.assert_kept("broken-reference")


def test_raw_html_refused(broken):
    broken.reported("raw-html", f"raw-html.md:{broken.line('raw-html', '<u>')}: ERROR: raw HTML "
                    "is turned off: '<u>' is not printed or published. Write it in Markdown "
                    "instead")


def test_word_too_long(broken):
    broken.reported("long-word", f"long-word.md:{broken.line('long-word', 'hhhh')}: ERROR: a "
                    "word of more than 1000 characters ('hhhhhhhh")
    assert "cannot be printed. Break it up with spaces." in broken.plain.output


# -- the build cannot start (exit 2) ---------------------------------------------------
@pytest.fixture
def built(basic_build, tmp_path):
    """A copy of a good build (sources and _build); its handout PDF, bytes and mtime."""
    project = Project.copy_of(basic_build.path, tmp_path / "proj")
    pdf = project.pdf()
    return project, pdf, pdf.read_bytes(), pdf.stat().st_mtime_ns


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


@pytest.fixture(scope="module")
def not_toml(basic_build, tmp_path_factory):
    """A copy of a good build whose brand.toml is not TOML, built as `make` does and with
    -v: (the run, the run with -v, the handout PDF and its bytes and mtime before)."""
    project = Project.copy_of(basic_build.path, tmp_path_factory.mktemp("not-toml") / "proj")
    pdf = project.pdf()
    data, mtime = pdf.read_bytes(), pdf.stat().st_mtime_ns
    project.edit("_brands/testclinic/brand.toml", "[contact]", "[contact")
    return project.carepress(), project.carepress("-v"), pdf, data, mtime


def test_brand_file_not_toml(not_toml):
    run, _, pdf, data, mtime = not_toml
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


def test_traceback_only_when_asked_for(not_toml):
    quiet, verbose, *_ = not_toml
    assert quiet.returncode == 2 and "Traceback" not in quiet.output
    assert "not valid TOML" in verbose.output and "Traceback" in verbose.output
