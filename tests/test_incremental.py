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


def test_same_sources_same_bytes_wherever_built(basic_build, tmp_path):
    """The sources of conftest.basic_build, copied elsewhere and built again: every
    brochure, in every format, has the same bytes."""
    again = Project.copy_of(basic_build.path, tmp_path / "another" / "checkout",
                            ignore=shutil.ignore_patterns("_build"))
    run = again.carepress()
    assert run.returncode == 0, run.output
    built = sorted(p.relative_to(basic_build.path)
                   for p in (basic_build.path / "_build/pdf").glob("*/*.pdf"))
    assert len(built) == 3
    for pdf in built:
        assert (basic_build.path / pdf).read_bytes() == (again.path / pdf).read_bytes(), pdf
