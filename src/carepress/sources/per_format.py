"""Content that prints in some formats only: ``{only-in}`` and ``{not-in}``.

A trifold holds far less than a handout, so a writer marks what goes where::

    :::{not-in} trifold
    The long explanation.
    :::

    :::{only-in} trifold
    The short version.
    :::

The brochure builder keeps or drops these blocks per format before writing; the
website shows what the handout shows. A section left with nothing but its heading
is dropped too, so wrapping all the text under a heading leaves the heading out.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..brochure.layouts import BLOCK_FORMATS as FORMATS

logger = logging.getLogger(__name__)
SITE_FORMAT = "handout"  # the website shows the handout's content


class format_block(nodes.General, nodes.Element):
    """Content kept only where ``formats`` includes (only-in) or excludes (not-in) the format."""


class _FormatDirective(SphinxDirective):
    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    keep = True  # only-in: keep in the named formats; not-in: keep in the others

    def run(self):
        names = self.arguments[0].replace(",", " ").split()
        unknown = [n for n in names if n not in FORMATS]
        if unknown:
            raise self.error(f"unknown format '{unknown[0]}' in {{{self.name}}}. "
                             f"Known formats: {', '.join(FORMATS)}.")
        block = format_block(formats=names, keep=self.keep)
        self.set_source_info(block)
        block += self.parse_content_to_nodes()
        if any(block.findall(nodes.rubric)):
            logger.warning(f"a heading inside {{{self.name}}} is not a real heading. Put the "
                           "heading above the block and wrap only the text under it; a heading "
                           "left with no text in a format is left out there.",
                           location=block, type="carepress", subtype="format")
        return [block]


class OnlyIn(_FormatDirective):
    keep = True


class NotIn(_FormatDirective):
    keep = False


def _empty(section) -> bool:
    return all(isinstance(child, nodes.title) for child in section.children)


def keep_for(doctree, fmt: str) -> None:
    """Keep the blocks meant for ``fmt`` (unwrapped), drop the others, and the sections
    that dropping them left empty (a heading the writer left empty stays)."""
    blocks = list(doctree.findall(format_block))
    if not blocks:
        return
    written = {id(s) for s in doctree.findall(nodes.section) if not _empty(s)}
    for block in blocks:
        if (fmt in block["formats"]) == block["keep"]:
            block.replace_self(block.children)
        else:
            block.parent.remove(block)
    for section in reversed(list(doctree.findall(nodes.section))):
        if _empty(section) and id(section) in written:
            section.parent.remove(section)


def prune_site_toc(app, doctree) -> None:
    """Keep the site's "On this page" list free of headings the site does not show."""
    if not any(doctree.findall(format_block)):
        return
    shown = doctree.deepcopy()
    keep_for(shown, SITE_FORMAT)
    kept = {i for section in shown.findall(nodes.section) for i in section["ids"]}
    dropped = {i for section in doctree.findall(nodes.section) for i in section["ids"]} - kept
    toc = app.env.tocs.get(app.env.docname)
    for ref in list(toc.findall(nodes.reference)) if toc is not None and dropped else ():
        if ref.get("anchorname", "").lstrip("#") in dropped:
            item = ref.parent.parent  # reference < compact_paragraph < list_item
            items = item.parent
            items.remove(item)
            if not items.children:
                items.parent.remove(items)


def _unfiltered(self, node):
    pass  # never reached: every builder that shows a topic filters the blocks first


def add_format_nodes(app) -> None:
    app.add_node(format_block, html=(_unfiltered, _unfiltered))
    app.add_directive("only-in", OnlyIn)
    app.add_directive("not-in", NotIn)
