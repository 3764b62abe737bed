"""Images that are only decoration: ``:class: decorative`` on the image or its figure.

They get an empty alt text as soon as the topic is read, so screen readers pass over
them on the site; the brochure prints them as untagged objects (brochure/prepare.py).
"""

from __future__ import annotations

from docutils import nodes


def is_decorative(image) -> bool:
    parent = image.parent
    return "decorative" in image.get("classes", ()) or (
        isinstance(parent, nodes.figure) and "decorative" in parent.get("classes", ()))


def mark_decorative(app, doctree) -> None:
    for image in doctree.findall(nodes.image):
        if is_decorative(image):
            image["alt"] = ""
