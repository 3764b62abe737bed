"""What turns a topic's doctree into one brochure's: shared by every print format.

The builder gives each (brand, format) its own copy of the resolved doctree and calls
:func:`for_print` on it; the site never sees these changes.
"""

from __future__ import annotations

from html import escape
from pathlib import PurePosixPath

from docutils import nodes

from ..sources.directives import fill_clinic_fields
from ..sources.images import is_decorative
from ..sources.per_format import keep_for

MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg", ".gif": "image/gif"}


def for_print(doctree, fmt: str, brand, baseurl: str) -> None:
    keep_for(doctree, fmt)
    fill_clinic_fields(doctree, brand)
    _drop_title(doctree)
    _links_for_paper(doctree, baseurl)
    _open_dropdowns(doctree)
    _decorative_images(doctree)


def _drop_title(doctree) -> None:
    """The print template sets the title itself, above the summary and under the logo."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and isinstance(section[0], nodes.title):
        section.remove(section[0])


def _links_for_paper(doctree, baseurl: str) -> None:
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if ref.get("internal") or (uri and "://" not in uri and not uri.startswith("mailto:")):
            # A link to another page of the site: point at the hosted page, if there is one.
            if baseurl and uri:
                ref["refuri"] = baseurl.rstrip("/") + "/" + uri
                ref["classes"].append("show-url")
            elif "refuri" in ref:
                del ref["refuri"]
        elif uri.startswith(("http://", "https://")) and ref.astext().strip() != uri:
            ref["classes"].append("show-url")  # print the address after the text


def _open_dropdowns(doctree) -> None:
    """sphinx-design dropdowns print open."""
    for node in doctree.findall(nodes.Element):
        if "opened" in node.attributes:
            node["opened"] = True


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
