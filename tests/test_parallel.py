"""Parallel, sharded and parallel-read builds give the same brochures as a plain one."""

from __future__ import annotations

import shutil

import pytest

from helpers import Project, basic_project, pdf_text


def with_three_topics(project: Project) -> Project:
    for name, title in (("second", "Caring for a graze"), ("third", "Caring for a blister")):
        project.write(f"{name}.md", (project.path / "basic.md").read_text().replace(
            "title: Caring for a small cut", f"title: {title}"))
    project.edit("index.md", "basic\n", "basic\nsecond\nthird\n")
    return project


@pytest.fixture
def three_topics(project):
    return with_three_topics(project)


def pdfs(project) -> dict[str, bytes]:
    root = project.path / "_build/pdf"
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.glob("*/*.pdf"))}


@pytest.fixture(scope="module")
def one_and_two_workers(tmp_path_factory):
    """The three topics built by one worker and, in another copy, by two."""
    base = tmp_path_factory.mktemp("parallel")
    one = with_three_topics(basic_project(base / "one"))
    two = with_three_topics(basic_project(base / "two"))
    return one, one.build("brochure", "-D", "carepress_jobs=1"), \
        two, two.build("brochure", "-D", "carepress_jobs=2")


def test_one_worker_or_two_same_pdfs_same_messages(one_and_two_workers):
    one_project, one, other, two = one_and_two_workers
    assert one.returncode == two.returncode == 0, one.output + two.output
    assert pdfs(one_project) == pdfs(other) and len(pdfs(other)) == 3

    def messages(run):  # what a writer reads, without timings and worker counts
        return [line for line in run.output.splitlines()
                if "ERROR" in line or "WARNING" in line]
    assert messages(one) == messages(two)


def test_shards_are_disjoint_and_add_up_to_the_full_build(one_and_two_workers, tmp_path):
    full, run, *_ = one_and_two_workers
    assert run.returncode == 0
    union: dict[str, bytes] = {}
    for i in (1, 2):
        shard = Project.copy_of(full.path, tmp_path / f"shard{i}",
                                ignore=shutil.ignore_patterns("_build"))
        run = shard.build("brochure", "-D", f"carepress_shard={i}/2")
        assert run.returncode == 0, run.output
        mine = pdfs(shard)
        assert mine and not set(mine) & set(union), "shards overlap"
        union |= mine
    assert union == pdfs(full)


def test_parallel_reading_still_fails_on_a_bad_topic(three_topics):
    three_topics.edit("third.md", "reviewed: 2026-10-01", "reviewed: someday")
    run = three_topics.build("brochure", "-j", "2")
    assert run.returncode != 0, run.output
    assert "third.md:4: ERROR: 'reviewed: someday' is not a date" in run.output
    assert three_topics.pdf("basic").exists() and three_topics.pdf("second").exists()
    assert not three_topics.pdf("third").exists()


def test_brochures_print_while_the_site_builds(three_topics):
    """`carepress build` prints during the site build; what printing finds still fails it."""
    run = three_topics.carepress_site()
    assert run.returncode == 0, run.output
    assert "printing 3 brochure(s) with 2 worker(s) while the site is built" in run.output
    assert "printed 3 brochure(s)" in run.output
    site = three_topics.path / "_build/html"
    for name in ("basic", "second", "third"):  # every PDF is in the site, whole
        copied = site / f"pdf/testclinic/{name}-handout.pdf"
        assert copied.read_bytes() == three_topics.pdf(name).read_bytes()
    before = (site / "third.html").read_bytes()

    three_topics.edit("third.md", 'version: "2.1"', 'version: "2.1"\npage_budget: 1')
    three_topics.edit("third.md", "Wash your hands.", "Wash your hands well.")
    run = three_topics.carepress_site()
    assert run.returncode == 1, run.output
    assert "third does not fit its page budget" in run.output
    assert (site / "third.html").read_bytes() == before, "a failed build replaced the site"
    assert not list((three_topics.path / "_build").glob(".html.*")), "a half-built site was left"


def test_brochures_are_finished_when_the_site_build_cannot_start(three_topics):
    """A site build that stops before its end (here: a theme that does not exist) still
    leaves every brochure whole, and the build fails."""
    three_topics.edit("conf.py", 'html_theme = "furo"', 'html_theme = "no_such_theme"')
    run = three_topics.carepress_site()
    assert run.returncode != 0, run.output
    assert "no_such_theme" in run.output
    for name in ("basic", "second", "third"):
        assert pdf_text(three_topics.pdf(name)).startswith("Caring for a")
    assert not list((three_topics.path / "_build").rglob("*.tmp"))
