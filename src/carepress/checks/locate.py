"""Line numbers for findings: from the doctree where it has them, checked against the
writer's file so a finding always points at the line that holds the words."""

from __future__ import annotations

import re

from docutils import nodes


def node_line(node) -> int | None:
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return None


def _block(node):
    while node is not None and not getattr(node, "line", None):
        node = node.parent
    return node


def line_of(node, text: str, pos: int, doc, needle: str | None = None) -> int | None:
    """The file line of ``text[pos:]`` where ``text`` is a Text (or attribute) of ``node``."""
    block = _block(node)
    guess = None
    if block is not None:
        offset = 0
        for t in block.findall(nodes.Text):
            if t is node:
                break
            offset += len(t)
        else:
            offset = 0
        guess = block.line + block.astext()[:offset + pos].count("\n")
    word = needle or re.match(r"\S*", text[pos:]).group(0)
    return find_line(doc, word, guess)


def find_line(doc, needle: str, guess: int | None) -> int | None:
    """The line nearest ``guess`` that contains ``needle`` (any case)."""
    lines = doc.lines
    low = needle.lower()
    if not low:
        return guess
    hits = [i for i, line in enumerate(lines, start=1) if low in line.lower()]
    in_body = guess is None or guess > doc.body_start  # else: the title, from the front matter
    body = [i for i in hits if (i > doc.body_start) == in_body] or hits
    if not body:
        return guess
    if guess is None:
        return body[0]
    return min(body, key=lambda i: (abs(i - guess), i))


CODE = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment, nodes.math,
        nodes.math_block, nodes.target, nodes.substitution_definition)


def not_patient_text(node) -> bool:
    """Code, the clinic's own details (filled in per brand) and the Sources list."""
    from ..sources.directives import clinic_field
    while node is not None:
        if isinstance(node, CODE + (clinic_field,)) or "sources" in node.get("ids", ()):
            return True
        node = node.parent
    return False


def patient_texts(doctree):
    """(node, text) of everything a patient reads, in small pieces: each Text of the body,
    titles and captions (bare web addresses left out), and each image's alt text."""
    for text in doctree.findall(nodes.Text):
        parent = text.parent
        if not_patient_text(parent) or hasattr(text, "spellingIgnore"):
            continue
        if isinstance(parent, nodes.reference) and parent.get("refuri") == str(text):
            continue
        yield text, str(text)
    for image in doctree.findall(nodes.image):
        if image.get("alt") and not not_patient_text(image):
            yield image, image["alt"]


def patient_blocks(doctree):
    """(node, text) per block (paragraph, title, caption ...) and per alt text: whole
    phrases, even when inline markup splits them into several Text nodes."""
    for block in doctree.findall(nodes.TextElement):
        if isinstance(block, nodes.Inline) or not_patient_text(block):
            continue
        yield block, block.astext()
    for image in doctree.findall(nodes.image):
        if image.get("alt") and not not_patient_text(image):
            yield image, image["alt"]
