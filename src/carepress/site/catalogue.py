"""The catalogue on the site (``{topic-catalogue}``, sources/catalogue.py): every topic of
this site's language with its title, one-line summary, a download link per format and
"last reviewed", grouped by ``category:`` (A to Z within a group), after an A-Z list of
all topics. The site's search stays as furo has it.

Links to the site's own files are written from its root (topic_page.ROOT) and made
relative to the page when it is known, as on topic pages. On paper the catalogue prints
the clinic's header, then each topic with its summary, review date and web address (the
downloads and the A-Z list are for the screen).
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import languages, outputs
from ..brochure.layouts import Labels, format_label, site_formats
from ..sources import brand as brands
from ..sources.catalogue import topic_catalogue
from ..sources.topic import topics
from . import HTML_BUILDERS
from .accessible import print_brand
from .topic_page import DOC, PAGE_URL, ROOT


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "topics"


class Catalogue(SphinxPostTransform):
    """Other builders skip the catalogue's node (sources/catalogue.py)."""
    builders = HTML_BUILDERS
    default_priority = 900

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(topic_catalogue)):
            section = node.parent if isinstance(node.parent, nodes.section) else None
            node.replace_self(nodes.raw("", self.html(node), format="html"))
            if section is not None:  # on paper the page starts with the clinic's header
                brand = brands.of(self.config).primary
                logo = (self.config.html_logo or str(brand.logo)).replace("\\", "/")
                section.insert(0, print_brand(brand, ROOT + "_static/" + logo.rsplit("/", 1)[-1]))

    def html(self, node) -> str:
        config = self.config
        lang = languages.current(config)
        _ = languages.gettext(lang)
        found = sorted(topics(self.env).items(), key=lambda item: item[1].title.casefold())
        other = node.get("uncategorised") or _("Other topics")
        groups: dict[str, list] = {}
        for docname, topic in found:
            groups.setdefault(topic.category or other, []).append((docname, topic))
        order = sorted((g for g in groups if g != other), key=str.casefold) + \
            ([other] if other in groups else [])
        out = ['<div class="carepress-catalogue">']
        if found:
            out.append(f'<nav class="carepress-az" aria-labelledby="carepress-az">'
                       f'<h2 id="carepress-az">{escape(_("Topics A to Z"))}</h2><ul>')
            out += [f'<li><a href="#topic-{escape(docname)}">{escape(topic.title)}</a></li>'
                    for docname, topic in found]
            out.append("</ul></nav>")
        for group in order:
            gid = "category-" + _slug(group)
            out.append(f'<section class="carepress-category" aria-labelledby="{gid}">'
                       f'<h2 id="{gid}">{escape(group)}</h2><ul class="carepress-topics">')
            out += [self._entry(docname, topic, lang) for docname, topic in groups[group]]
            out.append("</ul></section>")
        out.append("</div>")
        return "\n".join(out)

    def _entry(self, docname: str, topic, lang: str) -> str:
        config = self.config
        _ = languages.gettext(lang)
        t = Labels(lang)
        brand = brands.of(config).primary
        address = f' data-address="{PAGE_URL}{escape(docname)}"' if config.html_baseurl else ""
        title = escape(topic.title)
        parts = [f'<li class="carepress-topic" id="topic-{escape(docname)}">',
                 f'<h3><a class="carepress-topic-link" href="{DOC}{escape(docname)}"{address}>'
                 f'{title}</a></h3>',
                 f'<p class="carepress-summary">{escape(topic.summary)}</p>']
        if topic.translation is None or topic.translation.up_to_date:
            links = [f'<a class="download" href="{ROOT}'
                     f'{escape(outputs.site_pdf_href(brand.id, docname, fmt))}">'
                     f'{escape(_("{format} (PDF)").format(format=format_label(fmt, config)))}'
                     f'<span class="carepress-hidden"> – {title}</span></a>'
                     for fmt in site_formats(topic, config)]
            parts.append(f'<p class="carepress-catalogue-downloads"><strong>'
                         f'{escape(_("Print this topic: "))}</strong>{" · ".join(links)}</p>')
        parts.append(f'<p class="carepress-reviewed">'
                     f'{escape(t.text("Last reviewed {date}", date=t.date(topic.reviewed)))}</p>')
        parts.append("</li>")
        return "\n".join(parts)
