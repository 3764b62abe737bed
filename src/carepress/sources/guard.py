"""What a topic may reach: files inside the project, safe links, no raw HTML by default.

Topics come from pull requests. Right after a topic is read (before Sphinx's
collectors copy images and downloads into the site) every image, link, download
and piece of raw HTML is checked; anything that would read outside the project,
load from the web, or run code is reported with its line and removed, and the
topic is marked so that its previous PDF is kept. Directives that read other
files (include, literalinclude, csv-table :file:, raw :file:/:url:) are off.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes
from docutils.utils import get_source_line
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .. import compat
from .addresses import IMAGE_TYPES, decode_data_uri
from ..errors import report
from .topic import topics

LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# The safe subset of HTML (carepress_raw_html = True): formatting and structure only.
# Nothing that loads anything (img, link, style, iframe, object) and no style attribute.
HTML_TAGS = {"a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
             "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
             "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p",
             "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
             "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "wbr"}
HTML_ATTRIBUTES = {"*": {"lang", "dir", "title", "class"}, "a": {"href"},
                   "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
                   "ol": {"start", "type"}}
# MyST's own checkbox for "- [ ] item": carepress's, not the writer's HTML.
TASK_CHECKBOX = re.compile(r'<input class="task-list-item-checkbox" (checked="checked" )?'
                           r'(disabled="disabled" )?type="checkbox">')
HARD_BREAK = "<br />\n"  # MyST's own line break: a backslash (or two spaces) at a line end
MAX_WORD = 1000  # characters without a space
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)([^>]*)>")
_EVENT = re.compile(r"\son\w+\s*=", re.I)


def blocked(env) -> set[str]:
    """Topics with a refused part: not printed, so their previous PDF stays."""
    if not hasattr(env, "carepress_blocked"):
        env.carepress_blocked = set()
    return env.carepress_blocked


def _refuse(env, where, message: str) -> None:
    """``where``: the node, or (docname, line)."""
    report(message, location=where)
    blocked(env).add(env.docname)
    env.reread_always.add(env.docname)  # keep reporting it until it is fixed


refuse = _refuse  # for the other checks of sources/ (headings.py)


# -- raw HTML ------------------------------------------------------------------------
def _unsafe_part(html: str) -> str | None:
    for closing, tag, attrs in _TAG.findall(html):
        if tag.lower() not in HTML_TAGS:
            return f"<{tag}>"
        if _EVENT.search(attrs):
            return f"an event handler on <{tag}>"
        if "style" in attrs.lower():
            return f"a style attribute on <{tag}>"
    if re.search(r"javascript\s*:", html, re.I):
        return "a javascript: link"
    return None


def clean_html(fragment: str) -> str:
    """The safe subset of an HTML fragment. MyST splits inline HTML into single tags
    (``<b>``, text, ``</b>``), so a lone start or end tag is kept as it is when allowed."""
    text = fragment.strip()
    if m := re.fullmatch(r"<\s*/\s*([a-zA-Z][\w-]*)\s*>", text):
        return f"</{m[1].lower()}>" if m[1].lower() in HTML_TAGS else ""
    import nh3  # only a project that allows raw HTML needs it

    cleaned = nh3.clean(fragment, tags=HTML_TAGS, attributes=HTML_ATTRIBUTES,
                        url_schemes=LINK_SCHEMES, link_rel="noopener noreferrer")
    if m := re.fullmatch(r"<\s*([a-zA-Z][\w-]*)[^>]*>", text):
        cleaned = cleaned.removesuffix(f"</{m[1].lower()}>")  # nh3 closed the lone tag
    return cleaned


def _raw_html(app, doctree) -> None:
    allowed = app.config.carepress_raw_html
    seen_lines = set()
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split():
            continue
        html = node.astext()
        if TASK_CHECKBOX.fullmatch(html) or html == HARD_BREAK:
            continue
        line = get_source_line(node)[1]
        if not allowed:
            if line not in seen_lines:
                seen_lines.add(line)
                _refuse(app.env, node, f"raw HTML is turned off: '{html.strip()[:60]}' is not "
                        "printed or published. Write it in Markdown instead (for example "
                        "**bold**, [a link](https://…), a list or a table).")
            node.parent.remove(node)
            continue
        part = _unsafe_part(html)
        if part and line not in seen_lines:
            seen_lines.add(line)
            _refuse(app.env, node, f"raw HTML here uses {part}, which is never allowed in a topic "
                    "(only simple formatting is). Remove it; it was left out of the site and "
                    "the brochure.")
        node.children = [nodes.Text(clean_html(html))]


# -- images ----------------------------------------------------------------------------
def _data_uri_problem(uri: str, limit_kb: int) -> str | None:
    try:
        mime, data = decode_data_uri(uri)
    except ValueError as exc:
        return str(exc)
    if mime not in IMAGE_TYPES:
        return f"a data: address may only hold a PNG, JPEG, GIF, WebP or SVG image, not {mime}"
    if len(data) > limit_kb * 1024:
        return (f"it is {len(data) // 1024} KB, more than the {limit_kb} KB allowed for an "
                "image written into the topic (carepress_data_uri_max_kb)")
    from . import svgcheck  # (defusedxml) only where there is an SVG image

    if mime == "image/svg+xml" and (why := svgcheck.problem(data)):
        return f"this SVG image is unsafe: {why}"
    return None


def allowed_url(url: str, config) -> bool:
    return any(url.startswith(prefix) for prefix in config.carepress_allowed_urls)


def _images(app, doctree) -> None:
    env, srcdir = app.env, Path(app.srcdir).resolve()
    for node in list(doctree.findall(nodes.image)):
        uri = node["uri"]
        scheme = urlsplit(uri).scheme.lower()
        if uri.startswith("data:"):
            why = _data_uri_problem(uri, app.config.carepress_data_uri_max_kb)
            if why:
                _refuse(app.env, node, f"image 'data:…' cannot be used: {why}. Save the picture "
                        "as a file in docs/source/images/ and point at that file.")
                node.parent.remove(node)
            continue
        if "://" in uri or uri.startswith("//") or len(scheme) > 1:
            if scheme in ("http", "https") and allowed_url(uri, app.config):
                continue
            _refuse(app.env, node, f"image '{uri}' is on the web; a brochure may only use images "
                    "stored beside the topic. Download it into docs/source/images/ and point "
                    "at that file (or list its address in carepress_allowed_urls in conf.py).")
            node.parent.remove(node)
            continue
        path = Path(env.relfn2path(uri, env.docname)[1]).resolve()  # follows symlinks
        if not path.is_relative_to(srcdir):
            _refuse(app.env, node, f"image '{uri}' is outside the project ({path}). Copy it into "
                    "docs/source/images/ and point at that file.")
            node.parent.remove(node)
        elif path.suffix.lower() == ".svg" and path.is_file():
            from . import svgcheck  # (defusedxml) only where there is an SVG image
            why = svgcheck.problem(path.read_bytes())
            if why:
                _refuse(app.env, node, f"image '{uri}' is unsafe: {why}. Save it again as a plain "
                        "drawing (in Inkscape: Save As > Plain SVG) or as a PNG.")
                node.parent.remove(node)


# -- links and downloads ---------------------------------------------------------------
def _links(app, doctree) -> None:
    for node in list(doctree.findall(nodes.reference)):
        uri = node.get("refuri", "")
        scheme = urlsplit(uri).scheme.lower() if ":" in uri else ""
        if len(scheme) > 1 and scheme not in LINK_SCHEMES:
            _refuse(app.env, node, f"link '{uri[:80]}' uses '{scheme}:', which a topic may not "
                    "link to. Link to a web page (https://…), an email (mailto:) or a phone "
                    "number (tel:).")
            node.replace_self(nodes.inline("", "", *node.children))


def _downloads(app, doctree) -> None:
    env, srcdir = app.env, Path(app.srcdir).resolve()
    for node in list(doctree.findall(addnodes.download_reference)):
        target = node.get("reftarget", "")
        if "://" in target:
            continue  # a web address: a plain link
        path = Path(env.relfn2path(target, env.docname)[1]).resolve()
        if not path.is_relative_to(srcdir):
            _refuse(app.env, node, f"download '{target}' is outside the project. Only files in "
                    "docs/source/ can be offered for download.")
            node.replace_self(node.children)


def _long_words(app, doctree) -> None:
    """No line on paper holds a word this long; laying it out would take minutes."""
    for node in doctree.findall(nodes.Text):
        if m := re.search(rf"\S{{{MAX_WORD}}}", node.astext()):
            _refuse(app.env, node.parent, f"a word of more than {MAX_WORD} characters "
                    f"('{m.group(0)[:40]}…') cannot be printed. Break it up with spaces.")
            return


def check_doctree(app, doctree) -> None:
    _raw_html(app, doctree)
    _images(app, doctree)
    _links(app, doctree)
    _downloads(app, doctree)
    _long_words(app, doctree)


class FileInsertionRefused(SphinxDirective):
    """include and literalinclude: a topic may not pull in files (they could be anywhere)."""
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = None  # any option

    def run(self):
        message = (f"the {{{self.name}}} directive is turned off: a topic may not pull in "
                   "other files. Copy the text into the topic instead.")
        _refuse(self.env, (self.env.docname, self.lineno), message)
        return []


class BlockOnWarning(logging.Filter):
    """With warnings as errors (as `make` builds), a topic with a warning (an unknown
    directive, a broken link) is not printed either: its previous PDF stays, and the
    warning is shown again at every build until it is fixed."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        env = getattr(self.app, "env", None)
        if record.levelno >= logging.WARNING and env is not None \
                and compat.warnings_are_errors(self.app) \
                and getattr(record, "type", "") != "carepress":
            location = getattr(record, "location", None)
            if isinstance(location, nodes.Node):
                location = get_source_line(location)[0]
            if isinstance(location, tuple):
                location = location[0]
            docname = env.path2doc(location) if location and "/" in location else location
            if docname in topics(env):
                blocked(env).add(docname)
                env.reread_always.add(docname)
        return True


def file_insertion_off(app) -> None:
    # docutils' own switch for csv-table :file:/:url:, raw :file:/:url: and friends
    app.env.settings["file_insertion_enabled"] = False


def on_env_purge_doc(app, env, docname) -> None:
    blocked(env).discard(docname)


def on_env_merge_info(app, env, docnames, other) -> None:
    blocked(env).update(blocked(other) & set(docnames))


def block_on_warnings(app) -> None:
    for handler in logging.getLogger("sphinx").handlers:
        handler.filters.insert(0, BlockOnWarning(app))


def refuse_file_insertion(app) -> None:
    for name in ("include", "literalinclude"):
        app.add_directive(name, FileInsertionRefused, override=True)
