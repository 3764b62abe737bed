"""What the HTML site needs beyond furo to pass WCAG 2.1 AA and to print cleanly.

- Checklist boxes get a label: MyST writes a bare ``<input type="checkbox">`` (axe: "Form
  elements must have labels"), so the item's text becomes its label.
- Toctree captions get ``aria-level``: Sphinx writes ``<p class="caption"
  role="heading">`` without one (axe: "Required ARIA attributes must be provided"), in
  the page and in furo's sidebar alike.
- Printing a topic page (``@media print`` in carepress.css) keeps a brand header: the
  clinic's logo, name and phone, shown only on paper.
"""

from __future__ import annotations

from html import escape

from docutils import nodes

CHECKBOX = '<input class="task-list-item-checkbox"'
CAPTION = '<p class="caption" role="heading">'
CAPTION_WITH_LEVEL = '<p class="caption" role="heading" aria-level="2">'
PAGE_PARTS = ("body", "toc", "furo_navigation_tree")  # context values that hold page HTML


def label_checkboxes(doctree) -> None:
    """``<label><input …> item text</label>``: the box is named by its item."""
    for raw in list(doctree.findall(nodes.raw)):
        para = raw.parent
        if not raw.astext().startswith(CHECKBOX) or not isinstance(para, nodes.paragraph):
            continue
        para.replace(raw, nodes.raw("", '<label class="task-list-label">' + raw.astext(),
                                    format="html"))
        para += nodes.raw("", "</label>", format="html")


def print_brand(brand, src: str) -> nodes.raw:
    """The brand header a printed topic page starts with (hidden on screen)."""
    return nodes.raw("", (
        '<div class="carepress-print-brand">'
        f'<img src="{escape(src)}" alt="">'
        f'<p><strong>{escape(brand.name)}</strong> · {escape(brand.phone)} · '
        f'{escape(brand.website)}</p></div>\n'), format="html")


def caption_levels(app, pagename, templatename, context, doctree) -> None:
    """After furo and navigation.py have filled in the page and its sidebar."""
    for key in PAGE_PARTS:
        value = context.get(key)
        if isinstance(value, str) and CAPTION in value:
            context[key] = value.replace(CAPTION, CAPTION_WITH_LEVEL)
