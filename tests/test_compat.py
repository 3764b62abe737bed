"""Canaries for compat.py: one per reach into another project's private or undocumented
parts. Each fails with a message that says what an upgrade took away, so it shows up
here and not as a broken brochure. (furo's sidebar has its canary in test_navigation.py.)
"""

from __future__ import annotations

import inspect
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from carepress import compat


@pytest.fixture
def sphinx_app(tmp_path):
    """A plain Sphinx project (no carepress), warnings as errors."""
    from sphinx.application import Sphinx
    (tmp_path / "src").mkdir()
    (tmp_path / "src/conf.py").write_text("project = 'canary'\n")
    (tmp_path / "src/index.rst").write_text("Canary\n======\n\nText.\n")
    return Sphinx(tmp_path / "src", tmp_path / "src", tmp_path / "out", tmp_path / "doctrees",
                  "html", status=None, warning=None, warningiserror=True)


def test_sphinx_private_parts(sphinx_app):
    assert isinstance(getattr(sphinx_app, "_fail_on_warnings", None), bool), \
        "Sphinx no longer has app._fail_on_warnings: compat.warnings_are_errors now assumes -W"
    assert compat.warnings_are_errors(sphinx_app) is True

    from sphinx.builders import html
    assert hasattr(html, "_get_settings"), \
        "sphinx.builders.html._get_settings is gone: compat.html_writer_settings falls back"
    sphinx_app.build()
    settings = compat.html_writer_settings(sphinx_app.env)
    assert settings.file_insertion_enabled is not None and hasattr(settings, "compact_lists")
    environment = compat.template_environment(sphinx_app.builder)
    assert environment is not None and hasattr(environment, "bytecode_cache"), \
        "the HTML builder's templates.environment is gone: theme templates are not cached"


def test_sphinx_undocumented_helpers():
    from sphinx.cmd import build
    from sphinx.util import console, logging
    assert list(inspect.signature(build.handle_exception).parameters)[:4] == \
        ["app", "args", "exception", "stderr"], "sphinx.cmd.build.handle_exception changed"
    assert "verbosity" in inspect.signature(logging.setup).parameters, \
        "sphinx.util.logging.setup changed: compat.log_to does nothing"
    assert hasattr(console, "disable_colour") and hasattr(console, "terminal_supports_colour"), \
        "sphinx.util.console renamed its colour switches"


def test_docutils_registries():
    names = compat.known_names("directive")
    assert {"note", "figure", "image"} <= set(names), \
        "docutils' directive registries moved: misspelt directives get no suggestion"
    assert {"emphasis", "strong"} <= set(compat.known_names("role")), \
        "docutils' role registries moved: misspelt roles get no suggestion"


def test_theme_and_extension_parts():
    import furo
    assert compat.furo_navigation_tree() is not None, (
        f"furo {furo.__version__} is outside compat.FURO_TESTED: check that test_navigation.py "
        "passes with it, then widen the range (furo builds its own sidebar meanwhile)")
    folder = compat.sphinx_design_static()
    assert folder and Path(folder, "sphinx-design.min.css").is_file() or \
        any(Path(folder).glob("*.css")), "sphinx_design.extension.STATIC_DIR is gone"


def test_sphinxcontrib_spelling_words_attribute():
    import sphinxcontrib.spelling.directive as directive
    source = inspect.getsource(directive)
    assert "spelling_document_words" in source, \
        "sphinxcontrib-spelling no longer keeps env.spelling_document_words: the words of a " \
        "topic's {spelling:word-list} are ignored by `make check`"


def test_weasyprint_page_box(tmp_path):
    import weasyprint
    html = "<p>one two three</p><p style='break-before: page'>four five</p>"
    pages = weasyprint.HTML(string=html).render().pages
    assert [compat.page_words(p) for p in pages] == [3, 2], \
        "weasyprint's Page._page_box is gone: the fit check estimates words from page counts"
    assert all(hasattr(p, "anchors") for p in pages)


def test_atexit_run_exitfuncs():
    import atexit
    assert hasattr(atexit, "_run_exitfuncs"), \
        "atexit._run_exitfuncs is gone: the carepress command exits the slow, normal way"


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/gone"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body><h2 id='here'>Here</h2></body></html>")

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


def test_link_checker_and_its_fallback_agree(sphinx_app):
    """Sphinx's link checker (undocumented classes) and compat's plain fallback give the
    same kind of answer for the same addresses: the report classifies both alike."""
    from carepress.checks.links import classify
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    links = {f"{base}/ok": ("index", "index.rst", 1), f"{base}/gone": ("index", "index.rst", 1),
             f"{base}/ok#nowhere": ("index", "index.rst", 1),
             f"{base}/ok#here": ("index", "index.rst", 1)}
    config = sphinx_app.config
    config.linkcheck_retries, config.linkcheck_timeout = 1, 5
    try:
        from sphinx.builders import linkcheck
        assert hasattr(linkcheck, "HyperlinkAvailabilityChecker") and \
            hasattr(linkcheck, "Hyperlink"), "Sphinx's link checker classes moved"
        sphinx_answers = {uri: classify(status, message, 5)
                          for uri, status, message in compat.check_links(config, links)}
        plain_answers = {uri: classify(status, message, 5)
                         for uri, status, message in compat._check_links_plainly(config, links)}
    finally:
        server.shutdown()
        server.server_close()
    assert sphinx_answers[f"{base}/ok"] is None and sphinx_answers[f"{base}/ok#here"] is None
    assert sphinx_answers[f"{base}/gone"] == ("gone", "the site answered 404 Not Found")
    assert sphinx_answers[f"{base}/ok#nowhere"][0] == "gone"
    assert plain_answers == sphinx_answers


def test_sphinx_translation_parts(tmp_path):
    """Locale marks the nodes it looked at with ``translated``; extract_messages is still
    where it was; translators are a dictionary; a saved doctree reads back."""
    from sphinx import locale
    from sphinx.application import Sphinx
    src = tmp_path / "src"
    (src / "locales/de/LC_MESSAGES").mkdir(parents=True)
    (src / "conf.py").write_text("project = 'canary'\nlanguage = 'de'\nlocale_dirs = ['locales']\n"
                                 "gettext_compact = False\nexclude_patterns = ['locales']\n")
    (src / "index.rst").write_text("Canary\n======\n\nHello.\n\nNot translated.\n")
    (src / "locales/de/LC_MESSAGES/index.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello."\nmsgstr "Hallo."\n')
    compat.reset_translations()
    assert isinstance(locale.translators, dict), "sphinx.locale.translators is gone"
    app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None,
                 warning=None)
    app.build()
    doctree = compat.read_doctree(tmp_path / "doctrees", "index", app.env)
    assert doctree is not None, "Sphinx no longer saves <docname>.doctree pickles"
    states = {message: translated for _, message, translated in
              compat.translation_states(doctree)}
    assert states == {"Canary": False, "Hello.": True, "Not translated.": False}, \
        "the Locale transform no longer marks nodes with 'translated'"
    compat.reset_translations()
    assert not locale.translators


def test_sphinx_resolves_a_doctree_with_the_builders_tags():
    from sphinx.environment import BuildEnvironment
    assert "tags" in inspect.signature(BuildEnvironment.get_and_resolve_doctree).parameters, \
        "get_and_resolve_doctree takes no tags: compat.resolved_doctree calls it without them"


def test_sphinx_keeps_read_doctrees_in_dicts(sphinx_app):
    for name in ("_write_doc_doctree_cache", "_pickled_doctree_cache"):
        cache = getattr(sphinx_app.env, name, None)
        assert isinstance(cache, dict), \
            f"Sphinx no longer keeps env.{name}: a full build's doctrees may all stay in " \
            "memory (compat.forget_doctrees does nothing)"
        cache["x"] = object()
    compat.forget_doctrees(sphinx_app.env, 0)
    assert sphinx_app.env._write_doc_doctree_cache == {}
    assert sphinx_app.env._pickled_doctree_cache == {}


def test_sphinx_keeps_the_root_doctree_as_a_cached_property(sphinx_app):
    """compat.forget_root_doctree: Sphinx keeps the root document's doctree once asked
    for it, in the environment's __dict__, and so in its pickle."""
    import functools

    from sphinx.environment import BuildEnvironment
    assert isinstance(BuildEnvironment.__dict__.get("master_doctree"),
                      functools.cached_property), \
        "BuildEnvironment.master_doctree is no longer a cached_property: look again at " \
        "compat.forget_root_doctree (is it still kept? where?)"
    sphinx_app.build()
    assert sphinx_app.env.master_doctree is sphinx_app.env.__dict__["master_doctree"]
    root = sphinx_app.config.root_doc
    assert root in sphinx_app.env._pickled_doctree_cache  # what it was read from
    compat.forget_root_doctree(sphinx_app.env)
    assert "master_doctree" not in sphinx_app.env.__dict__
    assert root not in sphinx_app.env._pickled_doctree_cache


def test_a_saved_environment_moves_with_its_project(tmp_path):
    """A clone in another folder loads the first one's environment instead of a fresh one."""
    import shutil
    from sphinx.application import Sphinx
    first = tmp_path / "first"
    (first / "src").mkdir(parents=True)
    (first / "conf.py").write_text("project = 'canary'\n")
    (first / "src/index.rst").write_text("Canary\n======\n\n.. image:: dot.svg\n")
    (first / "src/dot.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    Sphinx(first / "src", first, first / "out", first / "doctrees", "html",
           status=None, warning=None).build()
    second = tmp_path / "elsewhere/second"
    shutil.copytree(first, second)
    plain = Sphinx(second / "src", second, second / "out", second / "doctrees", "html",
                   status=None, warning=None)
    assert "index" not in plain.env.all_docs, "Sphinx itself now moves an environment"
    loading = compat.sphinx_application()
    assert loading is not Sphinx, "Sphinx._load_existing_env is gone: a clone reads all again"
    app = loading(second / "src", second, second / "out", second / "doctrees", "html",
                  status=None, warning=None)
    assert "index" in app.env.all_docs, \
        "the pickled environment's srcdir/doctreedir/project/dependencies changed shape"
    assert all(p.is_relative_to(second) for deps in app.env.dependencies.values() for p in deps)
    assert Path(app.env.srcdir) == second / "src"


def _sections_project(root: Path, numbered: bool) -> None:
    (root / "src").mkdir(parents=True)
    (root / "src/conf.py").write_text("project = 'canary'\n")
    (root / "src/index.rst").write_text("Canary\n======\n\n.. toctree::\n"
                                        + ("   :numbered:\n" if numbered else "") + "\n   a\n   b\n")
    for name in "ab":
        (root / f"src/{name}.rst").write_text(
            f"Page {name}\n=======\n\nFirst {name}\n-------\n\nText.\n\n"
            f"Second {name}\n--------\n\nText.\n")


def _build_twice(root: Path, name: str, old: str, new: str):
    """A build, ``old`` replaced by ``new`` in ``name``, a second build: the second's
    application."""
    loading = compat.sphinx_application()
    loading(root / "src", root / "src", root / "out", root / "doctrees", "html",
            status=None, warning=None, warningiserror=True).build()
    path = root / "src" / name
    path.write_text(path.read_text().replace(old, new))
    app = loading(root / "src", root / "src", root / "out", root / "doctrees", "html",
                  status=None, warning=None, warningiserror=True)
    app.build()
    return app


def test_only_the_tocs_asked_for_are_unpickled(tmp_path):
    """compat.LazyNodes: an edit unpickles the edited page's toc and title only; every
    page's own table of contents, and the titles of the pages beside it, are still right."""
    import pickle
    from sphinx.environment import BuildEnvironment
    for name in compat.LAZY:
        assert f"self.{name}" in inspect.getsource(BuildEnvironment.__init__), \
            f"BuildEnvironment has no {name} any more: compat.lazy_nodes does nothing for it"
    _sections_project(tmp_path, numbered=False)
    app = _build_twice(tmp_path, "a.rst", "Second a\n", "Third a\n-------\n\nNew.\n\nSecond a\n")
    assert isinstance(app.env.tocs, compat.LazyNodes)
    saved = pickle.loads((tmp_path / "doctrees/environment.pickle").read_bytes())
    for name in compat.LAZY:
        assert type(dict.__getitem__(getattr(saved, name), "b")) is bytes, \
            f"b's {name[:-1]} was unpickled for nothing"
    assert saved.titles["b"].astext() == "Page b" == saved.longtitles["b"].astext()
    assert "Third a" in saved.tocs["a"].astext() and "Second b" in saved.tocs["b"].astext()
    assert 'href="#third-a"' in (tmp_path / "out/a.html").read_text()
    assert 'href="#second-b"' in (tmp_path / "out/b.html").read_text()
    assert dict(saved.tocs)["b"].astext() == saved.tocs.get("b").astext()


def test_a_toc_changed_where_it_was_asked_for_is_saved_changed(tmp_path):
    """Sphinx numbers sections in the tocs themselves (a numbered toctree): the pages put
    in another order, the tocs of pages not read again are saved with their new numbers,
    not as the bytes they were loaded as."""
    import pickle
    from docutils import nodes
    _sections_project(tmp_path, numbered=True)
    _build_twice(tmp_path, "index.rst", "   a\n   b\n", "   b\n   a\n")
    saved = pickle.loads((tmp_path / "doctrees/environment.pickle").read_bytes())
    numbers = {ref.astext(): ref.get("secnumber") for name in "ab"
               for ref in saved.tocs[name].findall(nodes.reference)}
    assert numbers["Second b"] == [1, 2] and numbers["First a"] == [2, 1], numbers


def test_a_second_build_starts_from_the_first_ones_environment(sphinx_app, tmp_path):
    from sphinx.application import Sphinx
    assert callable(getattr(Sphinx, "_load_existing_env", None)), \
        "Sphinx._load_existing_env is gone: the site build loads the environment from disk again"
    sphinx_app.build()
    handed = compat.sphinx_application(sphinx_app.env)
    app = handed(sphinx_app.srcdir, sphinx_app.confdir, tmp_path / "out2", sphinx_app.doctreedir,
                 "html", status=None, warning=None)
    assert app.env is not sphinx_app.env and app.env.all_docs == sphinx_app.env.all_docs
    assert app.env.domains is not None and app.env.config is app.config
    assert app.env.settings["env"] is app.env, \
        "the copy's docutils settings name the environment handed over: pickled with it"
    app.build()
    assert (tmp_path / "out2/index.html").is_file()
    assert not {"find_files", "get_outdated_files"} & app.env.__dict__.keys(), \
        "the copy's stand-ins for finding and comparing the sources stay after the build"


def test_a_handed_environment_is_not_searched_again():
    """The copy skips finding and comparing the sources by replacing the two methods
    Builder.read calls for that (compat.sphinx_application)."""
    import inspect

    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment
    read = inspect.getsource(Builder.read)
    for name in ("find_files", "get_outdated_files"):
        assert callable(getattr(BuildEnvironment, name, None)) and f"self.env.{name}(" in read, \
            f"Builder.read no longer calls env.{name}: the site build may search the sources " \
            "again or, worse, miss a change: see compat.sphinx_application"


def test_beautifulsoup_imports_without_its_css_selectors():
    # in a fresh interpreter: this one may have imported BeautifulSoup already
    import subprocess
    import sys
    script = (
        "import sys\n"
        "from carepress import compat\n"
        "compat.soupsieve_on_first_use()\n"
        "import bs4, furo\n"
        "print('soupsieve.css_parser' in sys.modules)\n"
        "soup = bs4.BeautifulSoup('<p class=a>x</p><p>y</p>', 'html.parser')\n"
        "print([p.text for p in soup.select('p.a')])\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "False", "BeautifulSoup (bs4.css) now uses soupsieve when imported: " \
        "compat.soupsieve_on_first_use saves nothing (remove it)"
    assert out[1] == "['x']", "a CSS selector failed after compat.soupsieve_on_first_use"


def test_outdated_sources_as_sphinx_decides_them(tmp_path):
    """compat.outdated_sources answers as Sphinx's get_outdated_files, over every kind of
    change: a source edited, a dependency edited or gone, a doctree gone, a document in a
    folder edited, one added, one removed, one to read always, none at all."""

    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "conf.py").write_text("project = 'canary'\n")
    names = ["index", "same", "edited", "dep", "gone_dep", "no_doctree", "sub/inner",
             "removed", "always"]
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n" + "".join(
        f"   {n}\n" for n in names[1:]))
    for n in names[1:]:
        (src / f"{n}.rst").write_text(f"{n}\n{'=' * len(n)}\n\nText.\n")
    for n in ("dep", "gone_dep"):
        (src / f"{n}.txt").write_text("included\n")
        (src / f"{n}.rst").write_text(f"{n}\n{'=' * len(n)}\n\n.. literalinclude:: {n}.txt\n")

    _plain_sphinx(tmp_path).build()
    _newer(src, "edited.rst", "dep.txt", "sub/inner.rst")
    (src / "gone_dep.txt").unlink()
    (tmp_path / "doctrees/no_doctree.doctree").unlink()
    (src / "removed.rst").unlink()
    (src / "added.rst").write_text("added\n=====\n")
    second = _plain_sphinx(tmp_path)
    env = second.env
    env.find_files(second.config, second.builder)
    env.reread_always.add("always")
    sphinx_says = env.get_outdated_files(False)
    assert sphinx_says == ({"added"}, {"edited", "dep", "gone_dep", "no_doctree", "sub/inner",
                                       "always"}, {"removed"}), sphinx_says
    assert compat.outdated_sources(env)(False) == sphinx_says, \
        "compat.outdated_sources no longer answers as Sphinx's get_outdated_files"
    assert compat.outdated_sources(env)(True) == env.get_outdated_files(True)


def test_the_sources_are_searched_again_only_when_their_names_changed(tmp_path, monkeypatch):
    """compat.found_again keeps the last search's documents while the source folder holds
    the same names (excluded folders aside), and finds what Sphinx finds after a file is
    added, removed or renamed."""
    from sphinx.project import Project
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "_build").mkdir()
    (src / "conf.py").write_text("project = 'canary'\nexclude_patterns = ['_build']\n")
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n   sub/*\n")
    for name in ("a", "b", "sub/c"):
        (src / f"{name}.rst").write_text(f"{name}\n===\n\nText.\n")
    searched = []
    sphinx_discover = Project.discover
    monkeypatch.setattr(Project, "discover", lambda self, *a, **k: searched.append(1) or
                        sphinx_discover(self, *a, **k))

    def found() -> set[str]:
        app = compat.sphinx_application()(src, src, tmp_path / "out", tmp_path / "doctrees",
                                          "html", status=None, warning=None)
        searched.clear()
        app.build()
        assert "discover" not in vars(app.env.project), "left on the project, to be pickled"
        plain = Project(src, app.config.source_suffix)
        return set(app.env.found_docs), bool(searched), plain.discover(
            ["_build", *app.builder.get_asset_paths()], app.config.include_patterns)

    docs, was_searched, sphinx_finds = found()
    assert docs == {"index", "a", "b", "sub/c"} == sphinx_finds and was_searched
    (src / "_build/x.rst").write_text("x\n=\n")  # in an excluded folder
    (src / "a.rst").write_text("a\n===\n\nEdited.\n")  # the same names
    docs, was_searched, _ = found()
    assert docs == {"index", "a", "b", "sub/c"} and not was_searched, \
        "compat.found_again searched again though no name changed"
    for change in (lambda: (src / "sub/d.rst").write_text("d\n=\n"),
                   lambda: (src / "b.rst").unlink(),
                   lambda: (src / "sub/c.rst").rename(src / "sub/e.rst")):
        change()
        docs, was_searched, sphinx_finds = found()
        assert was_searched and docs == sphinx_finds, (docs, sphinx_finds)
    assert docs == {"index", "a", "sub/d", "sub/e"}


def test_the_standard_domains_objects_are_sphinxs(tmp_path):
    """compat.standard_domain lists what Sphinx's standard domain lists (pages with their
    titles as text, options, objects, labels), and a page's title edited and read again
    is listed with its new text."""
    import time

    from sphinx.application import Sphinx
    from sphinx.domains.std import StandardDomain
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "from carepress import compat\n"
        "def setup(app):\n"
        "    app.add_domain(compat.standard_domain(), override=True)\n"
        "    app.connect('env-updated', compat.keep_title_texts)\n")
    (src / "index.rst").write_text(
        ".. _top:\n\nIndex |pic|\n===========\n\n.. |pic| image:: pic.png\n\n"
        ".. toctree::\n\n   other\n\n.. program:: tool\n\n.. option:: -v\n\n"
        ".. envvar:: HOME\n\n.. glossary::\n\n   Scar\n      A mark.\n\n"
        ".. _anonymous:\n\n.. _section:\n\nPart\n----\n")
    (src / "other.rst").write_text("Other *page*\n============\n\n.. option:: --quiet\n")

    def objects():
        app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html",
                     status=None, warning=None)
        app.build()
        domain = app.env.domains.standard_domain
        assert type(domain) is not StandardDomain, "the override is not in place"
        ours = sorted(domain.get_objects())
        assert ours == sorted(StandardDomain.get_objects(domain)), \
            "compat.standard_domain no longer lists what Sphinx's standard domain lists"
        return ours
    first = objects()
    assert ("index", "Index ", "doc", "index", "", -1) in first  # the image dropped
    assert {o[2] for o in first} >= {"doc", "cmdoption", "envvar", "term", "label"}
    time.sleep(0.01)
    (src / "other.rst").write_text("Another page\n============\n\n.. option:: --quiet\n")
    assert ("other", "Another page", "doc", "other", "", -1) in objects()


def test_the_pages_to_write_are_sphinxs(tmp_path):
    """compat.quick_outdated_pages answers as Sphinx's html builder: a page whose source
    is newer, a page gone, a page never written, the others not."""
    import os
    from types import SimpleNamespace

    from sphinx.builders.html import StandaloneHTMLBuilder
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "conf.py").write_text("project = 'canary'\n")
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n   sub/*\n")
    for name in ("same", "edited", "gone", "sub/inner"):
        (src / f"{name}.rst").write_text(f"{name}\n=====\n\nText.\n")

    _plain_sphinx(tmp_path).build()
    _newer(src, "edited.rst", "sub/inner.rst")
    (tmp_path / "out/gone.html").unlink()
    (src / "new.rst").write_text("new\n===\n")
    second = _plain_sphinx(tmp_path)
    second.env.find_files(second.config, second.builder)
    builder = second.builder
    sphinx_says = set(StandaloneHTMLBuilder.get_outdated_docs(builder))
    assert sphinx_says == {"edited", "sub/inner", "gone", "new"}, sphinx_says
    compat.quick_outdated_pages(SimpleNamespace(builder=builder))
    assert "get_outdated_docs" in vars(builder), "not in place"
    assert set(builder.get_outdated_docs()) == sphinx_says, \
        "compat.quick_outdated_pages no longer answers as Sphinx's html builder"
    assert "get_output_path" not in vars(builder) and "doc2path" not in vars(builder.env)
    assert isinstance(builder.get_output_path("x"), os.PathLike)


def test_the_search_index_kept_is_the_one_a_build_from_nothing_writes(tmp_path):
    """compat.kept_search_index: after an edit that changes no word, one that changes a
    title's letters only, one with a word gone, a word new and a new title, and after a
    page added and one removed (every page's position moves), the html builder's search
    index is the one a build from nothing writes, byte for byte."""
    from sphinx.application import Sphinx
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("project = 'canary'\n")
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n")
    for name, words in (("apple", "zebra"), ("banana", "walrus"), ("cherry", "yak"),
                        ("gone", "yak")):
        (src / f"{name}.rst").write_text(f"{name.title()}\n======\n\nCommon words, {words}."
                                         f"\n\nPart\n----\n\nMore common words.\n")

    def kept():
        app = _plain_sphinx(tmp_path)
        compat.kept_search_index(app)
        app.build()
        return app.builder.indexer, (tmp_path / "out/searchindex.js").read_text()

    def from_nothing(n: int) -> str:
        Sphinx(src, src, tmp_path / f"new{n}", tmp_path / f"new{n}.d", "html", status=None,
               warning=None).build()
        return (tmp_path / f"new{n}/searchindex.js").read_text()

    _, first = kept()
    text = (src / "banana.rst").read_text()
    (src / "banana.rst").write_text(text.replace("words, walrus", "words walrus"))
    indexer, index = kept()  # no word and no title changed: the same index, as read
    assert indexer._as_read and index == first == from_nothing(0)
    text = (src / "cherry.rst").read_text()
    (src / "cherry.rst").write_text(text.replace("Cherry\n", "CHERRY\n"))
    indexer, index = kept()  # the same words, another title
    assert not indexer._as_read and "CHERRY" in index and index == from_nothing(3)
    (src / "apple.rst").write_text("Apple pie\n=========\n\nCommon words, quokka.\n")
    _newer(src, "apple.rst")
    indexer, index = kept()
    assert indexer._frozen is not None and indexer._stale >= {"apple"}, "not brought up to date"
    assert "zebra" not in index and "quokka" in index
    assert index == from_nothing(1), \
        "compat.kept_search_index no longer writes the index Sphinx writes from nothing"
    (src / "aardvark.rst").write_text("Aardvark\n========\n\nCommon words, walrus.\n")
    (src / "gone.rst").unlink()
    indexer, index = kept()
    assert indexer._frozen is not None and "gone" in indexer._stale
    assert index == from_nothing(2), "pages added and removed: not the index from nothing"


def test_the_general_index_is_sphinxs(tmp_path):
    """compat.quick_genindex writes the general index Sphinx writes, from the pages
    that have entries, and leaves the environment's entries as they were."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("project = 'canary'\n")
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n")
    (src / "entries.rst").write_text("Entries\n=======\n\n.. index:: single: zinc; dose\n"
                                     "   pair: sun; skin\n\nText.\n")
    for name in ("plain", "other"):
        (src / f"{name}.rst").write_text(f"{name}\n=====\n\nText.\n")
    app = _plain_sphinx(tmp_path)
    app.build()
    sphinx_says = (tmp_path / "out/genindex.html").read_text()
    assert "zinc" in sphinx_says and "skin" in sphinx_says
    compat.quick_genindex(app)
    assert "write_genindex" in vars(app.builder), "not in place"
    entries = app.env.domains.index_domain.entries
    assert set(entries) >= {"plain", "other", "entries"}, "every page has its (empty) list"
    app.builder.write_genindex()
    assert (tmp_path / "out/genindex.html").read_text() == sphinx_says, \
        "compat.quick_genindex no longer writes the general index Sphinx writes"
    assert app.env.domains.index_domain.entries is entries


def test_a_file_pages_share_is_saved_as_one_path(tmp_path):
    """compat.one_path_per_dependency: two pages showing one picture depend on one path
    object, in the environment and in what is saved of it; each still depends on it."""
    import pickle
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("project = 'canary'\n")
    (src / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   a\n   b\n")
    for name in "ab":
        (src / f"{name}.rst").write_text(f"{name}\n===\n\n.. image:: pic.svg\n")
    app = _plain_sphinx(tmp_path)
    app.build()
    (a,), (b,) = app.env.dependencies["a"], app.env.dependencies["b"]
    assert a == b and a is not b, "Sphinx now shares dependencies itself: drop the helper"
    compat.one_path_per_dependency(app, app.env)
    (a,), (b,) = app.env.dependencies["a"], app.env.dependencies["b"]
    assert a is b and str(a).endswith("pic.svg")
    saved = pickle.loads(pickle.dumps(app.env.dependencies))
    assert next(iter(saved["a"])) is next(iter(saved["b"]))


def _plain_sphinx(tmp_path):
    """Sphinx's own html build of tmp_path/src (no carepress)."""
    from sphinx.application import Sphinx
    src = tmp_path / "src"
    return Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None,
                  warning=None)


def _newer(src, *names: str) -> None:
    """Give these files a time after the last build's."""
    import os
    import time
    later = time.time() + 5
    for name in names:
        os.utime(src / name, (later, later))
