"""What turns a topic's doctree into one brochure's: shared by every print format.

The builder gives each (brand, format) its own copy of the resolved doctree and calls
:func:`for_print` on it; the site never sees these changes.
"""

from __future__ import annotations

from html import escape
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from docutils import nodes

from ..sources.directives import fill_clinic_fields
from ..sources.images import is_decorative
from ..sources.per_format import keep_for
from .layouts import FOLDED

MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg", ".gif": "image/gif"}


def for_print(doctree, fmt: str, brand, page: str) -> None:
    """``page``: the topic's page on the hosted site ("" without html_baseurl)."""
    keep_for(doctree, fmt)
    fill_clinic_fields(doctree, brand)
    _drop_title(doctree)
    _links_for_paper(doctree, fmt, page)
    _open_dropdowns(doctree)
    _ticked_items(doctree)
    _decorative_images(doctree)


def _drop_title(doctree) -> None:
    """The print template sets the title itself, above the summary and under the logo."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and isinstance(section[0], nodes.title):
        section.remove(section[0])


def _links_for_paper(doctree, fmt: str, page: str) -> None:
    """Paper cannot be clicked, so every link prints what a reader needs to follow it:

    - to a place in this brochure: its text, then "(page N)" in the page formats;
    - to another topic or page of the site (or a part of this topic left out of this
      format): the hosted page's address after the text, as for a web link; only the
      text without html_baseurl;
    - to a web page: its address after the text, unless the text is the address;
    - to an email address or a phone number: the address or number after the text.

    A link that is only a picture prints no address (it would stand alone)."""
    ids = {i for node in doctree.findall(nodes.Element) for i in node.get("ids", ())}
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        anchor = ref.get("refid") or (uri[1:] if uri.startswith("#") else None)
        picture = bool(ref.children) and all(isinstance(c, nodes.image) for c in ref.children)
        scheme = urlsplit(uri).scheme.lower() if ":" in uri else ""
        if anchor is not None and anchor in ids:
            if fmt not in FOLDED:  # a folded sheet's panels are not numbered pages
                ref["classes"].append("page-ref")
            continue
        if anchor is not None or ref.get("internal") or (uri and not scheme):
            ref.attributes.pop("refid", None)
            target = f"#{anchor}" if anchor is not None else uri
            if page and target.strip("#"):
                ref["refuri"] = urljoin(page, target)
                if not picture:
                    ref["classes"].append("show-url")
            else:
                ref.attributes.pop("refuri", None)
        elif scheme in ("http", "https"):
            if ref.astext().strip() != uri and not picture:
                ref["classes"].append("show-url")
        elif scheme in ("mailto", "tel"):
            address = unquote(uri.split(":", 1)[1].split("?")[0])
            if address and ref.astext().strip() != address and not picture:
                ref.parent.insert(ref.parent.index(ref) + 1, nodes.Text(f" ({address})"))


def _open_dropdowns(doctree) -> None:
    """sphinx-design dropdowns print open."""
    for node in doctree.findall(nodes.Element):
        if "opened" in node.attributes:
            node["opened"] = True


def _ticked_items(doctree) -> None:
    """``- [x] item`` prints a ticked box: its list item is marked for print.css (the
    checkbox itself is MyST's raw HTML, hidden on paper)."""
    for raw in doctree.findall(nodes.raw):
        if 'checked="checked"' in raw.astext() and "task-list-item-checkbox" in raw.astext():
            item = raw.parent
            while item is not None and not isinstance(item, nodes.list_item):
                item = item.parent
            if item is not None:
                item["classes"].append("task-done")


def _decorative_images(doctree) -> None:
    """A decorative image becomes an ``<object>``: WeasyPrint's PDF/UA output requires alt
    text on every ``<img>`` but tags an object as carrying no meaning, which is what
    decoration is."""
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        if not is_decorative(image) or "://" in uri:
            continue
        style = f"width: {image['width']}; " if image.get("width") else ""
        mime = MIME.get(PurePosixPath(uri).suffix.lower(), "image/svg+xml")
        html = (f'<object data="{escape(uri)}" type="{mime}" role="presentation" '
                f'class="decorative" style="{style}max-width: 100%"></object>')
        image.replace_self(nodes.raw("", html, format="html"))
