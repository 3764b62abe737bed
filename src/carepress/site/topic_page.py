"""A topic's page on the site: what the handout shows, in the primary brand, with its
summary, its downloads, its review dates and a brand header for printing.

A post-transform of the site's builders only, so the brochures never see it. A
post-transform cannot know where its builder puts the page (``x.html`` or ``x/``), so
links to the site's own files are written from the site's root (``ROOT``) and made
relative to the page once the page is known (:func:`resolve_root_links`).
"""

from __future__ import annotations

import re
from html import escape, unescape

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import languages, outputs
from ..brochure.layouts import format_label, review_lines, site_formats
from ..isolation import one_topic
from ..sources import brand as brands
from ..sources.directives import fill_clinic_fields
from ..sources.per_format import SITE_FORMAT, keep_for
from ..sources.topic import topics
from . import HTML_BUILDERS
from .accessible import label_checkboxes, print_brand
from .language_links import page_href

ROOT = "carepress-root:"  # a file of the site, from its root
DOC = "carepress-doc:"    # a page of the site, by its document name
PAGE_URL = "carepress-url:"  # a page's address on the hosted site, by its document name
DEFAULT_PAGE = "carepress-default-page:"  # this page in the default language
_ROOT_LINK = re.compile(r'(href|src)="carepress-root:([^"]*)"')
_DOC_LINK = re.compile(r'"carepress-(doc|url):([^"]*)"')


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
        lang = languages.current(self.config)
        if topic.translation is not None and not topic.translation.up_to_date:
            _not_yet(section, topic, self.config)
            return
        section.insert(0, print_brand(brand, ROOT + "_static/" + _name(self.config.html_logo
                                                                          or str(brand.logo))))
        section.insert(2, nodes.paragraph(text=topic.summary, classes=["carepress-summary"]))
        section.insert(3, _downloads(topic, brand, docname, self.config))
        for line in review_lines(topic, lang):
            section += nodes.paragraph(classes=["carepress-review"], text=line)


def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _downloads(topic, brand, docname: str, config) -> nodes.container:
    lang = languages.current(config)
    _ = languages.gettext(lang)
    box = nodes.container(classes=["carepress-downloads"])
    para = nodes.paragraph()
    para += nodes.strong(text=_("Print this topic: "))
    for i, fmt in enumerate(site_formats(topic, config)):
        if i:
            para += nodes.Text(" · ")
        para += nodes.reference("", _("{format} (PDF)").format(format=format_label(fmt, config)),
                                classes=["download"],
                                refuri=ROOT + outputs.site_pdf_href(brand.id, docname, fmt))
    box += para
    return box


def _not_yet(section, topic, config) -> None:
    """An out-of-date edition: never a page half in English. It says so and links the
    default language's page (its address is known once the page is: DEFAULT_PAGE)."""
    lang, default = languages.current(config), languages.default(config)
    _ = languages.gettext(lang)
    para = nodes.paragraph(classes=["carepress-not-yet"])
    para += nodes.Text(_("This topic is not yet available in {language}. Read it in "
                         "{default}:").format(language=languages.name(lang, lang),
                                              default=languages.name(default, lang)) + " ")
    tag = escape(languages.tag(config, default))
    para += nodes.raw("", f'<a class="carepress-default-language" href="{DEFAULT_PAGE}" '
                          f'hreflang="{tag}" lang="{tag}">{escape(topic.english_title)}</a>',
                      format="html")
    title = section[0]
    section.clear()
    section += title
    section += para


def resolve_root_links(app, pagename, templatename, context, doctree) -> None:
    """Links written from the site's root, made relative to this page."""
    body, pathto = context.get("body"), context.get("pathto")
    if not isinstance(body, str) or pathto is None:
        return
    if ROOT in body:
        body = context["body"] = _ROOT_LINK.sub(lambda m: f'{m[1]}="{pathto(m[2], 1)}"', body)
    if DOC in body or PAGE_URL in body:
        base = app.config.html_baseurl

        def resolve(m) -> str:
            docname = unescape(m[2])
            if m[1] == "doc":
                return f'"{escape(pathto(docname))}"'
            return f'"{escape(base + app.builder.get_target_uri(docname))}"' if base else '""'
        body = context["body"] = _DOC_LINK.sub(resolve, body)
    if DEFAULT_PAGE in body:
        href = page_href(app.config, app.builder, pagename, languages.default(app.config))
        context["body"] = body.replace(DEFAULT_PAGE, escape(href))
