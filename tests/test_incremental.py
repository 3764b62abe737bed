"""Rebuilds: only what changed is printed again; the same sources give the same bytes."""

from __future__ import annotations

import shutil

import pytest

from helpers import Project, basic_project


@pytest.fixture(scope="module")
def two_by_two(tmp_path_factory):
    """Two topics, two brands, built once for the module. Each test makes its change and
    builds again, so it leaves every brochure up to date for the next."""
    project = basic_project(tmp_path_factory.mktemp("incremental") / "proj")
    project.add_topic("second", (project.path / "basic.md").read_text().replace(
        "title: Caring for a small cut", "title: Caring for a graze"))
    brands = project.path / "_brands"
    shutil.copytree(brands / "testclinic", brands / "otherclinic")
    project.edit("_brands/otherclinic/brand.toml", "Testville Health Centre", "Otherton Clinic")
    project.edit("conf.py", 'carepress_brands = ["testclinic"]',
                 'carepress_brands = ["testclinic", "otherclinic"]')
    run = project.build()
    assert run.returncode == 0, run.output
    return project


def stamps(project) -> dict[str, int]:
    return {f"{b}/{t}": project.pdf(t, b).stat().st_mtime_ns
            for b in ("testclinic", "otherclinic") for t in ("basic", "second")}


def changed(before, after) -> set[str]:
    return {k for k in before if before[k] != after[k]}


def test_nothing_changed_prints_nothing(two_by_two):
    before = stamps(two_by_two)
    run = two_by_two.build()
    assert run.returncode == 0 and "brochures are up to date" in run.output, run.output
    assert changed(before, stamps(two_by_two)) == set()


def test_editing_one_topic_prints_only_its_brochures(two_by_two):
    before = stamps(two_by_two)
    two_by_two.edit("second.md", "Wash your hands.", "Wash your hands with soap.")
    run = two_by_two.build()
    assert run.returncode == 0, run.output
    assert changed(before, stamps(two_by_two)) == {"testclinic/second", "otherclinic/second"}


def test_editing_a_brand_prints_only_that_brands_brochures(two_by_two):
    before = stamps(two_by_two)
    two_by_two.edit("_brands/otherclinic/brand.toml", "(555) 123-4567", "(555) 999-0000")
    run = two_by_two.build()
    assert run.returncode == 0, run.output
    assert changed(before, stamps(two_by_two)) == {"otherclinic/basic", "otherclinic/second"}


def test_a_pdf_is_never_older_than_its_topic(two_by_two):
    topic = two_by_two.path / "basic.md"
    topic.touch()  # saved again without a change
    run = two_by_two.build()
    assert run.returncode == 0, run.output
    for brand in ("testclinic", "otherclinic"):
        assert two_by_two.pdf("basic", brand).stat().st_mtime_ns >= topic.stat().st_mtime_ns


def test_same_sources_same_bytes_wherever_built(project, tmp_path):
    # A trifold too (imposed on its sheets), and fallback fonts: Arabic, and a colour emoji
    # (its font re-saved by WeasyPrint, which stamps it with the time unless told not to).
    project.edit("basic.md", 'version: "2.1"\n', 'version: "2.1"\nformats: [handout, trifold]\n')
    project.edit("basic.md", "- [ ] Keep it dry for two days.\n",
                 "- [ ] Keep it dry for two days 🩹 (ضمادة).\n")
    run = project.build()
    assert run.returncode == 0, run.output
    elsewhere = tmp_path / "another" / "checkout"
    shutil.copytree(project.path, elsewhere, ignore=shutil.ignore_patterns("_build"))
    again = Project(elsewhere)
    assert again.build().returncode == 0
    for fmt in ("handout", "trifold"):
        assert project.pdf(fmt=fmt).read_bytes() == again.pdf(fmt=fmt).read_bytes(), fmt
