"""The only module that touches another project's private or undocumented parts.

Each function below says what it relies on. Each either checks that the thing is there
(a version gate, ``getattr``) or has a fallback that is slower or plainer, never wrong.
``tests/test_compat.py`` holds one canary per function: it fails with a clear message
when an installed version no longer has what the function relies on, so an upgrade
shows up there and not as a broken brochure.
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable, Iterator


# -- Sphinx -------------------------------------------------------------------------
def warnings_are_errors(app) -> bool:
    """Whether this build treats warnings as errors (``-W``).

    Relies on: ``Sphinx._fail_on_warnings`` (Sphinx 8.1+; no public accessor).
    Fallback: True, so a topic with a warning is not printed (its old PDF stays)."""
    value = getattr(app, "_fail_on_warnings", None)
    return True if value is None else bool(value)


def html_writer_settings(env):
    """docutils settings for an HTML writer, as Sphinx's HTML builder makes them.

    Relies on: ``sphinx.builders.html._get_settings`` (private helper).
    Fallback: docutils' public ``get_default_settings`` with the environment's settings
    on top (docutils.conf files are not read then)."""
    from sphinx.writers.html import HTMLWriter
    try:
        from sphinx.builders.html import _get_settings
    except ImportError:
        from docutils.frontend import get_default_settings
        settings = get_default_settings(HTMLWriter)
        for key, value in env.settings.items():
            setattr(settings, key, value)
        return settings
    return _get_settings(HTMLWriter, defaults=env.settings, read_config_files=True)


def resolved_doctree(builder, docname: str):
    """A document's doctree with its references resolved, as the builder writes it.

    Relies on: ``BuildEnvironment.get_and_resolve_doctree(docname, builder, tags=)``;
    ``tags`` is new in Sphinx 8.2 and required from Sphinx 11 (a version gate: the
    keyword is passed where the signature has it)."""
    import inspect
    resolve = builder.env.get_and_resolve_doctree
    if "tags" in inspect.signature(resolve).parameters:
        return resolve(docname, builder, tags=builder.tags)
    return resolve(docname, builder)


def disable_colour() -> None:
    """Relies on: ``sphinx.util.console.disable_colour`` (Sphinx 8.1+; ``nocolor`` before)."""
    from sphinx.util import console
    (getattr(console, "disable_colour", None) or getattr(console, "nocolor", lambda: None))()


def terminal_supports_colour() -> bool:
    """Relies on: ``sphinx.util.console.terminal_supports_colour`` (``color_terminal`` before).
    Fallback: no colour."""
    from sphinx.util import console
    test = getattr(console, "terminal_supports_colour", None) or getattr(
        console, "color_terminal", None)
    return bool(test and test())


def handle_exception(app, exception: BaseException, verbosity: int, stream) -> None:
    """Sphinx's own report of a crash (what ``sphinx-build`` prints).

    Relies on: ``sphinx.cmd.build.handle_exception(app, args, exception, stderr)`` where
    ``args`` has ``pdb``, ``verbosity`` and ``traceback``. Fallback: the traceback."""
    from types import SimpleNamespace
    try:
        from sphinx.cmd.build import handle_exception as sphinx_handle
        sphinx_handle(app, SimpleNamespace(pdb=False, verbosity=verbosity, traceback=False),
                      exception, stream)
    except (ImportError, TypeError, AttributeError):
        import traceback
        traceback.print_exception(exception, file=stream)


def log_to(app, status, warning, verbosity: int) -> None:
    """Send Sphinx's log to ``app`` again, after a later app failed half-way through starting.

    Relies on: ``sphinx.util.logging.setup(app, status, warning, verbosity=)`` (public
    name, undocumented). Fallback: nothing; messages then go where the last app sent them."""
    try:
        from sphinx.util.logging import setup
        setup(app, status, warning, verbosity=verbosity)
    except (ImportError, TypeError):
        pass


def template_environment(builder):
    """The Jinja environment of an HTML builder's theme templates, or None.

    Relies on: ``builder.templates.environment`` (BuiltinTemplateLoader's attribute)."""
    return getattr(getattr(builder, "templates", None), "environment", None)


def check_links(config, links: dict[str, tuple[str, str, int]]) -> Iterator[tuple[str, str, str]]:
    """(uri, status, message) for every web address in ``links`` (uri -> docname, path, line).

    Relies on: ``sphinx.builders.linkcheck.Hyperlink`` and
    ``HyperlinkAvailabilityChecker(config).check()`` (Sphinx 7.1+; undocumented classes),
    which honour every ``linkcheck_*`` setting. Fallback: :func:`_check_links_plainly`,
    a sequential checker with the same settings and the same kinds of answers."""
    try:
        from sphinx.builders.linkcheck import Hyperlink, HyperlinkAvailabilityChecker
        checker = HyperlinkAvailabilityChecker(config)
    except (ImportError, TypeError):
        yield from _check_links_plainly(config, links)
        return
    todo = {uri: Hyperlink(uri, doc, path, line) for uri, (doc, path, line) in links.items()}
    for result in checker.check(todo):
        yield result.uri, str(result.status), result.message


def _check_links_plainly(config, links) -> Iterator[tuple[str, str, str]]:
    import requests
    from html.parser import HTMLParser

    class Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.ids |= {v for k, v in attrs if k in ("id", "name") and v}

    headers = dict((config.linkcheck_request_headers or {}).get("*", {}))
    for uri in links:
        base, _, anchor = uri.partition("#")
        status, message = "broken", ""
        for _attempt in range(max(1, config.linkcheck_retries)):
            try:
                response = requests.get(base, headers=headers, timeout=config.linkcheck_timeout,
                                        allow_redirects=True)
                response.raise_for_status()
            except requests.Timeout:
                status, message = "timeout", ""
                continue
            except requests.RequestException as exc:
                status, message = "broken", str(exc)
                continue
            status, message = "working", ""
            if anchor and config.linkcheck_anchors:
                parser = Ids()
                parser.feed(response.text)
                if anchor not in parser.ids:
                    status, message = "broken", f"Anchor '{anchor}' not found"
            break
        yield uri, status, message


def sphinx_application(env=None):
    """Sphinx's application class, loading the environment Sphinx saved in two ways of
    its own:

    - with ``env`` (the environment a build of this process just finished with, for the
      same project and language), it starts from a copy of it instead of loading the
      saved environment from disk again: `carepress build` runs a brochure build and a
      site build over the same environment. The sources were also just found and
      compared with that environment by the build that hands it over, so the copy does
      not do it again (a stat of every source and dependency: a tenth of a second per
      1,000 topics, twice): when its configuration is the environment's, it finds the
      same documents and none outdated. A file saved between the two builds is read by
      the next run, as it would be for one build.
    - without, it loads the saved environment and, when it was saved by a clone of the
      project in another folder (a fresh CI checkout with ``_build`` restored), moves it
      to this folder as it loads (:func:`relocated`), where Sphinx would start afresh.

    Either way, and in a fresh environment, the tocs and titles are :class:`LazyNodes`.

    Relies on: ``Sphinx._load_existing_env(filename)`` (which unpickles the environment
    and calls ``env.setup(app)``), ``Sphinx._create_fresh_env()``, ``BuildEnvironment``'s
    ``__getstate__``/``__setstate__`` (what pickling it does) and ``settings["env"]``
    (docutils' settings, naming the environment), and ``Builder.read``
    calling ``env.find_files`` and ``env.get_outdated_files`` (canaries in test_compat). Fallback: the plain class, which
    loads the environment from disk and starts afresh in another folder (slower, never
    wrong); so does any failure."""
    import pickle

    from sphinx.application import Sphinx
    from sphinx.environment import CONFIG_OK
    if not callable(getattr(Sphinx, "_load_existing_env", None)):
        return Sphinx

    class Loading(Sphinx):
        def _load_existing_env(self, filename):
            try:
                if env is not None:
                    copy = type(env).__new__(type(env))
                    copy.__setstate__(env.__getstate__())
                    # docutils' settings name their environment: this one, not the
                    # one handed over (else pickled with it, and read with after)
                    copy.settings = {**env.settings, "env": copy}
                else:
                    with open(filename, "rb") as f:
                        copy = relocated(pickle.load(f), self.srcdir, self.confdir,
                                         self.doctreedir)
                copy.setup(self)  # the application's project takes over env's documents
            except Exception:  # noqa: BLE001 - anything unexpected: Sphinx's own way
                return super()._load_existing_env(filename)
            if env is not None and copy.config_status == CONFIG_OK and copy.found_docs:
                def find_files(config, builder):
                    copy.__dict__.pop("find_files", None)  # once: never pickled with env

                def get_outdated_files(config_changed):
                    copy.__dict__.pop("get_outdated_files", None)
                    return set(), set(), set()
                copy.find_files, copy.get_outdated_files = find_files, get_outdated_files
            else:
                copy.get_outdated_files = outdated_sources(copy)
                copy.project.discover = found_again(copy)
            self._fresh_env_used = False
            return lazy_nodes(copy)

        def _create_fresh_env(self):
            fresh = super()._create_fresh_env()
            fresh.project.discover = found_again(fresh)  # (it searches, and records)
            return lazy_nodes(fresh)
    return Loading


def found_again(env) -> Callable[..., set[str]]:
    """``env.project.discover`` (Sphinx's search of the source folder for documents) that
    keeps the last search's documents when the folder holds the same file names as then:
    Sphinx matches every file against the include and exclude patterns, with path
    objects, on every build (5,000 topics: 6 ms to see that no name changed, against
    104 ms for Sphinx's search). Excluded folders are left out of the comparison as
    Sphinx leaves them out of the search (``_build`` inside the sources).

    Relies on: ``Project.discover(exclude_paths, include_paths)`` returning and holding
    ``Project.docnames``, restored from the saved environment by ``env.setup``, the
    patterns it always excludes (``sphinx.project.EXCLUDE_PATHS``), and
    ``sphinx.util.matching.compile_matchers``. A canary adds, removes and renames files.
    Fallback: Sphinx's search, whenever a name changed or anything is not as expected. A
    document made unreadable without a change of names is read, and fails, instead of
    being left out with a warning."""
    import hashlib
    import os
    import unicodedata

    project = env.project
    original = project.discover

    def discover(exclude_paths=(), include_paths=("**",)):
        project.__dict__.pop("discover", None)  # once: never pickled with env
        try:
            from sphinx.project import EXCLUDE_PATHS
            from sphinx.util.matching import compile_matchers
            exclude = compile_matchers([*exclude_paths, *EXCLUDE_PATHS])
            names = hashlib.sha256(repr((list(exclude_paths), list(include_paths),
                                         project.source_suffix)).encode())
            top = os.path.realpath(project.srcdir)
            for root, dirs, files in os.walk(top, followlinks=True):
                rel = os.path.relpath(root, top)
                rel = "" if rel == "." else rel + "/"
                dirs[:] = sorted(d for d in dirs if not any(
                    m(unicodedata.normalize("NFC", rel + d)) for m in exclude))
                names.update(f"{rel}\0{chr(0).join(sorted(files))}\n".encode())
            key = names.hexdigest()
        except Exception:  # noqa: BLE001 - Sphinx's own search
            return original(exclude_paths, include_paths)
        if getattr(env, "carepress_found", None) == key and project.docnames:
            return project.docnames
        found = original(exclude_paths, include_paths)
        env.carepress_found = key
        return found
    return discover


def standard_domain():
    """Sphinx's standard domain, whose list of objects (the search index's and the
    inventory's, both made on every site build) takes each page's title as text from
    :func:`title_texts`. Sphinx takes it afresh on every build, twice, deep-copying each
    title to drop its images: at 5,000 topics 40 ms a list, against 1.4 ms.

    Relies on: ``StandardDomain.get_objects`` yielding the pages first (with
    ``clean_astext`` of ``env.titles``), then its options, objects and labels as below.
    A canary compares both over a project with every kind of object. Fallback: none
    needed while they answer the same."""
    from sphinx.domains.std import StandardDomain

    class Standard(StandardDomain):
        def get_objects(self):
            texts = title_texts(self.env)
            for doc in self.env.all_docs:
                yield doc, texts[doc][1], "doc", doc, "", -1
            for (prog, option), info in self.progoptions.items():
                name = f"{prog}.{option}" if prog else option
                yield name, name, "cmdoption", info[0], info[1], 1
            for (kind, name), info in self.objects.items():
                yield name, name, kind, info[0], info[1], \
                    self.object_types[kind].attrs["searchprio"]
            for name, (docname, labelid, sectionname) in self.labels.items():
                yield name, sectionname, "label", docname, labelid, -1
            for name, (docname, labelid) in self.anonlabels.items():
                if name not in self.labels:
                    yield name, name, "label", docname, labelid, -1
    return Standard


def one_path_per_dependency(app, env) -> None:
    """``env-updated``: a file many pages depend on (an image they share) is one path
    object in the environment Sphinx saves, not one per page: each is built again when the
    environment is loaded, 80 ms of every build at 5,000 topics sharing one picture.
    Nothing to do in a build that read no page (the site build after the brochure
    build: ``app.carepress_read``, sources/clock.py); the environment is not saved then.

    Relies on: ``env.dependencies`` (page -> set of paths). Fallback: left as it is."""
    dependencies = getattr(env, "dependencies", None)
    if not isinstance(dependencies, dict) or getattr(app, "carepress_read", None) == set():
        return
    one: dict = {}
    for doc, paths in dependencies.items():
        dependencies[doc] = {one.setdefault(path, path) for path in paths}


def keep_title_texts(app, env) -> None:
    """``env-updated``: the titles as text are taken by the brochure build, which saves
    the environment, and the site build finds them there (:func:`title_texts`)."""
    title_texts(env)


def title_texts(env) -> dict[str, tuple[int, str]]:
    """Each page's title as text (Sphinx's ``clean_astext``), kept in the environment
    (:func:`per_page`)."""
    from sphinx.util.nodes import clean_astext
    return per_page(env, "carepress_title_texts",
                    lambda doc: clean_astext(env.titles[doc]) if doc in env.titles else None)


def per_page(env, name: str, make: Callable[[str], Any]) -> dict[str, tuple[int, Any]]:
    """``make(page)`` for every page, kept in the environment (as ``name``) with the time
    the page was read, and made again only for a page read since: what is made from the
    titles does not unpickle every title on every build (:class:`LazyNodes`). A page
    ``make`` answers None for is left out.

    Relies on: ``env.all_docs`` (page -> when it was read), and what ``make`` reads
    changing only when the page is read (titles do)."""
    read = env.all_docs
    kept = env.__dict__.setdefault(name, {})
    if len(kept) > len(read):
        for gone in kept.keys() - read.keys():
            del kept[gone]
    for doc, when in read.items():
        was = kept.get(doc)
        if was is None or was[0] != when:
            made = make(doc)
            if made is not None:
                kept[doc] = (when, made)
    return kept


def _sphinx_html_method(app, name: str) -> Callable | None:
    """The builder's method ``name`` when the builder is Sphinx's html builder, or one
    that keeps Sphinx's own ``name``: what the ``builder-inited`` hooks below may take
    the place of. None for any other builder."""
    from sphinx.builders.html import StandaloneHTMLBuilder
    builder = app.builder
    if isinstance(builder, StandaloneHTMLBuilder) and \
            getattr(type(builder), name) is getattr(StandaloneHTMLBuilder, name):
        return getattr(builder, name)
    return None


def quick_outdated_pages(app) -> None:
    """``builder-inited``: the html builder decides which pages to write as Sphinx does,
    with text where Sphinx builds two path objects per page (the page's, the source's):
    at 5,000 topics 36-50 ms of every site build, against 110-180 ms.

    Relies on: ``StandaloneHTMLBuilder.get_outdated_docs`` taking each page's path from
    ``self.get_output_path`` and each source's from ``self.env.doc2path`` (both given as
    text here while it runs, then taken away), and ``env.project._docname_to_path``. A
    canary compares both answers. Fallback: Sphinx's, for any other html builder (one
    with pages of its own shape) or when anything here is not as expected."""
    if _sphinx_html_method(app, "get_output_path") is None:
        return
    builder = app.builder
    original = builder.get_outdated_docs

    def get_outdated_docs():
        env = builder.env
        paths = getattr(env.project, "_docname_to_path", None)
        if not isinstance(paths, dict):
            return original()
        outdir, suffix, srcdir = str(builder.outdir), builder.out_suffix, str(env.srcdir)
        sphinx_doc2path = env.doc2path
        builder.get_output_path = lambda name: f"{outdir}/{name}{suffix}"
        env.doc2path = lambda name, base=True: f"{srcdir}/{paths[name]}" \
            if base and name in paths else sphinx_doc2path(name, base)
        try:
            return iter(list(original()))
        finally:  # both only while it runs: never seen, or pickled, elsewhere
            del builder.get_output_path, env.doc2path
    builder.get_outdated_docs = get_outdated_docs


def quick_genindex(app) -> None:
    """``builder-inited``: the html builder's general index is made from the pages that
    have index entries. Sphinx works out a link to every page, entries or not, before it
    looks at them: at 5,000 topics 100 ms of every site build for an index that topics
    rarely have.

    Relies on: ``StandaloneHTMLBuilder.write_genindex`` taking the entries from the index
    domain's ``data["entries"]`` (page -> list; a page without entries adds nothing). A
    canary compares the index page with Sphinx's. Fallback: Sphinx's, for another html
    builder or when the entries are not as expected."""
    builder, original = app.builder, _sphinx_html_method(app, "write_genindex")
    if original is None:
        return

    def write_genindex():
        data = builder.env.domains.index_domain.data
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return original()
        data["entries"] = {doc: found for doc, found in entries.items() if found}
        try:
            return original()
        finally:  # only while it runs: the environment is saved as Sphinx keeps it
            data["entries"] = entries
    builder.write_genindex = write_genindex


def kept_search_index(app) -> None:
    """``builder-inited``: the html builder's search index is brought up to date from
    the one it wrote last, where Sphinx rebuilds it whole on every build: it turns every
    word's list of pages into a set of page names when it loads the index, and back into
    a sorted list of positions when it writes it (at 5,000 topics some 400 ms of every
    site build, for one edited page). Here the last index stays as it was read (lists of
    positions), only the pages written again (and the pages gone) are taken out of each
    list and put back in, and the index is written from that (``KeptIndex``). The
    result is the index a build from nothing would write: a word no page has any longer
    is dropped (Sphinx keeps it with an empty list). When nothing in it changed (an edit
    that adds no word to its page and changes no title), the last index's text is
    written again as it was read.

    Relies on: ``StandaloneHTMLBuilder.load_indexer`` calling ``IndexBuilder.load`` and
    ``prune``, and ``IndexBuilder``'s ``freeze`` (``terms``, ``titleterms``: a page's
    position, or a sorted list of them, per word), ``_mapping`` and ``_title_mapping``.
    A canary compares the index with Sphinx's own after edits, a page added and one
    removed. Fallback: Sphinx's whole index, for another indexer or html builder, or
    when the last index cannot be read."""
    from sphinx.search import IndexBuilder
    builder, original = app.builder, _sphinx_html_method(app, "load_indexer")
    if original is None:
        return

    def load_indexer(docnames):
        if type(builder.indexer) is IndexBuilder:  # (another extension's is left alone)
            builder.indexer.__class__ = _kept_index_class()
            builder.indexer._frozen, builder.indexer._stale = None, set()
        return original(docnames)
    builder.load_indexer = load_indexer


@functools.cache  # one class per process
def _kept_index_class():
    from bisect import bisect_left, insort

    from sphinx.search import IndexBuilder

    class Given:  # a "format" whose load hands over what was already read
        def __init__(self, frozen):
            self.frozen = frozen

        def load(self, stream):
            return self.frozen

    def merged(old: dict, new: dict, stale: list[int], moved: list[int] | None) -> dict:
        """Each word's positions: the last index's, less the stale pages (and moved to
        the new positions when pages came or went), plus the new ones."""
        out = {}
        for word, docs in old.items():
            docs = [docs] if isinstance(docs, int) else list(docs)
            if moved is not None:
                docs = [j for j in map(moved.__getitem__, docs) if j >= 0]
            else:
                for i in stale:
                    at = bisect_left(docs, i)
                    if at < len(docs) and docs[at] == i:
                        del docs[at]
            out[word] = docs
        for word, docs in new.items():
            have = out.setdefault(word, [])
            for i in [docs] if isinstance(docs, int) else docs:
                insort(have, i)
        return {word: docs[0] if len(docs) == 1 else docs for word, docs in out.items() if docs}

    class KeptIndex(IndexBuilder):
        _frozen: dict | None  # the last index as read, while it can be brought up to date
        _stale: set  # pages whose entries in it are out of date (written again, or gone)

        _text = None  # the last index's text, while this build may write it unchanged
        _was: tuple = ()  # what the last index had of titles and file names
        _as_read = False  # written again as it was read

        def load(self, stream, format):
            if not callable(getattr(format, "loads", None)) or isinstance(format, str):
                return super().load(stream, format)
            text = stream.read()
            frozen = format.loads(text)
            if not isinstance(frozen, dict) or not isinstance(frozen.get("terms"), dict) \
                    or not isinstance(frozen.get("titleterms"), dict):
                return super().load(None, Given(frozen))
            # Sphinx's own checks, titles and file names; every word's pages stay lists
            super().load(None, Given({**frozen, "terms": {}, "titleterms": {}}))
            self._frozen, self._text = frozen, text
            self._was = (dict(self._titles), dict(self._filenames), dict(self._all_titles))

        def dump(self, stream, format):
            """The last index's text again when nothing in it changed (an edit that adds
            no word and changes no title); else the index brought up to date (freeze)."""
            if not callable(getattr(format, "dumps", None)) or isinstance(format, str):
                return super().dump(stream, format)
            frozen = self.freeze()
            if self._text is not None and self._unchanged(frozen):
                stream.write(self._text)
                self._as_read = True
                return
            stream.write(format.dumps(frozen))

        def _unchanged(self, frozen: dict) -> bool:
            import json
            from collections import Counter
            old, (titles, files, all_titles) = self._frozen, self._was
            if frozen["terms"] != old["terms"] or frozen["titleterms"] != old["titleterms"] \
                    or self._titles.keys() != titles.keys():
                return False
            for doc in self._stale:  # the others' entries are the last index's
                if self._titles.get(doc) != titles.get(doc) or \
                        self._filenames.get(doc) != files.get(doc) or \
                        Counter(self._all_titles.get(doc, ())) != Counter(all_titles.get(doc, ())):
                    return False
            rest = [k for k in frozen if k not in ("terms", "titleterms", "docnames", "titles",
                                                   "filenames", "alltitles")]
            # as JSON has them (lists for tuples, text for numbers as keys), as the last
            # index was read
            return json.loads(json.dumps([frozen[k] for k in rest])) == [old.get(k) for k in rest]

        def prune(self, docnames):
            if self._frozen is not None:
                keep = set(docnames)
                self._stale.update(d for d in self._frozen["docnames"] if d not in keep)
            super().prune(docnames)

        def feed(self, docname, filename, title, doctree):
            self._stale.add(docname)
            super().feed(docname, filename, title, doctree)

        def freeze(self):
            frozen = super().freeze()  # every word of the pages fed in this build
            old = self._frozen
            if old is None:
                return frozen
            positions = {d: i for i, d in enumerate(frozen["docnames"])}
            stale = sorted(i for i, d in enumerate(old["docnames"]) if d in self._stale)
            moved = None
            if list(old["docnames"]) != list(frozen["docnames"]):
                gone = set(stale)
                moved = [-1 if i in gone else positions.get(d, -1)
                         for i, d in enumerate(old["docnames"])]
            for key in ("terms", "titleterms"):
                frozen[key] = merged(old[key], frozen[key], stale, moved)
            return frozen
    return KeptIndex


def outdated_sources(env) -> Callable[[bool], tuple[set, set, set]]:
    """``env.get_outdated_files``, as Sphinx decides it (added, changed, removed), with
    strings where Sphinx builds a path object per document and per dependency, and each
    dependency stat'ed once, not once per document that has it: at 5,000 topics 27-35 ms
    of every build instead of 127-140 ms.

    Relies on: ``_has_doc_changed``'s rules in ``sphinx.environment`` (reread_always, a
    doctree file, the source's and each dependency's time in microseconds rounded up, a
    dependency missing), ``env.project._docname_to_path``. A canary builds the same
    answers both ways over a project with every kind of change. Fallback: Sphinx's own
    method, for a changed configuration and whenever anything here is not as expected."""
    import os
    import stat
    original = env.get_outdated_files

    def mtime(path: str) -> int:  # Sphinx's _last_modified_time: microseconds, rounded up
        return -(os.stat(path).st_mtime_ns // -1_000)

    def get_outdated_files(config_changed: bool) -> tuple[set, set, set]:
        env.__dict__.pop("get_outdated_files", None)  # once: never pickled with env
        paths = getattr(env.project, "_docname_to_path", None)
        if config_changed or not isinstance(paths, dict):
            return original(config_changed)
        srcdir, doctrees = str(env.srcdir), str(env.doctreedir)
        try:
            listed = {e.name for e in os.scandir(doctrees) if e.is_file()}
        except OSError:
            return original(config_changed)
        deps: dict = {}  # dependency -> its time, or None when it is not a file

        def dep_time(dep):
            path = os.fspath(dep)  # (a path object's hash and == cost more than a stat)
            if path not in deps:
                try:
                    st = os.stat(path)
                    deps[path] = -(st.st_mtime_ns // -1_000) if stat.S_ISREG(st.st_mode) \
                        else None
                except OSError:
                    deps[path] = None
            return deps[path]

        added, changed = set(), set()
        all_docs, dependencies = env.all_docs, env.dependencies
        for docname in env.found_docs:
            if docname not in all_docs:
                added.add(docname)
                continue
            doctree = f"{docname}.doctree"
            if docname in env.reread_always or not (
                    doctree in listed if "/" not in docname
                    else os.path.isfile(f"{doctrees}/{doctree}")):
                changed.add(docname)
                continue
            if docname not in paths:
                return original(config_changed)
            read = all_docs[docname]
            if mtime(f"{srcdir}/{paths[docname]}") > read:
                changed.add(docname)
                continue
            for dep in dependencies.get(docname, ()):
                when = dep_time(dep)
                if when is None or when > read:
                    changed.add(docname)
                    break
        return added, changed, all_docs.keys() - env.found_docs
    return get_outdated_files


class LazyNodes(dict):
    """``env.tocs``, ``env.titles`` and ``env.longtitles`` (a docutils tree per document)
    whose entries stay pickled until somebody asks for one. They are most of the
    environment Sphinx loads and saves whole on every build (1,000 topics: the tocs, 145 of
    171 ms to save; 5,000 topics: the titles, 95 of 335 ms to load), yet an edit asks for
    the edited topic's and a few neighbours' only.

    An entry that was asked for is live from then on (whoever got it may change it, as
    Sphinx's section numbering does) and is pickled again when the environment is saved;
    one never asked for is saved as the bytes it was loaded as. Every way of reading a
    dict goes through ``__getitem__`` (``__iter__`` is overridden so that ``dict(nodes)``
    does too). A title and its long title, one object in Sphinx's pickle, come back as
    two equal ones."""

    def __iter__(self):
        return super().__iter__()

    def __getitem__(self, docname):
        value = super().__getitem__(docname)
        if type(value) is bytes:  # a toc is a node, never bytes: still pickled
            import pickle
            value = pickle.loads(value)
            super().__setitem__(docname, value)
        return value

    def get(self, docname, default=None):
        return self[docname] if docname in self else default

    def pop(self, docname, *default):
        if docname not in self:
            return super().pop(docname, *default)
        value = self[docname]
        del self[docname]
        return value

    def setdefault(self, docname, default=None):
        if docname not in self:
            super().__setitem__(docname, default)
        return self[docname]

    def values(self):
        return [self[d] for d in self]

    def items(self):
        return [(d, self[d]) for d in self]

    def copy(self):
        return _restore_nodes(dict.copy(self))

    def __reduce__(self):
        import pickle
        return _restore_nodes, ({d: v if type(v) is bytes else
                                pickle.dumps(v, pickle.HIGHEST_PROTOCOL)
                                for d, v in dict.items(self)},)


def _restore_nodes(pickled: dict) -> LazyNodes:
    nodes = LazyNodes()
    dict.update(nodes, pickled)
    return nodes


_restore_tocs = _restore_nodes  # the name environments saved before 2026-11-30 refer to

LAZY = ("tocs", "titles", "longtitles")  # the environment's dicts of trees, by document


def lazy_nodes(env):
    """``env`` with its tocs and titles :class:`LazyNodes`. Relies on: ``env.tocs``,
    ``env.titles``, ``env.longtitles``, dicts. Fallback: each left as it is (pickled
    whole, slower, never wrong)."""
    for name in LAZY:
        if type(getattr(env, name, None)) is dict:
            setattr(env, name, LazyNodes(getattr(env, name)))
    return env


def relocated(env, srcdir, confdir, doctreedir):
    """``env`` (an unpickled environment) moved to the project in ``confdir`` when it was
    saved by the same project in another folder: the source folder at the same place
    under the folder of conf.py. Paths under the old folder (``srcdir``, ``doctreedir``,
    ``project.srcdir``, each document's ``dependencies``) are moved; paths outside it are
    kept as they are; the file names inside saved doctrees (named by messages about an
    unchanged topic) stay the old folder's. Anything else is returned as it is (Sphinx
    then finds the source folder changed and starts afresh)."""
    from pathlib import Path
    old_src, src, root = Path(env.srcdir), Path(srcdir), Path(confdir).resolve()
    if old_src == src or not src.resolve().is_relative_to(root):
        return env
    tail = src.resolve().relative_to(root).parts  # where the sources are under conf.py
    if tail and old_src.parts[-len(tail):] != tail:
        return env
    old_root = Path(*old_src.parts[:len(old_src.parts) - len(tail)])

    def moved(p):
        p = Path(p)
        return type(p)(root / p.relative_to(old_root)) if p.is_relative_to(old_root) else p

    kind = type(env.srcdir)
    env.srcdir = kind(src)
    env.doctreedir = type(env.doctreedir)(Path(doctreedir).resolve())
    env.project.srcdir = type(env.project.srcdir)(src)
    env.dependencies = {doc: {moved(p) for p in deps} for doc, deps in env.dependencies.items()}
    return env


def forget_doctrees(env, keep: int) -> None:
    """Let go of the doctrees Sphinx keeps in memory, once it holds more than ``keep`` of
    a kind: those read, waiting to be written, and the saved copies (pickled bytes) of
    those read back from the doctree folder for writing. A full build of a large library
    would otherwise hold every topic's doctree at once, and the site build every saved
    copy (both are read back from the doctree folder when needed again).

    Relies on: ``BuildEnvironment._write_doc_doctree_cache`` (Sphinx 7.3+) and
    ``BuildEnvironment._pickled_doctree_cache`` (Sphinx 7.2+), both dicts.
    Fallback: nothing is let go (more memory, never wrong)."""
    for name in ("_write_doc_doctree_cache", "_pickled_doctree_cache"):
        cache = getattr(env, name, None)
        if isinstance(cache, dict) and len(cache) > keep:
            cache.clear()


def forget_root_doctree(env) -> None:
    """Let go of the root document's doctree and its saved copy Sphinx keeps, after a
    sidebar was made before Sphinx wrote the pages (navigation.py: at the start of a
    build, and at ``env-updated``, before Sphinx saves the environment). Sphinx keeps
    the root document's doctree for good once asked for it, and saves it with the
    environment: every later build would make its sidebars from it, without the topics
    added since.

    Relies on: ``BuildEnvironment.master_doctree``, a ``functools.cached_property`` (the
    value is in the environment's ``__dict__``), and ``_pickled_doctree_cache`` (the
    saved copies it is read from, a dict); canaries check both. Fallback: none needed;
    what is no longer kept there has nothing to let go."""
    env.__dict__.pop("master_doctree", None)
    cache = getattr(env, "_pickled_doctree_cache", None)
    if isinstance(cache, dict):
        cache.pop(env.config.root_doc, None)


# -- docutils -----------------------------------------------------------------------
def known_names(kind: str) -> list[str]:
    """Every registered directive (``kind="directive"``) or role name, for "did you mean".

    Relies on: docutils' registries ``directives._directives``/``_directive_registry``
    and ``roles._roles``/``_role_registry``. Fallback: [] (no suggestion)."""
    from docutils.parsers.rst import directives, roles
    module, names = (directives, ("_directives", "_directive_registry")) if kind == "directive" \
        else (roles, ("_roles", "_role_registry"))
    found: set[str] = set()
    for name in names:
        registry = getattr(module, name, None)
        if isinstance(registry, dict):
            found |= set(registry)
    return sorted(found)


# -- themes and other extensions ---------------------------------------------------
FURO_TESTED = ((2024, 8), (2027, 0))  # furo versions whose sidebar navigation.py rebuilds


def soupsieve_on_first_use() -> None:
    """soupsieve (BeautifulSoup's CSS selectors) is imported when first used, not when
    BeautifulSoup is: its import compiles some sixty regular expressions, 66 ms of every
    site build's start (furo imports BeautifulSoup to load its theme), and nothing in a
    build selects by CSS. Called before anything imports BeautifulSoup.

    Relies on: ``bs4.css`` only binding the module (``import soupsieve``) when imported.
    Fallback: none needed; any attribute of the stand-in imports the real module, so a
    selector still works, a little later. (importlib's LazyLoader does not do: an
    ``import`` statement of a module already in ``sys.modules`` loads it.)"""
    import importlib.util
    import types
    if "soupsieve" in sys.modules or importlib.util.find_spec("soupsieve") is None:
        return

    class OnFirstUse(types.ModuleType):
        def __getattr__(self, name: str):
            if sys.modules.get("soupsieve") is self:
                del sys.modules["soupsieve"]
            import importlib
            return getattr(importlib.import_module("soupsieve"), name)

    sys.modules["soupsieve"] = OnFirstUse("soupsieve")


def furo_navigation_tree() -> Callable[[str], str] | None:
    """furo's ``get_navigation_tree(toctree_html)``, when furo is a version whose sidebar
    ``site/navigation.py`` rebuilds exactly (its toctree arguments and HTML).

    Relies on: ``furo.navigation.get_navigation_tree`` and furo's call
    ``toctree(collapse=False, titles_only=True, maxdepth=-1, includehidden=True)``.
    Fallback: None, and furo builds its sidebar on every page itself (slower)."""
    try:
        import furo
        from furo.navigation import get_navigation_tree
    except ImportError:
        return None
    version = tuple(int(p) for p in str(furo.__version__).split(".")[:2] if p.isdigit())
    low, high = FURO_TESTED
    return get_navigation_tree if low <= version < high else None


def sphinx_design_static() -> str | None:
    """sphinx-design's static folder, or None.

    Relies on: ``sphinx_design.extension.STATIC_DIR`` (a module constant)."""
    try:
        from sphinx_design.extension import STATIC_DIR
    except ImportError:
        return None
    return str(STATIC_DIR)


def spelling_words(env, docname: str) -> list[str]:
    """Words a topic lists as correct with ``{spelling:word-list}``.

    Relies on: sphinxcontrib-spelling's ``env.spelling_document_words``. Fallback: []."""
    words = getattr(env, "spelling_document_words", None)
    return list(words.get(docname, [])) if isinstance(words, dict) else []


def translation_states(doctree) -> list[tuple[Any, str, bool]]:
    """(node, English message, translated?) for every translatable node of a doctree
    read in another language, after Sphinx's Locale transform.

    Relies on: ``sphinx.util.nodes.extract_messages`` (public name, undocumented) and the
    ``translated`` attribute the Locale transform sets on each node it looked at
    (``sphinx/transforms/i18n.py``; it sets none when the topic has no catalogue). A node
    without the attribute counts as untranslated. Fallback: every paragraph and title,
    each untranslated unless it carries the attribute: an edition is then withdrawn
    rather than printed half in English."""
    try:
        from sphinx.util.nodes import extract_messages
    except ImportError:
        from docutils import nodes
        found = doctree.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.title)))
        return [(n, n.astext(), bool(n.get("translated"))) for n in found]
    return [(node, message, bool(node.get("translated")))
            for node, message in extract_messages(doctree)]


def reset_translations() -> None:
    """Forget the message catalogues a previous Sphinx application of this process
    loaded, before one in another language starts: Sphinx merges a new language's
    catalogue into the loaded one (``sphinx.locale.init`` adds it as a fallback), so an
    English build after a Spanish one would speak Spanish.

    Relies on: ``sphinx.locale.translators`` (a module dictionary; Sphinx's own test
    applications clear it the same way). Fallback: none needed when it is gone."""
    from sphinx import locale
    translators = getattr(locale, "translators", None)
    if hasattr(translators, "clear"):
        translators.clear()


def read_doctree(doctree_dir, docname: str, env):
    """The doctree another build (another language) saved for ``docname`` as read,
    before references are resolved, made ready for ``env`` as Sphinx does its own.

    Relies on: Sphinx's pickled ``<doctree_dir>/<docname>.doctree`` files (what
    ``BuildEnvironment.get_doctree`` reads). Fallback: None, when it is missing or
    unreadable (the caller says what to run)."""
    import pickle
    from pathlib import Path

    from sphinx.util.docutils import LoggingReporter
    path = Path(doctree_dir, f"{docname}.doctree")
    try:
        doctree = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, AttributeError, EOFError, ImportError):
        return None
    doctree.settings.env = env
    doctree.reporter = LoggingReporter(str(env.doc2path(docname)))
    return doctree


# -- WeasyPrint ---------------------------------------------------------------------
def page_words(page) -> int | None:
    """Words WeasyPrint laid out on one page, running headers and footers left out.

    Relies on: ``weasyprint.document.Page._page_box`` and its box tree. Fallback: None
    (the fit check then estimates from the page count)."""
    from weasyprint.formatting_structure import boxes
    root = getattr(page, "_page_box", None)
    if root is None:
        return None
    count, stack = 0, [root]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.MarginBox):
            continue
        if isinstance(box, boxes.TextBox):
            count += len(box.text.split())
        stack.extend(getattr(box, "children", ()))
    return count


# -- the standard library -----------------------------------------------------------
def exit_now(status: int) -> None:
    """End the process after the normal exit handlers (logging, multiprocessing), without
    freeing every object one by one first (Sphinx's environment is large).

    Relies on: ``atexit._run_exitfuncs``. Fallback: a normal ``sys.exit``."""
    import atexit
    import os
    run: Any = getattr(atexit, "_run_exitfuncs", None)
    if run is None:
        sys.exit(status)
    run()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
