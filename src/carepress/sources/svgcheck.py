"""An SVG image is a document that can run scripts and load other files: check it first.

A topic's SVG (and a brand's logo) may draw, nothing else: no scripts, no event
handlers, no embedded HTML, no references to other files or web addresses. The
parser refuses entity tricks (billion laughs, external entities) outright.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler",
                      "listener", "audio", "video"}
# url(...) pointing anywhere but inside the same file (url(#gradient) is fine)
OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)([^)'\"]*)", re.I)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def problem(data: bytes) -> str | None:
    """What makes this SVG unsafe to print or publish, in a writer's words; None if nothing."""
    if re.search(rb"<\?xml-stylesheet", data, re.I):
        return "it loads a stylesheet (<?xml-stylesheet?>)"
    try:
        root = fromstring(data)
    except DefusedXmlException:
        return "it declares XML entities, which are not allowed"
    except ParseError as exc:
        return f"it is not a valid SVG file ({exc})"
    if _local(root.tag) != "svg":
        return f"it is not an SVG image (its root is <{_local(root.tag)}>)"
    for element in root.iter():
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag in FORBIDDEN_ELEMENTS:
            return f"it contains <{tag}>, which can run code or embed other content"
        if tag == "style" and element.text:
            if "@import" in element.text.lower():
                return "its <style> imports another stylesheet (@import)"
            if m := OUTSIDE_URL.search(element.text):
                return f"its <style> loads '{m.group(1).strip()}'"
        for name, value in element.attrib.items():
            attr = _local(name)
            if attr.startswith("on"):
                return f"it has an event handler ({attr}) on <{tag}>"
            if attr in ("href", "src") and not value.strip().startswith("#"):
                return f"<{tag}> points at '{value.strip()[:80]}', outside the image"
            if m := OUTSIDE_URL.search(value):
                return f"<{tag}> {attr} loads '{m.group(1).strip()[:80]}'"
    return None
