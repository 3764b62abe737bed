"""Accessibility of content: every image has alt text or is marked decorative
(sources/images.py), and headings never skip a level (the title is the level-1 heading;
sections start at ``##``, and a ``#`` in the body is a build error: sources/headings.py)."""

from __future__ import annotations

from docutils import nodes

from .model import Finding
from . import locate
from ..sources.images import is_decorative
from ..sources.topic import FRONT_MATTER


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
        if not (image.get("alt") or "").strip() and not is_decorative(image):
            line = locate.find_line(doc, image.get("uri", ""), locate.node_line(image))
            yield Finding("accessibility", "error", doc.path, line,
                          f"accessibility: the image '{image.get('uri')}' has no alt text. Add "
                          f"':alt: what the picture shows' (or ![what it shows](file) in "
                          f"Markdown); if it is only decoration, add ':class: decorative'.",
                          doc.docname)
    if not doc.path.suffix == ".md":
        return
    # A topic's title is its level-1 heading; a `#` in its body is a build error
    # (sources/headings.py), reported with the build's own findings.
    previous = 1 if doc.topic is not None else 0
    for line, level, title in headings(doc.text):
        if doc.topic is not None and level == 1:
            continue
        if previous and level > previous + 1:
            yield Finding("accessibility", "error", doc.path, line,
                          f"accessibility: the heading '{title}' jumps from level {previous} to "
                          f"level {level}. Use {'#' * (previous + 1)} here, so screen-reader "
                          f"users can follow the outline.", doc.docname)
        previous = level
