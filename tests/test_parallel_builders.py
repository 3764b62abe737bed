"""carepress's builders as a clinic's CI may call them, straight through Sphinx with
parallel jobs (-j 2): the extension says it is safe for parallel reading and writing,
and these show it (the brochure builder's -j reading is in test_parallel.py)."""

from __future__ import annotations



def more_topics(project, n: int = 3) -> None:
    """Enough documents for Sphinx to split the work between jobs."""
    for i in range(n):
        project.write(f"extra{i}.md", (project.path / "basic.md").read_text().replace(
            "title: Caring for a small cut", f"title: Caring for graze {i}"))
    project.edit("index.md", "basic\n", "basic\n" + "".join(f"extra{i}\n" for i in range(n)))


def test_parallel_check_still_fails_on_a_broken_topic(project):
    """The check builder writes one document after another even with -j (it collects
    findings in its own process); in parallel it passed a broken topic and exited 0."""
    more_topics(project)
    project.edit("extra1.md", "Wash your hands.", "Wash your hnads. It is painless.")
    project.edit("extra2.md", "reviewed: 2026-10-01\nnext_review: 2027-10-01",
                 "reviewed: 2024-10-01\nnext_review: 2025-10-01")
    run = project.build("carepress-check", "-j", "2", "-D", "carepress_today=2026-11-24",
                        "-D", "carepress_checks=spelling,claims,review")
    assert run.returncode == 1, run.output
    assert "extra1.md:" in run.output and "spelling: 'hnads' is not in the dictionary" in run.output
    assert "safe claims: 'painless' must not be said to patients" in run.output
    assert "extra2.md:" in run.output and "review: overdue since 2025-10-01" in run.output
    report = (project.path / "_build/carepress-check/report.md").read_text(encoding="utf-8")
    assert "carepress check FAILED: 3 error(s)" in report


def test_parallel_site_is_the_site(project):
    more_topics(project)
    run = project.build("html", "-j", "2", "-W", "--keep-going",
                        "-D", "suppress_warnings=carepress.pdf")  # no brochures printed here
    assert run.returncode == 0, run.output
    for name in ("basic", "extra0", "extra1", "extra2"):
        page = (project.path / f"_build/html/{name}.html").read_text(encoding="utf-8")
        assert f'href="pdf/testclinic/{name}-handout.pdf"' in page, name  # downloads
        assert "Testville Health Centre" in page and "(555) 123-4567" in page  # clinic fields
        assert "carepress-root:" not in page and 'src="_static/logo.svg"' in page
        assert "Tabbed advice for children." in page
