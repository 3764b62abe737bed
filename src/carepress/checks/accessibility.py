"""Accessibility of content: every image has alt text or is marked decorative, and
headings never skip a level (the title is the level-1 heading; sections start at ``##``).

An image is decorative when it (or its figure) has the class ``decorative``; it then
gets an empty alt text, so screen readers pass over it on the site. In a brochure it
becomes an ``<object>``: WeasyPrint's PDF/UA output requires alt text on every ``<img>``
but tags an object as carrying no meaning, which is what decoration is.
"""

from __future__ import annotations

from docutils import nodes

from . import Finding, locate
from ..topic import FRONT_MATTER


def _decorative(image) -> bool:
    parent = image.parent
    return "decorative" in image.get("classes", ()) or (
        isinstance(parent, nodes.figure) and "decorative" in parent.get("classes", ()))


def mark_decorative(app, doctree) -> None:
    for image in doctree.findall(nodes.image):
        if _decorative(image):
            image["alt"] = ""


MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg", ".gif": "image/gif"}


def decorative_for_print(app, doctree, docname) -> None:
    if app.builder.name != "brochure":
        return
    from html import escape
    from pathlib import PurePosixPath
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        if not _decorative(image) or "://" in uri:
            continue
        style = f"width: {image['width']}; " if image.get("width") else ""
        mime = MIME.get(PurePosixPath(uri).suffix.lower(), "image/svg+xml")
        html = (f'<object data="{escape(uri)}" type="{mime}" role="presentation" '
                f'class="decorative" style="{style}max-width: 100%"></object>')
        image.replace_self(nodes.raw("", html, format="html"))


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line, level, text) of each Markdown heading, front matter and code left out."""
    from markdown_it import MarkdownIt
    m = FRONT_MATTER.match(text)
    if m:  # blank lines keep the line numbers true
        text = "\n" * m.group(0).count("\n") + text[m.end():]
    tokens = MarkdownIt("commonmark").parse(text)
    out = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            out.append((token.map[0] + 1, int(token.tag[1]), tokens[i + 1].content))
    return out


def check(ctx, doc):
    for image in doc.doctree.findall(nodes.image):
        if not (image.get("alt") or "").strip() and not _decorative(image):
            line = locate.find_line(doc, image.get("uri", ""), locate.node_line(image))
            yield Finding("accessibility", "error", doc.path, line,
                          f"accessibility: the image '{image.get('uri')}' has no alt text. Add "
                          f"':alt: what the picture shows' (or ![what it shows](file) in "
                          f"Markdown); if it is only decoration, add ':class: decorative'.",
                          doc.docname)
    if not doc.path.suffix == ".md":
        return
    previous = 1 if doc.topic is not None else 0  # a topic's title is its level-1 heading
    for line, level, title in headings(doc.text):
        if doc.topic is not None and level == 1:
            yield Finding("accessibility", "error", doc.path, line,
                          f"accessibility: '# {title}' repeats the title, which is printed from "
                          "the front matter. Start sections at '##'.", doc.docname)
        elif previous and level > previous + 1:
            yield Finding("accessibility", "error", doc.path, line,
                          f"accessibility: the heading '{title}' jumps from level {previous} to "
                          f"level {level}. Use {'#' * (previous + 1)} here, so screen-reader "
                          f"users can follow the outline.", doc.docname)
        previous = level


def setup_accessibility(app) -> None:
    app.connect("doctree-read", mark_decorative)
    app.connect("doctree-resolved", decorative_for_print)
