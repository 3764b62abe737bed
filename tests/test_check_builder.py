"""The check builder as a clinic's CI may call it, straight through Sphinx: with parallel
jobs (-j 2) it still reports every finding and fails, as `make check` does."""

from __future__ import annotations



def test_parallel_check_still_fails_on_a_broken_topic(project):
    for n in range(3):  # enough documents for Sphinx to split the writing between jobs
        project.write(f"extra{n}.md", (project.path / "basic.md").read_text().replace(
            "title: Caring for a small cut", f"title: Caring for graze {n}"))
    project.edit("index.md", "basic\n", "basic\nextra0\nextra1\nextra2\n")
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
