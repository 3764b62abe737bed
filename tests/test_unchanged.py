"""Nothing changed: `carepress build` says so before it starts Sphinx (unchanged.py), and
never when any input or output changed: each kind is changed in turn."""

from __future__ import annotations

import os
import shutil

import pytest

from carepress import digests, unchanged
from carepress.pipeline import Options
from helpers import ROOTS


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    """A project, a fake carepress, font folder and site-packages; the fingerprint of
    everything as it is."""
    project = tmp_path / "proj"
    shutil.copytree(ROOTS / "test-basic", project)
    (project / "_build/pdf/testclinic").mkdir(parents=True)
    (project / "_build/pdf/testclinic/basic-handout.pdf").write_bytes(b"%PDF")
    for name in ("package", "fonts", "lib-packages/weasyprint-70.0.dist-info"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "package/render.py").write_text("# the printing code\n")
    (tmp_path / "fonts/Noto.ttf").write_bytes(b"font")
    monkeypatch.setattr(unchanged, "PACKAGE", tmp_path / "package")
    monkeypatch.setattr(digests, "FONT_FOLDERS", (tmp_path / "fonts",))
    monkeypatch.syspath_prepend(str(tmp_path / "lib-packages"))
    monkeypatch.chdir(project)
    options = Options(source=".")

    def fingerprint(**changed) -> str:
        opts = Options(**{**options.__dict__, **changed})
        return unchanged.inputs(opts, opts.fingerprint())
    fingerprint.project, fingerprint.tmp = project, tmp_path
    fingerprint.first = fingerprint()
    return fingerprint


def test_the_same_inputs_twice_are_the_same(inputs):
    assert inputs() == inputs.first
    unchanged.remember(inputs.project / "_build", inputs.first, {"brochures": 1})
    assert unchanged.same_as_last(inputs.project / "_build", inputs()) is not None


def test_new_file_times_alone_are_no_change(inputs):
    for path in inputs.project.rglob("*.md"):
        os.utime(path, ns=(1, 10**18))  # a fresh checkout
    assert inputs() == inputs.first


@pytest.mark.parametrize("change", [
    "topic", "image", "conf.py", "brand", "catalogue", "new topic", "word list"])
def test_each_project_file_counts(inputs, change):
    project = inputs.project
    if change == "new topic":
        (project / "other.md").write_text("---\ntitle: Other\n---\n")
    elif change == "catalogue":
        (project / "locales/es/LC_MESSAGES").mkdir(parents=True)
        (project / "locales/es/LC_MESSAGES/basic.po").write_text('msgid ""\nmsgstr ""\n')
    else:
        name = {"topic": "basic.md", "image": "images/dot.svg", "conf.py": "conf.py",
                "brand": "_brands/testclinic/brand.toml",
                "word list": "spelling_wordlist.txt"}[change]
        with open(project / name, "a", encoding="utf-8") as f:
            f.write("\n")
    assert inputs() != inputs.first


def test_options_environment_and_what_prints_count(inputs, monkeypatch):
    assert inputs(lenient=True) != inputs.first
    assert inputs(brand="testclinic") != inputs.first
    assert inputs(jobs=1, verbose=1, quiet=True, progress=True) == inputs.first  # no output
    (inputs.tmp / "package/render.py").write_text("# the printing code, changed\n")
    assert inputs() != inputs.first
    (inputs.tmp / "package/render.py").write_text("# the printing code\n")
    (inputs.tmp / "fonts/Other.ttf").write_bytes(b"another font")
    assert inputs() != inputs.first
    (inputs.tmp / "fonts/Other.ttf").unlink()
    (inputs.tmp / "lib-packages/weasyprint-70.0.dist-info").rename(
        inputs.tmp / "lib-packages/weasyprint-71.0.dist-info")
    assert inputs() != inputs.first
    (inputs.tmp / "lib-packages/weasyprint-71.0.dist-info").rename(
        inputs.tmp / "lib-packages/weasyprint-70.0.dist-info")
    monkeypatch.setenv("CAREPRESS_PDF_CACHE", "/elsewhere")
    assert inputs() != inputs.first
    monkeypatch.delenv("CAREPRESS_PDF_CACHE")
    assert inputs() == inputs.first


def test_an_output_removed_or_added_counts(inputs):
    build = inputs.project / "_build"
    unchanged.remember(build, inputs.first, {})
    (build / "pdf/testclinic/basic-handout.pdf").unlink()
    assert unchanged.same_as_last(build, inputs.first) is None
    unchanged.remember(build, inputs.first, {})
    (build / "pdf/testclinic/extra.pdf").write_bytes(b"%PDF")
    assert unchanged.same_as_last(build, inputs.first) is None


def test_a_build_with_nothing_changed_stops_before_sphinx(project):
    first = project.carepress_site()
    assert first.returncode == 0, first.output
    again = project.carepress_site()
    assert again.returncode == 0, again.output
    assert "nothing changed since the last build" in again.output
    assert "Sphinx" not in again.output
    project.edit("basic.md", "Wash your hands.", "Wash your hands with soap.")
    edited = project.carepress_site()
    assert "nothing changed" not in edited.output
    assert "printed 1 brochure(s)" in edited.output, edited.output
