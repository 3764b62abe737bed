"""A CI matrix reads once: `carepress build --read-only` leaves the doctrees, and each
`--shard i/n`, in a fresh checkout elsewhere with those doctrees, reads nothing again and
prints a disjoint slice of the topics; together, every brochure."""

from __future__ import annotations

import shutil

from helpers import Project


def test_shards_start_from_one_read(project, tmp_path):
    for name, title in (("second", "Caring for a graze"), ("third", "Caring for a blister")):
        project.write(f"{name}.md", (project.path / "basic.md").read_text().replace(
            "title: Caring for a small cut", f"title: {title}"))
    project.edit("index.md", "basic\n", "basic\nsecond\nthird\n")
    read = project.carepress("--read-only")
    assert read.returncode == 0, read.output
    assert not list((project.path / "_build/pdf").rglob("*.pdf")), "the reading job printed"

    printed: dict[str, bytes] = {}
    for i in (1, 2):
        shard = Project(tmp_path / f"runner{i}" / "checkout")  # a fresh checkout, new times
        shutil.copytree(project.path, shard.path, copy_function=shutil.copy,
                        ignore=shutil.ignore_patterns("_build"))
        shutil.copytree(project.path / "_build/doctrees", shard.path / "_build/doctrees")
        run = shard.carepress("--shard", f"{i}/2", "-v")
        assert run.returncode == 0, run.output
        assert "0 added, 0 changed, 0 removed" in run.output, run.output  # nothing read again
        mine = {p.name: p.read_bytes() for p in (shard.path / "_build/pdf").rglob("*.pdf")}
        assert mine and not set(mine) & set(printed), "shards overlap"
        printed |= mine
    assert sorted(printed) == ["basic-handout.pdf", "second-handout.pdf", "third-handout.pdf"]
