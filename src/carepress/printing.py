"""Doctree changes that make a topic fit for paper, shared by every print format."""

from __future__ import annotations

from docutils import nodes


def prepare_for_print(doctree, baseurl: str) -> None:
    # The print template sets the title itself, above the summary and under the logo.
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and isinstance(section[0], nodes.title):
        section.remove(section[0])
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if ref.get("internal") or (uri and "://" not in uri and not uri.startswith("mailto:")):
            # A link to another page of the site: point at the hosted page, if there is one.
            if baseurl and uri:
                ref["refuri"] = baseurl.rstrip("/") + "/" + uri
                ref["classes"].append("show-url")
            else:
                ref.pop("refuri", None)
        elif uri.startswith(("http://", "https://")) and ref.astext().strip() != uri:
            ref["classes"].append("show-url")  # print the address after the text
    # sphinx-design dropdowns print open
    for node in doctree.findall(nodes.Element):
        if "opened" in node.attributes:
            node["opened"] = True
