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


def test_the_brands_sites_are_staged_the_same_way_one_folder_down(tmp_path):
    """_build/sites holds one site per brand (site/brand_sites.py): the same rules apply
    below each brand's folder, and the sites the last swap replaced are kept apart from
    the main site's."""
    build = tmp_path / "_build"
    sites = outputs.sites_dir(build)
    first = staging.stage(build, sites)
    for name in ("north/a.html", "north/_static/furo.css", "north/pdf/north/a-handout.pdf",
                 "north/es/a.html"):
        write_new(first / name, f"{name} 1")
    staging.swap(first, build, sites)
    main_site = staging.stage(build)
    write_new(main_site / "index.html", "index.html 1")
    staging.swap(main_site, build)
    staging.swap(staging.stage(build), build)  # the main site's replaced one is kept too

    second = staging.stage(build, sites)  # a full copy, one folder down
    assert tree(second) == tree(sites)
    assert os.stat(second / "north/a.html").st_ino == os.stat(sites / "north/a.html").st_ino
    assert os.stat(second / "north/_static/furo.css").st_ino != \
        os.stat(sites / "north/_static/furo.css").st_ino
    write_new(second / "north/a.html", "north/a.html 2")
    staging.swap(second, build, sites)
    kept = outputs.previous_site_dir(build, sites)
    assert kept.is_dir() and kept != outputs.previous_site_dir(build)

    third = staging.stage(build, sites)  # from the replaced sites, brought up to date
    assert not kept.exists() and outputs.previous_site_dir(build).is_dir()
    assert tree(third) == tree(sites)
    assert os.stat(third / "north/a.html").st_ino == os.stat(sites / "north/a.html").st_ino
    assert os.stat(third / "north/_static/furo.css").st_ino != \
        os.stat(sites / "north/_static/furo.css").st_ino
