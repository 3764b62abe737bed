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


def test_an_edit_unpickles_the_titles_of_its_neighbours_only(project, tmp_path, monkeypatch):
    """The environment's titles stay pickled until asked for (compat.LazyNodes), and the
    navigation's key takes them from what the last build kept (keep_titles): an edit
    asks for the titles of the pages beside the edited one (its links to the previous,
    next and parent page) and its own (being read again), not for every title."""
    from carepress import compat
    names = [f"page{i}" for i in range(8)]
    project.edit("index.md", "basic\n", "basic\n" + "\n".join(names) + "\n")
    topic = (project.path / "basic.md").read_text(encoding="utf-8")
    for name in names:
        project.write(f"{name}.md", topic.replace("Caring for a small cut", f"Title of {name}"))

    def build():  # as `carepress build` starts Sphinx
        app = compat.sphinx_application()(project.path, project.path, tmp_path / "html",
                                           tmp_path / "doctrees", "html", status=None,
                                           warning=None)
        app.build()
        return app

    build()
    unpickled = []
    loaded = compat.LazyNodes.__getitem__

    def counted(self, doc):
        if type(dict.__getitem__(self, doc)) is bytes:
            unpickled.append(doc)
        return loaded(self, doc)
    monkeypatch.setattr(compat.LazyNodes, "__getitem__", counted)
    project.edit("page4.md", "Wash your hands.", "Wash your hands well.")
    app = build()
    assert isinstance(app.env.titles, compat.LazyNodes)
    assert app.env.all_docs.keys() >= {"page4", "page5"}
    assert set(unpickled) <= {"page3", "page4", "page5", "index"}, unpickled
