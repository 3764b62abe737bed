"""Markdown that MyST left as text: a warning with its line and the reason, never a silent
misprint.

MyST reads ``![x](file:///etc/hostname)`` or ``[x](javascript:…)`` as plain text (its
parser refuses those addresses), so the page and the brochure would show the raw
characters to patients. After a topic is read, any image or link syntax still in its
text, and any ``{{ substitution }}`` (turned off: see README, For writers), is a warning
naming the line. With warnings as errors (as `make` builds) the topic is then not
printed, like any topic with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.util import logging

from .. import compat
from .guard import blocked
from .topic import topics

logger = logging.getLogger(__name__)

LINK = re.compile(r"!?\[[^\[\]\n]*\]\(\s*<?([^)>]*?)>?(?:\s+\"[^\"]*\")?\s*\)")
SPACED_LINK = re.compile(r"!?\[[^\[\]\n]*\]\s+\(\s*((?:https?://|mailto:|#)[^)\s]*|[^)\s]+\.md)"
                         r"\s*\)")
SUBSTITUTION = re.compile(r"\{\{.*?\}\}")
ESCAPED = re.compile(r"\\[\[\]{]")
NOT_TEXT = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment, nodes.math,
            nodes.math_block, nodes.target)
SCHEME = re.compile(r"([a-zA-Z][\w+.-]*):")


def _why_link(address: str) -> str:
    scheme = m.group(1).lower() if (m := SCHEME.match(address)) else ""
    if scheme == "file":
        return ("file: addresses are not allowed: a topic may only use files saved in "
                "docs/source/. Write the file's path instead, such as images/hands.png")
    if scheme in ("javascript", "vbscript"):
        return f"{scheme}: addresses are not allowed. Link to a web page (https://…)"
    if scheme == "data":
        return ("this data: address is not one MyST reads (only PNG, JPEG, GIF and WebP "
                "images are). Save the picture in docs/source/images/ and use its path")
    if re.search(r"\s", address):
        return ("the address has a space in it. Write %20 for each space, or put the "
                "address in <angle brackets>")
    return "MyST could not read it as a link or image. Check its brackets and parentheses"


def _problems(text: str):
    """(what was left, its address or itself, the reason) for each piece of unread markup
    in ``text``."""
    for m in LINK.finditer(text):
        kind = "image" if m.group(0).startswith("!") else "link"
        yield (m.group(0), m.group(1),
               f"this {kind} was printed as plain text: {_why_link(m.group(1))}")
    for m in SPACED_LINK.finditer(text):
        yield (m.group(0), m.group(1), "this link was printed as plain text: there is a space "
               "between ] and (. Remove it")
    for m in SUBSTITUTION.finditer(text):
        yield (m.group(0), m.group(0), "substitutions are turned off, so this was printed as "
               "written. Write the words themselves; for a clinic's details use "
               "{clinic}`phone` and the like")


def _text_of(block) -> str:
    """The block's text as printed, code and raw parts left out."""
    def readable(node):
        while node is not None and node is not block:
            if isinstance(node, NOT_TEXT):
                return False
            node = node.parent
        return True
    return "".join(t.astext() for t in block.findall(nodes.Text) if readable(t.parent))


def _line(lines: list[str], needles: tuple[str, ...], start: int | None) -> int | None:
    """The first line at or after ``start`` that holds the start of a needle, the first
    needle first ("" matches nothing). A line where the writer escaped the brackets
    (``\\[x\\](y)``, printed as written on purpose) does not count."""
    begin = max((start or 1) - 1, 0)
    order = list(range(begin, len(lines))) + list(range(0, begin))
    for needle in needles:
        head = needle.split("\n")[0][:40]
        for number in order if head else ():
            if head in lines[number] and not ESCAPED.search(lines[number]):
                return number + 1
    return None


def left_as_text(app, doctree) -> None:
    env, docname = app.env, app.env.docname
    if docname not in topics(env):
        return
    lines = None
    for block in doctree.findall(nodes.TextElement):
        if isinstance(block, nodes.Inline) or isinstance(block, NOT_TEXT):
            continue
        for left, address, why in _problems(_text_of(block)):
            if lines is None:
                lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
            line = _line(lines, (left, address), get_source_line(block)[1])
            if line is None:
                continue  # not in the file as written: the writer escaped it on purpose
            logger.warning(f"'{left[:80]}': {why}.", location=(docname, line),
                           type="carepress", subtype="markup")
            env.reread_always.add(docname)  # warned again at every build until it is fixed
            if compat.warnings_are_errors(app):
                blocked(env).add(docname)
