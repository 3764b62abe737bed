"""A fresh checkout with the last build restored (as CI restores its cache) costs what the
change costs: another folder, every file's time new, one topic edited: only that topic is
read again, printed again and written again on the site (sources/clock.py, brochure/keys.py)."""

from __future__ import annotations

import os
import shutil

import sphinx_design

from helpers import Project


def own_packages(project: Project) -> dict:
    return {**os.environ, "PYTHONPATH": str(project.path / ".venv/site-packages")}


def test_a_clone_elsewhere_prints_only_the_changed_topic(project, tmp_path):
    project.write("second.md", (project.path / "basic.md").read_text().replace(
        "title: Caring for a small cut", "title: Caring for a graze"))
    project.edit("index.md", "basic\n", "basic\nsecond\n")
    first = project.carepress_site()
    assert first.returncode == 0, first.output

    # A clone in another folder: every file new (git sets the checkout's time), the
    # build folder restored with its own times (actions/cache keeps them).
    clone = Project(tmp_path / "elsewhere" / "clone")
    shutil.copytree(project.path, clone.path, copy_function=shutil.copy,
                    ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(project.path / "_build", clone.path / "_build", symlinks=True)
    site = clone.path / "_build/html"
    page = (site / "basic.html").stat().st_mtime_ns
    pdf = clone.pdf("basic").stat().st_mtime_ns
    clone.edit("second.md", "Wash your hands.", "Wash your hands with soap.")
    # ...whose packages are installed elsewhere (make puts them in the checkout's .venv):
    # here its own copy of sphinx-design, which names its folder in the site's settings.
    shutil.copytree(os.path.dirname(sphinx_design.__file__),
                    clone.path / ".venv/site-packages/sphinx_design")

    run = clone.carepress_site("-v", env=own_packages(clone))
    assert run.returncode == 0, run.output
    assert "reading sources... [100%] second" in run.output, run.output
    assert "configuration has changed" not in run.output, run.output
    assert "printed 1 brochure(s)" in run.output
    assert clone.pdf("basic").stat().st_mtime_ns == pdf, "an unchanged topic was printed again"
    assert (site / "basic.html").stat().st_mtime_ns == page, "an unchanged page was written"
    assert "soap" in (site / "second.html").read_text()
    assert clone.pdf("basic").read_bytes() == project.pdf("basic").read_bytes()

    # Checked out once more (every file's time new again): the record kept for the
    # topics not read (basic) and made for the one read (second) reads nothing again.
    for path in clone.path.glob("*.md"):
        os.utime(path)
    touched = clone.carepress_site("-v", env=own_packages(clone))
    assert touched.returncode == 0, touched.output
    assert "reading sources" not in touched.output, touched.output
    assert "0 printed" in touched.output, touched.output

    # A PDF removed from _build comes back from the cache of PDFs by key, unprinted.
    clone.pdf("basic").unlink()
    again = clone.carepress_site(env=own_packages(clone))
    assert again.returncode == 0, again.output
    assert "0 printed" in again.output and "1 reused" in again.output, again.output
    assert clone.pdf("basic").read_bytes() == project.pdf("basic").read_bytes()
