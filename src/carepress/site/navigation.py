"""Furo's sidebar navigation, built once per folder of pages instead of once per page.

Furo asks Sphinx for the whole toctree on every page, then re-parses it with
BeautifulSoup to add its collapse boxes: with n topics that is n work for each of n
pages (figures in benchmarks/README.md). The tree differs
from page to page only in which entries are marked current, and its links only by
the page's folder. So for each folder carepress resolves the tree once, for a page
that is in no toctree, with a marker class on every entry that Sphinx would mark
current; each page then swaps its own markers for ``current`` (and
``current-page``, ``checked``, ``href="#"``, as Sphinx and furo would) and drops the
others. tests/test_navigation.py checks the result equals furo's own on every page.

Only furo's own call (its exact arguments) is answered here, and only for furo versions
compat.furo_navigation_tree knows; any other toctree() call in a template, and any other
furo, goes to Sphinx and furo as before.

Each folder's tree is also kept between builds (in the doctree folder), under a key of
everything it is made of: the toctrees' structure, every page's title and section
numbers, the builder and furo's version. An edit that changes no title costs no tree.

Which pages to write again: each page is recorded (in the site's own folder:
outputs.sidebar_record) with its folder's key and a digest of its sidebar and of its
neighbours' titles. When the folder's key changes (a title changed, a topic was added,
moved or removed), each page's sidebar is made again and compared, and a page whose
sidebar differs is written again, though nobody edited it. Sphinx writes only the
edited page and the page whose toctree lists it: every other page kept the old title
in its sidebar, or missed the new topic, until a build from nothing.

A list longer than ``carepress_sidebar_entries`` shows that many entries around the
page, then "All N topics", a link to the page that lists them all: a page's size does
not grow with the library (at 5,000 topics each page carried 0.5 MB of sidebar), and a
renamed topic changes only the sidebars that list it.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import pickle
import posixpath
import re
from html import escape
from pathlib import Path
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.environment.adapters.toctree import global_toctree_for_doc

from .. import atomic, compat, outputs

SAVED = "carepress-navigation.pickle"  # in the doctree folder: {folder: (key, _Template)}
PAGE_BUILDERS = ("html", "dirhtml")  # the site builders that write a page per document
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this module, by content

FURO_CALL = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
MARK = "cpnav-"
_CLASS = re.compile(r' class="([^"]*)"( href="[^"]*")?')
_CHECKBOX = re.compile(r' data-cpnav="(\d+)"')
_BOX = re.compile(r'(<li class="[^"]*\bcpnav-(\d+)\b[^"]*"><a [^>]*>(?:(?!</a>).)*</a>'
                  r'<input aria-label="[^"]*")', re.DOTALL)  # BeautifulSoup sorts attributes
_SLOT = re.compile(f"{_CLASS.pattern}|{_CHECKBOX.pattern}")


class _Template:
    """The navigation of one folder, with markers where each page's marks go.

    It is cut once into the text no page changes and the slots (class attributes,
    collapse boxes) that carry a marker, each slot with its text for a page that marks
    nothing; a page then rewrites only the slots of its own markers (a handful), where
    rewriting all of them took 40-70 ms a page at 5,000 topics."""

    def __init__(self, html: str, branches: dict[str, list[int]], leaves: dict[str, int],
                 entries: int = 0, more: str = "", root: str = ""):
        self.branches = branches  # docname -> markers of the link and every ancestor
        self.leaves = leaves      # docname -> marker of its own <li> (current-page)
        self.pieces: list[str] = []  # the text of a page that marks nothing
        self.starts: list[int] = []  # where each piece starts in ``html``
        # marker -> the slots that carry it: (piece, class words or None for a collapse
        # box, the link's href, the box's marker)
        self.slots: dict[int, list[tuple[int, list[str] | None, str, int]]] = {}
        at = 0
        for match in _SLOT.finditer(html):
            if match[1] is not None and MARK not in match[1]:
                continue
            self.starts += [at, match.start()]
            self.pieces.append(html[at:match.start()])
            at = match.end()
            if match[1] is None:  # a collapse box
                numbers, slot = [int(match[3])], (len(self.pieces), None, "", int(match[3]))
            else:
                words = match[1].split()
                numbers = [int(w[len(MARK):]) for w in words if w.startswith(MARK)]
                slot = (len(self.pieces), words, match[2] or "", -1)
            for number in numbers:
                self.slots.setdefault(number, []).append(slot)
            self.pieces.append(_marked(slot, set(), None, None))
        self.starts += [at, len(html)]
        self.pieces.append(html[at:])
        self.entries = entries
        self.long = _long_lists(html, entries, more, root) if entries else []

    def for_page(self, docname: str) -> str:
        current = set(self.branches.get(docname, ()))
        link = self.branches[docname][0] if current else None
        own = self.leaves.get(docname)
        marked = {slot[0]: _marked(slot, current, link, own)  # piece -> this page's text
                  for number in current | {own} - {None} for slot in self.slots.get(number, ())}
        if not self.long:
            pieces = list(self.pieces)
            for k, text in marked.items():
                pieces[k] = text
            return "".join(pieces)
        cuts, adds = [], []  # what this page leaves out of each long list, and adds to it
        for items, index, close, more in self.long:
            at = min((index[m] for m in current if m in index), default=None)
            size = self.entries
            first = 0 if at is None else min(max(at - size // 2, 0), len(items) - size)
            if first > 0:
                cuts.append((items[0][0], items[first][0]))
            if first + size < len(items):
                cuts.append((items[first + size][0], items[-1][1]))
            adds.append((close, more))
        return self._cut(marked, cuts, adds)

    def _cut(self, marked: dict[int, str], cuts: list[tuple[int, int]],
             adds: list[tuple[int, str]]) -> str:
        """The page's text without the text between each cut's two places in the tree's
        HTML, with each addition put in at its place (unless that was cut)."""
        kept, at = [], 0  # the spans of the tree's HTML the page keeps
        for start, end in sorted(cuts):
            if start > at:
                kept.append((at, start))
            at = max(at, end)
        kept.append((at, self.starts[-1]))
        out = []
        for start, end in kept:
            for place, text in sorted(adds):  # one left in a cut is left out
                if start <= place <= end:
                    out += self._text(marked, start, place)
                    out.append(text)
                    start = place
            out += self._text(marked, start, end)
        return "".join(out)

    def _text(self, marked: dict[int, str], start: int, end: int) -> list[str]:
        """The page's text of the tree's HTML from ``start`` to ``end`` (never inside a
        slot: cuts fall between list items): slices of the text of a page that marks
        nothing, with the page's own slots in between."""
        joined, placed = self._joined()
        out, at = [], self._placed(start)
        for k in sorted(marked):
            if start <= self.starts[k] < end:
                out += [joined[at:placed[k]], marked[k]]
                at = placed[k + 1]
        out.append(joined[at:self._placed(end)])
        return out

    def _placed(self, where: int) -> int:
        """Where a place in the tree's HTML is in the text of a page that marks nothing."""
        k = bisect.bisect_right(self.starts, where) - 1
        return self._joined()[1][k] + (where - self.starts[k] if k % 2 == 0 else 0)

    def _joined(self) -> tuple[str, list[int]]:
        """The text of a page that marks nothing, and where each piece starts in it
        (made once, not kept with the template)."""
        if "_text_of_nobody" not in self.__dict__:
            self._text_of_nobody = ("".join(self.pieces),
                                    list(itertools.accumulate(map(len, self.pieces), initial=0)))
        return self._text_of_nobody

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_text_of_nobody"}


_TAG = re.compile(r"<(/?)(ul|li)\b[^>]*>")
_MARKS = re.compile(rf"\b{MARK}(\d+)\b")
_HREF = re.compile(r'<a [^>]*\bhref="([^"]*)"')
_LEVEL = re.compile(r"\btoctree-l\d+\b")


def _long_lists(html: str, entries: int, more: str, root: str) -> list:
    """Each list of the tree with more than ``entries`` items: its items (where each
    starts and ends in ``html``, and the markers of its <li>), which item each marker is
    in, where the list ends, and
    the item that links to the page listing them all (the list's parent, or ``root``
    for a toctree of the root document)."""
    found, stack = [], []  # stack: ["ul", start, items] or ["li", start, opening tag]
    for tag in _TAG.finditer(html):
        closing, name = tag[1] == "/", tag[2]
        if not closing:
            stack.append([name, tag.start(), [] if name == "ul" else tag[0]])
        elif name == "li" and stack and stack[-1][0] == "li":
            _, start, opening = stack.pop()
            if stack and stack[-1][0] == "ul":
                marks = frozenset(int(n) for n in _MARKS.findall(opening))
                stack[-1][2].append((start, tag.end(), marks))
        elif name == "ul" and stack and stack[-1][0] == "ul":
            _, start, items = stack.pop()
            if len(items) <= entries:
                continue
            parent = stack[-1][1] if stack else None
            href = _HREF.search(html, parent) if parent is not None else None
            level = _LEVEL.search(html, items[0][0], items[0][1])
            index = {mark: i for i, (_, _, marks) in enumerate(items) for mark in marks}
            found.append((items, index, tag.start(), (
                f'<li class="{level[0] if level else "toctree-l1"} carepress-all">'
                f'<a class="reference internal" href="{href[1] if href else root}">'
                f'{escape(more.format(count=len(items)))}</a></li>\n')))
    return found


def _marked(slot: tuple, current: set[int], link: int | None, own: int | None) -> str:
    """A slot's text on a page whose link and its ancestors carry the markers
    ``current`` (``link`` the link's own, ``own`` its list item's): each marker becomes
    ``current`` (and the link's href ``#``) or nothing, as Sphinx and furo mark a page."""
    _, words, href, box = slot
    if words is None:
        return ' checked=""' if box in current else ""
    out = []
    for word in words:
        if not word.startswith(MARK):
            out.append(word)
            continue
        number = int(word[len(MARK):])
        if number in current:
            out.append("current")
            if href and number == link:
                href = ' href="#"'
    if own is not None and f"{MARK}{own}" in words:
        out.append("current-page")
    return f' class="{" ".join(out)}"{href}' if out else href


def _template(app, folder: str, get_navigation_tree) -> _Template:
    builder = app.builder
    nobody = posixpath.join(folder, "__carepress_navigation__")  # in no toctree
    tree = global_toctree_for_doc(app.env, nobody, builder, tags=builder.tags, **FURO_CALL)
    if tree is None:
        return _Template("", {}, {})
    by_href = {builder.get_relative_uri(nobody, doc): doc for doc in app.env.found_docs}
    branches: dict[str, list[int]] = {}
    leaves: dict[str, int] = {}
    numbers: dict[int, int] = {}  # id(node) -> marker

    def mark(node) -> int:
        if id(node) not in numbers:
            numbers[id(node)] = len(numbers)
            node["classes"].append(f"{MARK}{numbers[id(node)]}")
        return numbers[id(node)]

    for ref in tree.findall(nodes.reference):
        doc = by_href.get(ref.get("refuri"))
        if doc is None:
            continue
        chain, item, node = [mark(ref)], None, ref.parent
        while node is not None:  # Sphinx marks every ancestor of the link current
            if isinstance(node, (nodes.list_item, nodes.bullet_list)):
                chain.append(mark(node))
                if item is None and isinstance(node, nodes.list_item):
                    item = chain[-1]
            node = node.parent
        branches[doc] = branches.get(doc, []) + chain  # listed twice: both are marked,
        leaves[doc] = item                              # and furo's current-page is the last
    html = get_navigation_tree(builder.render_partial(tree)["fragment"])
    # furo puts each collapse box right after its <li>'s link: tag it with the <li>'s
    # marker where its `checked` would sort
    html = _BOX.sub(lambda m: f'{m[1]} data-cpnav="{m[2]}"', html)
    return _Template(html, branches, leaves, app.config.carepress_sidebar_entries, _more(),
                     builder.get_relative_uri(nobody, app.config.root_doc))


def _more() -> str:
    """The link under a list cut short, in the language being built."""
    from sphinx.locale import get_translation

    from ..languages import CATALOGUE
    return get_translation(CATALOGUE)("All {count} topics")


ANSWERED = "carepress_navigation"  # in a page's context: furo's call was answered here
templates: "WeakKeyDictionary[object, dict[str, _Template]]" = WeakKeyDictionary()  # per builder
_keys: "WeakKeyDictionary[object, dict]" = WeakKeyDictionary()  # per builder: folder -> key
_written: "WeakKeyDictionary[object, dict]" = WeakKeyDictionary()  # page -> (key, digest)
_reading: "WeakKeyDictionary[object, bool]" = WeakKeyDictionary()  # the build reads topics
_titles_of: "WeakKeyDictionary[object, dict]" = WeakKeyDictionary()  # _titles, this build
_last: "WeakKeyDictionary[object, dict]" = WeakKeyDictionary()  # the record as read


def add_stale_pages(app) -> None:
    """``builder-inited`` in a site build: the pages to write are Sphinx's and those
    written with another tree than their folder's now. A site build that starts from
    the brochure build's environment (`carepress build`, `carepress preview`) has every
    title by then; one that reads topics itself finds the rest once it has read them
    (:func:`pages_to_write_again`)."""
    builder = app.builder
    if builder.name not in PAGE_BUILDERS:
        return
    original = builder.get_outdated_docs

    def get_outdated_docs():
        outdated = original()
        if isinstance(outdated, str):  # Sphinx's "all": every page is written anyway
            return outdated
        return iter(sorted(set(outdated) | set(_stale(app))))
    builder.get_outdated_docs = get_outdated_docs


def note_reading(app, env, docnames) -> None:
    """``env-before-read-docs``: whether this build reads topics itself."""
    if docnames:
        _reading[app.builder] = True


def pages_to_write_again(app, env) -> list[str] | None:
    """``env-updated`` in a site build that read topics itself: the pages its titles
    made stale, for Sphinx to write too (what an ``env-updated`` handler returns). Not
    in one that read nothing: Sphinx saves the environment again when this returns
    pages, and :func:`add_stale_pages` has found them all."""
    if app.builder.name not in PAGE_BUILDERS or not _reading.pop(app.builder, False):
        return None
    return _stale(app)


def _stale(app) -> list[str]:
    """The pages whose sidebar differs from the one they were last written with: a page
    written with its folder's key as it is now has the same; else its sidebar is made
    again and compared (a title changed outside a page's part of a long list leaves
    that page as it is)."""
    builder = app.builder
    for memo in (_keys, templates, _titles_of):  # the titles as they are now
        memo.pop(builder, None)
    written = _written[builder] = {}
    last = _last[builder] = _last_written(app)
    ours = app.config.html_theme == "furo" and compat.furo_navigation_tree() is not None
    stale, relations = [], None
    for page in sorted(app.env.found_docs):
        folder = page.rpartition("/")[0]  # posixpath.dirname, a tenth of the time
        key, (was, digest) = _key(app, folder), last.get(page, (None, None))
        if was == key:
            continue
        if digest is not None and ours:
            relations = relations if relations is not None else app.env.collect_relations()
            sidebar = _folder(app, folder).for_page(page)
            if _digest(page, sidebar, relations, _titles_now(app)) == digest:
                written[page] = (key, digest)  # the same sidebar: kept with the new key
                continue
        stale.append(page)
    if relations is not None:  # sidebars were made: from the root doctree as it is now
        compat.forget_root_doctree(app.env)
    return stale


def _digest(page: str, sidebar: str, relations: dict, titles: dict) -> str:
    """A page's sidebar, and the titles of the pages it links to as its parent, previous
    and next (furo shows them below the text: a renamed neighbour outside the page's
    part of a long list changes them too)."""
    h = hashlib.sha256(sidebar.encode())
    for doc in relations.get(page, ()):
        h.update(f"\0{doc}\0{titles[doc][1] if doc in titles else ''}".encode())
    return h.hexdigest()


def record_written(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the key of the tree this page is written with, and the
    digest of its sidebar (furo's; None with another theme)."""
    if app.builder.name in PAGE_BUILDERS and pagename in app.env.found_docs:
        sidebar = context.get("furo_navigation_tree")
        relations = getattr(app.builder, "relations", None)  # Sphinx's, made to write
        _written.setdefault(app.builder, {})[pagename] = (
            _key(app, posixpath.dirname(pagename)),
            _digest(pagename, sidebar, relations, _titles_now(app))
            if isinstance(sidebar, str) and isinstance(relations, dict) else None)


def _titles_now(app) -> dict:
    """:func:`_titles`, once per build (it looks at every page)."""
    if app.builder not in _titles_of:
        _titles_of[app.builder] = _titles(app.env)
    return _titles_of[app.builder]


def save_written(app, exception) -> None:
    """``build-finished``: the pages written, with their keys, kept for the next build
    (none when it failed: those pages are written again)."""
    written = _written.pop(app.builder, None)
    if exception is not None or not written:
        return
    found, last = app.env.found_docs, _last.pop(app.builder, None)
    last = _last_written(app) if last is None else last
    pages = {p: k for p, k in last.items() if p in found} | written
    if pages == last:  # an edit that changed no sidebar
        return
    keys = sorted({key for key, _ in pages.values()})
    number = {key: i for i, key in enumerate(keys)}
    # {"keys": [...], "pages": {page: [its key's number, its digest]}}
    atomic.write_text(outputs.sidebar_record(Path(app.outdir)), json.dumps(
        {"keys": keys, "pages": {p: [number[k], d] for p, (k, d) in sorted(pages.items())}},
        separators=(",", ":")))


def _last_written(app) -> dict[str, tuple]:
    """The pages of this site as the last build wrote them: page -> (key, digest). A
    record of another shape (an earlier version's, a damaged file) counts as none."""
    try:
        saved = json.loads(outputs.sidebar_record(Path(app.outdir)).read_text(encoding="utf-8"))
        keys = saved["keys"]
        return {page: (keys[i], digest) for page, (i, digest) in saved["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return {}


def before_furo(app, pagename, templatename, context, doctree) -> None:
    """Furo's own call gets an empty tree, cheaply."""
    toctree = context.get("toctree")
    if toctree is None or app.config.html_theme != "furo" or not compat.furo_navigation_tree():
        return

    def answer(**kwargs):
        if kwargs == FURO_CALL:
            context[ANSWERED] = True
            return ""
        return toctree(**kwargs)

    context["toctree"] = answer


def after_furo(app, pagename, templatename, context, doctree) -> None:
    if not context.pop(ANSWERED, False):
        return
    folder = posixpath.dirname(pagename)
    context["furo_navigation_tree"] = _folder(app, folder).for_page(pagename)


def _folder(app, folder: str) -> _Template:
    cache = templates.setdefault(app.builder, {})
    if folder not in cache:
        cache[folder] = _kept(app, folder)
    return cache[folder]


def _key(app, folder: str) -> str:
    """Everything a folder's tree is made of (furo's call: titles only, every level),
    worked out once per build (one key object for all the folder's pages)."""
    keys = _keys.setdefault(app.builder, {})
    if folder not in keys:
        if None not in keys:
            keys[None] = _tree_digest(app)
        keys[folder] = hashlib.sha256(f"{folder}\0{keys[None]}".encode()).hexdigest()
    return keys[folder]


def _tree_digest(app) -> str:
    """What every folder's tree is made of: the toctrees, titles and section numbers."""
    import furo
    env, builder = app.env, app.builder
    h = hashlib.sha256(repr((builder.name, builder.out_suffix, builder.link_suffix,
                             app.config.root_doc, str(furo.__version__), _CODE,
                             app.config.carepress_sidebar_entries, _more())).encode())
    h.update(repr(sorted(env.toctree_includes.items())).encode())
    h.update(repr(sorted(env.toc_secnumbers.items())).encode())
    titles = _titles_now(app)
    for doc in sorted(env.found_docs):
        h.update(f"\n{doc}\0{titles[doc][1] if doc in titles else ''}".encode())
    return h.hexdigest()


def keep_titles(app, env) -> None:
    """``env-updated``: the titles as the tree shows them are taken by the brochure build,
    which saves the environment, and the site build finds them there (:func:`_titles`);
    else every title is unpickled on every site build (compat.LazyNodes). (A handler
    of this event returns None: what it returns is taken as pages to write again.)"""
    _titles(env)


def _titles(env) -> dict[str, tuple[int, str]]:
    """Each page's title as the tree shows it (its nodes, images and all), taken again
    only for a page read since (compat.per_page)."""
    def title(doc: str) -> str:
        node = env.titles.get(doc)
        return node.pformat() if node is not None else ""
    return compat.per_page(env, "carepress_navigation_titles", title)


def _kept(app, folder: str) -> _Template:
    """The folder's tree as the last build made it when nothing it is made of changed;
    else made now, and kept."""
    path = Path(app.doctreedir, SAVED)
    try:
        saved = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        saved = {}
    key = _key(app, folder)
    if folder in saved and saved[folder][0] == key:
        return saved[folder][1]
    template = _template(app, folder, compat.furo_navigation_tree())
    saved[folder] = (key, template)
    atomic.write_bytes(path, pickle.dumps(saved, pickle.HIGHEST_PROTOCOL))
    return template
