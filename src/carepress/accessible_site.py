"""What the HTML site needs beyond furo to pass WCAG 2.1 AA and to print cleanly.

- Checklist boxes get a label: MyST writes a bare ``<input type="checkbox">``
  (axe: "Form elements must have labels"), so the item's text becomes its label.
- Toctree captions get ``aria-level``: Sphinx writes ``<p role="heading">`` without
  one (axe: "Required ARIA attributes must be provided"), in the page and in
  furo's sidebar alike.
- Printing a topic page (``@media print`` in carepress.css) keeps a brand header:
  the clinic's logo, name and phone, inserted here and shown only on paper, in the
  brand's light colours even when the screen is in dark mode.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.osutil import relative_uri

from .topic import topics

CHECKBOX = '<input class="task-list-item-checkbox"'


def on_config_inited(app, config) -> None:
    # Print uses the light brand colour whatever the screen's colour scheme.
    primary = app.carepress_primary.colors["primary"]
    options = dict(config.html_theme_options or {})
    for key in ("light_css_variables", "dark_css_variables"):
        options[key] = {"carepress-print-primary": primary, **options.get(key, {})}
    config.html_theme_options = options


def label_checkboxes(doctree) -> None:
    """``<label><input …> item text</label>``: the box is named by its item."""
    for raw in list(doctree.findall(nodes.raw)):
        para = raw.parent
        if not raw.astext().startswith(CHECKBOX) or not isinstance(para, nodes.paragraph):
            continue
        para.replace(raw, nodes.raw("", '<label class="task-list-label">' + raw.astext(),
                                    format="html"))
        para += nodes.raw("", "</label>", format="html")


def print_brand(app, docname: str) -> nodes.raw:
    """The brand header a printed topic page starts with (hidden on screen)."""
    brand = app.carepress_primary
    logo = Path(app.config.html_logo or brand.logo).name
    src = relative_uri(app.builder.get_target_uri(docname), f"_static/{logo}")
    return nodes.raw("", (
        '<div class="carepress-print-brand">'
        f'<img src="{escape(src)}" alt="">'
        f'<p><strong>{escape(brand.name)}</strong> · {escape(brand.phone)} · '
        f'{escape(brand.website)}</p></div>\n'), format="html")


def on_doctree_resolved(app, doctree, docname) -> None:
    if app.builder.name == "brochure" or app.builder.format != "html":
        return
    label_checkboxes(doctree)
    section = next(iter(doctree.findall(nodes.section)), None)
    if docname in topics(app.env) and section is not None:
        section.insert(0, print_brand(app, docname))


def visit_title(self, node) -> None:
    type(self).visit_title(self, node)
    if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
        # the caption's start tag is the second-last piece written
        tag = self.body[-2]
        if 'role="heading"' in tag and "aria-level" not in tag:
            self.body[-2] = tag.replace('role="heading"', 'role="heading" aria-level="2"', 1)


def depart_title(self, node) -> None:
    type(self).depart_title(self, node)


def setup_accessible_site(app) -> None:
    app.connect("config-inited", on_config_inited, priority=310)
    app.connect("doctree-resolved", on_doctree_resolved, priority=600)  # after site.py's
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
