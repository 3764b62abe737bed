"""The staged site starts from the site the last swap replaced and is brought up to date
with the live one entry by entry (site/staging.py): what a build changed, added or removed
is the same in the copy as live, shared where it may be, and the live site is never
written into."""

from __future__ import annotations

import os
from pathlib import Path

from carepress import outputs
from carepress.site import staging


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def write_new(path: Path, text: str) -> None:
    """As Sphinx writes after staging.unshare_*: a new file, never into a shared one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging._unshare(path)
    path.write_text(text)


def test_each_build_copies_only_what_the_last_one_changed(tmp_path):
    build = tmp_path / "_build"
    first = staging.stage(build)
    for name in ("a.html", "b.html", "_sources/a.md.txt", "_static/furo.css", "objects.inv",
                 "pdf/clinic/a-handout.pdf", "es/a.html", "es/_static/furo.css"):
        write_new(first / name, f"{name} 1")
    staging.swap(first, build)
    live = outputs.site_dir(build)

    second = staging.stage(build)  # a full copy: no earlier site yet
    assert tree(second) == tree(live)
    assert os.stat(second / "b.html").st_ino == os.stat(live / "b.html").st_ino
    assert os.stat(second / "objects.inv").st_ino != os.stat(live / "objects.inv").st_ino
    write_new(second / "a.html", "a.html 2")
    write_new(second / "_sources/a.md.txt", "source 2")
    write_new(second / "objects.inv", "objects.inv 2")
    write_new(second / "c.html", "c.html 2")
    (second / "es/a.html").unlink()
    staging.swap(second, build)
    assert outputs.previous_site_dir(build).is_dir(), "the replaced site is not kept"

    with open(live / "b.html") as reader:  # a reader has a live page open
        third = staging.stage(build)  # from the replaced site, brought up to date
        assert not outputs.previous_site_dir(build).exists()
        assert tree(third) == tree(live)
        for name in ("a.html", "b.html", "c.html", "_sources/a.md.txt"):
            assert os.stat(third / name).st_ino == os.stat(live / name).st_ino, name
        for name in ("objects.inv", "_static/furo.css", "es/_static/furo.css"):
            assert os.stat(third / name).st_ino != os.stat(live / name).st_ino, name
        write_new(third / "b.html", "b.html 3")
        assert reader.read() == "b.html 1"
    staging.swap(third, build)
    assert (live / "b.html").read_text() == "b.html 3"
    assert tree(staging.stage(build)) == tree(live)
