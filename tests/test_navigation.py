"""The sidebar navigation carepress builds once per folder equals furo's own, page by page.

Also the canary of compat.furo_navigation_tree: it reads furo's own private
``_compute_navigation_tree`` to know what furo would have written."""

from __future__ import annotations

import re

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


def test_every_page_lists_the_titles_and_topics_as_they_are_now(project, tmp_path):
    """Every page's sidebar lists every page: when a title changes or a topic is added,
    the pages nobody edited are written again (Sphinx writes only the edited page and
    the page whose toctree lists it, so the others kept the old title, or missed the new
    topic, until a build from nothing); an edit that changes no title writes no other
    page."""
    topic = (project.path / "basic.md").read_text(encoding="utf-8")
    for name, title in (("plain", "A plain page"), ("other", "Another page"),
                        ("new", "A new topic")):
        project.write(f"{name}.md", topic.replace("Caring for a small cut", title))
    project.edit("index.md", "basic\n", "basic\nplain\nother\n")
    other = tmp_path / "html" / "other.html"

    def build():
        Sphinx(project.path, project.path, tmp_path / "html", tmp_path / "doctrees", "html",
               status=None, warning=None).build()
        return other.read_text(encoding="utf-8"), other.stat().st_mtime_ns

    _, written = build()
    project.edit("plain.md", "Wash your hands.", "Wash your hands well.")
    assert build()[1] == written, "an edit that changes no title wrote another page"
    project.write("plain.md", topic.replace("Caring for a small cut", "A renamed page"))
    sidebar = build()[0]
    assert "A renamed page" in sidebar and "A plain page" not in sidebar, \
        "another page's sidebar still shows the old title"
    assert "A renamed page" in _sidebar(tmp_path / "html", "other")  # not only a next link
    project.edit("index.md", "other\n", "other\nnew\n")
    assert 'href="new.html"' in build()[0], "another page's sidebar misses the new topic"
    for page in ("basic", "other"):  # (other's next link names it too)
        assert 'href="new.html"' in _sidebar(tmp_path / "html", page), page


def test_a_renamed_topic_is_renamed_on_every_page_by_carepress_build(project):
    """The same through `carepress build`, where the site build starts from the brochure
    build's environment: when it writes pages nobody edited, Sphinx saves that
    environment again, and the next build reads from it."""
    topic = (project.path / "basic.md").read_text(encoding="utf-8")
    for name, title in (("plain", "A plain page"), ("other", "Another page")):
        project.write(f"{name}.md", topic.replace("Caring for a small cut", title))
    project.edit("index.md", "basic\n", "basic\nplain\nother\n")
    assert (run := project.carepress_site()).returncode == 0, run.output
    project.write("plain.md", topic.replace("Caring for a small cut", "A renamed page"))
    assert (run := project.carepress_site()).returncode == 0, run.output
    other = (project.path / "_build/html/other.html").read_text(encoding="utf-8")
    assert "A renamed page" in other and "A plain page" not in other
    project.edit("plain.md", "Wash your hands.", "Wash your hands well.")
    assert (run := project.carepress_site()).returncode == 0, run.output


def test_a_long_list_shows_the_entries_around_the_page_then_a_link_to_all(project, tmp_path):
    """With more topics than ``carepress_sidebar_entries``, a page's sidebar lists that
    many around its own entry, then "All N topics" (the root page's catalogue lists them
    all): a page no longer grows with the library (at 5,000 topics each page carried
    half a megabyte of sidebar), and a renamed topic is written again only on the pages
    that list it."""
    names = [f"page{i}" for i in range(9)]
    topic = (project.path / "basic.md").read_text(encoding="utf-8")
    for name in names:
        project.write(f"{name}.md", topic.replace("Caring for a small cut", f"Title of {name}"))
    project.edit("index.md", "basic\n", "basic\n" + "\n".join(names) + "\n")
    html = tmp_path / "html"

    def build():
        Sphinx(project.path, project.path, html, tmp_path / "doctrees", "html", status=None,
               warning=None, confoverrides={"carepress_sidebar_entries": 3}).build()

    def listed(page: str) -> list[str]:
        return re.findall(r">(Title of page\d|Caring for a small cut|All \d+ topics)<",
                          _sidebar(html, page))

    build()
    assert listed("page4") == ["Title of page3", "Title of page4", "Title of page5",
                               "All 10 topics"]
    assert 'class="current reference internal" href="#">Title of page4<' in _sidebar(html, "page4")
    assert 'href="index.html">All 10 topics<' in _sidebar(html, "page4")
    assert listed("page0") == ["Caring for a small cut", "Title of page0", "Title of page1",
                               "All 10 topics"]
    assert listed("page8") == ["Title of page6", "Title of page7", "Title of page8",
                               "All 10 topics"]
    written = {page: (html / f"{page}.html").stat().st_mtime_ns for page in names}
    project.write("page8.md", topic.replace("Caring for a small cut", "A new title"))
    build()
    assert "A new title" in _sidebar(html, "page7")
    assert [p for p in names if (html / f"{p}.html").stat().st_mtime_ns != written[p]] == \
        ["page7", "page8"], "a page that does not list the renamed topic was written"


def test_a_damaged_sidebar_record_means_every_page_is_written_again(project, tmp_path):
    from carepress.outputs import sidebar_record
    html, doctrees = tmp_path / "html", tmp_path / "doctrees"

    def build():
        Sphinx(project.path, project.path, html, doctrees, "html", status=None,
               warning=None).build()
        return (html / "basic.html").stat().st_mtime_ns

    written = build()
    sidebar_record(html).write_text('{"keys": ["a key"], "pages": {"basic": 0}}')
    assert build() != written, "a page whose record is not understood was not written again"
    written = build()
    sidebar_record(html).write_bytes(b"not JSON")
    assert build() != written


def test_a_long_list_inside_a_group_links_to_the_groups_page(project, tmp_path):
    """A toctree of a group's page, longer than the limit, is cut short the same way;
    its "All N topics" links to the group's page, from a page in any folder."""
    names = [f"group/page{i}" for i in range(5)]
    topic = (project.path / "basic.md").read_text(encoding="utf-8")
    for name in names:
        project.write(f"{name}.md", topic.replace("Caring for a small cut", f"Title of {name}"))
    project.write("group/index.md", "# A group\n\n```{toctree}\n" +
                  "\n".join(n.split("/")[1] for n in names) + "\n```\n")
    project.edit("index.md", "basic\n", "basic\ngroup/index\n")
    html = tmp_path / "html"
    Sphinx(project.path, project.path, html, tmp_path / "doctrees", "html", status=None,
           warning=None, confoverrides={"carepress_sidebar_entries": 3}).build()

    inside = _sidebar(html, "group/page4")
    assert re.findall(r">(Title of group/page\d)<", inside) == [
        "Title of group/page2", "Title of group/page3", "Title of group/page4"]
    assert 'href="index.html">All 5 topics<' in inside  # group/index.html, from group/
    outside = _sidebar(html, "basic")  # the group's list is not the page's: its first three
    assert re.findall(r">(Title of group/page\d)<", outside) == [
        "Title of group/page0", "Title of group/page1", "Title of group/page2"]
    assert 'href="group/index.html">All 5 topics<' in outside


def _sidebar(html, page: str) -> str:
    """The sidebar's tree of a written page."""
    text = (html / f"{page}.html").read_text(encoding="utf-8")
    start = text.index('<div class="sidebar-tree">')
    return text[start:text.index("</div>", start)]
