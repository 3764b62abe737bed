"""Every page of a site in several languages links its other languages: a switcher at
the top of the page (each name in its own language, with ``lang`` and ``hreflang``), and
``<link rel="alternate" hreflang>`` in the head for search engines.

The default language's site is ``_build/html/``, each other language's is
``_build/html/<lang>/`` (outputs.py), with the same page names: so a page's twin is
one folder down or up, and the links are relative (absolute with ``html_baseurl``).
"""

from __future__ import annotations

from html import escape

from .. import languages
from . import HTML_BUILDERS


def page_href(config, builder, pagename: str, lang: str, absolute: bool = False) -> str:
    """The address of ``pagename`` in ``lang``'s site, from this build's page (with
    ``absolute`` and ``html_baseurl``, on the hosted site)."""
    target = builder.get_target_uri(pagename)
    here = languages.subfolder(config)
    there = "" if lang == languages.default(config) else lang
    if absolute and config.html_baseurl:
        base = config.html_baseurl.rstrip("/") + "/"
        return base + (f"{there}/" if there else "") + target
    up = "../" * pagename.count("/") + ("../" if here else "")
    return up + (f"{there}/" if there else "") + target


def add_language_links(app, pagename, templatename, context, doctree) -> None:
    config = app.config
    if app.builder.name not in HTML_BUILDERS or len(languages.all_of(config)) < 2:
        return
    current = languages.current(config)
    alternates, switch = [], []
    for lang in languages.all_of(config):
        tag = languages.tag(config, lang)
        href = escape(page_href(config, app.builder, pagename, lang))
        full = escape(page_href(config, app.builder, pagename, lang, absolute=True))
        alternates.append(f'<link rel="alternate" hreflang="{tag}" href="{full}">')
        name = escape(languages.name(lang))
        if lang == current:
            switch.append(f'<li><span aria-current="page" lang="{tag}">{name}</span></li>')
        else:
            switch.append(f'<li><a href="{href}" hreflang="{tag}" lang="{tag}">{name}</a></li>')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(alternates)
    label = escape(languages.gettext(current)("This page in other languages"))
    nav = (f'<nav class="carepress-languages" aria-label="{label}"><ul>'
           + "".join(switch) + "</ul></nav>\n")
    if isinstance(context.get("body"), str):
        context["body"] = nav + context["body"]
