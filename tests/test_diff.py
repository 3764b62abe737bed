"""`carepress diff` as a reviewer meets it: a real git repository, the base revision
built in its worktree, a one-word edit, and the report and images read back. Plus the
page-by-page rules on PDFs made for the purpose."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

import warm
from helpers import Run

# Enough text for a three-page handout: the edit goes on the last page.
LONG = "\n".join(f"## Part {n}\n\n" + " ".join(
    f"Keep the cut clean and dry on day {n}, and wash your hands before you touch it."
    for _ in range(14)) + "\n" for n in range(1, 6))


def git(path: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=path, check=True, capture_output=True, text=True,
                          env=env).stdout


def diff(project, *args: str) -> Run:
    proc = warm.run(["-m", "carepress.cli", "diff", "--source", ".", *args], cwd=project.path)
    return Run(proc.returncode, proc.stdout + proc.stderr)


def test_one_word_edit_names_only_its_page(project):
    project.edit("basic.md", "## Aftercare\n", LONG + "\n## Aftercare\n")
    git(project.path, "init", "-q", "-b", "main")
    git(project.path, "add", "-A")
    git(project.path, "commit", "-q", "-m", "base")
    git(project.path, "checkout", "-q", "-b", "edit")

    run = diff(project)  # nothing changed yet: builds the base and this revision
    assert run.returncode == 0, run.output
    report = (project.path / "_build/diff/report.md").read_text()
    assert re.search(r"No brochure changed: all 1 are byte-identical to those of the merge "
                     r"base with main \([0-9a-f]{10}\)\.", report), report
    assert (project.path / "_build/diff/.base/_build/pdf/testclinic/basic-handout.pdf").is_file()

    project.edit("basic.md", "Change the dressing every day.", "Change the bandage every day.")
    run = diff(project)
    assert run.returncode == 0, run.output
    assert "base reused" in run.output
    report = (project.path / "_build/diff/report.md").read_text()
    listed = re.findall(r"^- basic handout \(testclinic\): page (\d+) changed$", report, re.M)
    assert len(listed) == 1, report  # one brochure, one page
    pages = int(listed[0])
    assert pages >= 3, "the edit is past the first two pages"
    assert "“dressing” → “bandage”" in report
    html = (project.path / "_build/diff/index.html").read_text()
    for which in ("before", "after", "diff"):
        image = project.path / f"_build/diff/images/testclinic/basic-handout-p{pages}-{which}.png"
        assert image.is_file() and f'src="images/testclinic/{image.name}"' in html
    shown = {p.name for p in (project.path / "_build/diff/images").rglob("*.png")}
    assert shown == {f"basic-handout-p{pages}-{w}.png" for w in ("before", "after", "diff")}


def _pdf(tmp_path: Path, name: str, pages: list[str]) -> Path:
    import weasyprint
    body = "".join(f'<section style="break-after: page"><p>{p}</p></section>' for p in pages)
    path = tmp_path / name / "brand" / "topic-handout.pdf"
    path.parent.mkdir(parents=True)
    weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf(path)
    return path


def test_pages_changed_moved_and_added(tmp_path):
    from carepress.review.compare import compare, differing

    words = [" ".join(f"{w}{i}" for i in range(60)) for w in ("alpha", "bravo", "charlie")]
    _pdf(tmp_path, "before", words)
    # A new page of text after the first: page 2 is new, page 3 holds what page 2 held,
    # page 4 what page 3 held.
    _pdf(tmp_path, "after", [words[0], "A whole new page of advice.", words[1], words[2]])
    found, compared = differing(tmp_path / "before", tmp_path / "after", ("handout",))
    assert compared == 1 and [(b.topic, b.fmt, s) for b, s in found] == \
        [("topic", "handout", "changed")]
    change = compare(found[0][0], "changed", tmp_path / "before", tmp_path / "after")
    assert change.summary() == ("topic handout (brand): page 2 changed, page 3 text moved, "
                                "page 4 added")
    assert change.pages[0].boxes, "the changed region is marked"
    assert any("A whole new page" in line for line in change.pages[0].text_diff)


@pytest.mark.parametrize("numbers, text", [([2], "2"), ([2, 3, 4], "2–4"),
                                           ([1, 3, 4], "1 and 3–4")])
def test_page_ranges(numbers, text):
    from carepress.review.compare import _ranges
    assert _ranges(numbers) == text
