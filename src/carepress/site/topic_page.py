"""A topic's page on the site: what the handout shows, in the primary brand, with its
summary, its downloads, its review dates and a brand header for printing.

A post-transform of the site's builders only, so the brochures never see it. A
post-transform cannot know where its builder puts the page (``x.html`` or ``x/``), so
links to the site's own files are written from the site's root (``ROOT``) and made
relative to the page once the page is known (:func:`resolve_root_links`).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import outputs
from ..isolation import one_topic
from ..brochure.layouts import long_date
from ..sources import brand as brands
from ..sources.directives import fill_clinic_fields
from ..sources.per_format import SITE_FORMAT, keep_for
from ..sources.topic import topics
from . import HTML_BUILDERS
from .accessible import label_checkboxes, print_brand

FORMAT_LABELS = {"handout": "Handout", "large-print": "Large print", "trifold": "Trifold"}
ROOT = "carepress-root:"
_ROOT_LINK = re.compile(r'(href|src)="carepress-root:([^"]*)"')


class SitePage(SphinxPostTransform):
    builders = HTML_BUILDERS
    default_priority = 900  # after Sphinx resolved every reference

    def run(self, **kwargs) -> None:
        with one_topic(self.env, self.env.docname, "building this topic's web page"):
            self._topic_page()

    def _topic_page(self) -> None:
        doctree, docname = self.document, self.env.docname
        brand = brands.of(self.config).primary
        keep_for(doctree, SITE_FORMAT)
        fill_clinic_fields(doctree, brand)
        label_checkboxes(doctree)
        topic = topics(self.env).get(docname)
        section = next(iter(doctree.findall(nodes.section)), None)
        if topic is None or section is None:
            return
        section.insert(0, print_brand(brand, ROOT + "_static/" + _name(self.config.html_logo
                                                                          or str(brand.logo))))
        section.insert(2, nodes.paragraph(text=topic.summary, classes=["carepress-summary"]))
        section.insert(3, _downloads(topic, brand, docname))
        section += nodes.paragraph(classes=["carepress-review"], text=(
            f"Last reviewed {long_date(topic.reviewed)} by {topic.reviewer} · "
            f"Version {topic.version} · Next review {long_date(topic.next_review)}"))


def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _downloads(topic, brand, docname: str) -> nodes.container:
    box = nodes.container(classes=["carepress-downloads"])
    para = nodes.paragraph()
    para += nodes.strong(text="Print this topic: ")
    for i, fmt in enumerate(topic.formats):
        if i:
            para += nodes.Text(" · ")
        para += nodes.reference("", f"{FORMAT_LABELS.get(fmt, fmt)} (PDF)", classes=["download"],
                                refuri=ROOT + outputs.site_pdf_href(brand.id, docname, fmt))
    box += para
    return box


def resolve_root_links(app, pagename, templatename, context, doctree) -> None:
    """Links written from the site's root, made relative to this page."""
    body, pathto = context.get("body"), context.get("pathto")
    if isinstance(body, str) and ROOT in body and pathto is not None:
        context["body"] = _ROOT_LINK.sub(lambda m: f'{m[1]}="{pathto(m[2], 1)}"', body)
