"""The sidebar navigation carepress builds once per folder equals furo's own, page by page.

Also the canary of compat.furo_navigation_tree: it reads furo's own private
``_compute_navigation_tree`` to know what furo would have written."""

from __future__ import annotations

from furo import _compute_navigation_tree
from sphinx.application import Sphinx


def test_sidebar_navigation_equals_furos_on_every_page(project, tmp_path):
    project.edit("index.md", "basic\n", "basic\nplain\ngroup/index\n")
    project.write("plain.md", "# A plain page\n\nText.\n\n## A section\n\nMore.\n")
    project.write("group/index.md", "# A group\n\n```{toctree}\n:caption: In the group\n"
                  "first\nsecond\n```\n")
    project.write("group/first.md", "# First in the group\n\n```{toctree}\n:hidden:\n"
                  "deeper\n```\n")
    project.write("group/deeper.md", "# Deeper still\n\nText.\n")
    project.write("group/second.md", "# Second in the group\n\nSee [plain](../plain.md).\n")
    app = Sphinx(project.path, project.path, tmp_path / "html", tmp_path / "doctrees", "html",
                 status=None, warning=None, freshenv=True)
    app.build()

    pages = sorted(app.env.found_docs)
    assert len(pages) == 7
    from carepress.site import navigation
    cache = navigation.templates[app.builder]
    assert set(cache) == {"", "group"}, "the navigation was not built once per folder"
    for page in pages:
        furo = _compute_navigation_tree(
            {"toctree": lambda **kw: app.builder._get_local_toctree(page, **kw)})
        written = (tmp_path / "html" / f"{page}.html").read_text(encoding="utf-8")
        assert "current-page" in furo or page == "index"
        assert furo in written, f"{page}: the sidebar differs from furo's"


def test_the_kept_navigation_follows_the_titles(project, tmp_path):
    """The tree kept between builds serves an edit that changes no title, and is made
    again when a title changes (its key holds every title as the tree shows it)."""
    from carepress.site import navigation
    project.edit("index.md", "basic\n", "basic\nplain\n")
    project.write("plain.md", "# A plain page\n\nText.\n")

    def build():
        Sphinx(project.path, project.path, tmp_path / "html", tmp_path / "doctrees", "html",
               status=None, warning=None).build()
        return (tmp_path / "doctrees" / navigation.SAVED).stat().st_mtime_ns

    kept = build()
    project.edit("plain.md", "Text.\n", "Text, and more of it.\n")
    assert build() == kept, "an edit that changes no title made the navigation again"
    project.edit("plain.md", "# A plain page", "# A page with a new title")
    assert build() != kept, "a new title did not make the navigation again"
    index = (tmp_path / "html/index.html").read_text(encoding="utf-8")
    assert "A page with a new title" in index and "A plain page" not in index
