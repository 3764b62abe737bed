"""Print packets (sources/packets.py) printed per brand and format as one PDF:
``_build/pdf/<brand>/packets/<packet>-<format>.pdf`` (outputs.py), in the default
language only (a packet of translations would mix editions of different dates).

Each packet is one print HTML: the cover with the clinic's logo, the title and the
contents (page numbers by ``target-counter``), then each topic prepared for paper as its
brochure of that format is (prepare.py), its headings one level down under its title
(so the packet has one H1 and one outline), its ids made unique, its review dates on the
footer of its own pages (``string-set``). It goes through the builder's ``_job`` and
``_add_job`` like any brochure: printed by the same printer, again only when its print
HTML changed, that is when one of its topics or its definition changed.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from pathlib import Path

from markupsafe import Markup

from ..errors import report
from ..sources.guard import blocked
from ..sources.packets import load_all
from ..sources.topic import topics
from . import layouts
from .prepare import for_print

PACKET = "packet"  # the job's variant (render.Job)
_HEADING = re.compile(r"<(/?)h([1-5])(?=[\s>])")
_ID = re.compile(r'\b(id|href)="(#?)([^"#:/]+)"')


def print_packets(builder) -> None:
    """Every packet for every brand: reported problems, and a job for each PDF."""
    if builder.sub:
        return  # the default language only
    packets, problems = load_all(builder.srcdir, builder.config)
    for problem in problems:
        report(f"packet: {problem} Its previous PDFs, if any, are kept.", location=problem.location)
    known = topics(builder.env)
    for packet in packets:
        ok = True
        for docname, line in packet.topics:
            if docname not in known:
                near = difflib.get_close_matches(docname, known, n=1)
                hint = f" Did you mean '{near[0]}'?" if near else ""
                report(f"the packet '{packet.id}' names the topic '{docname}', which does not "
                       f"exist.{hint} Name each topic by its file name in docs/source, without "
                       ".md. The packet's previous PDFs, if any, are kept.",
                       location=f"{packet.path}:{line}")
                ok = False
            elif docname in blocked(builder.env) or _out_of_date(known[docname]):
                ok = False  # the topic's own error is reported; the previous PDF is kept
        if ok:
            for brand in builder.brands.values():
                for fmt in packet.formats:
                    _print_one(builder, packet, brand, fmt)


def _out_of_date(topic) -> bool:
    return topic.translation is not None and not topic.translation.up_to_date


def _print_one(builder, packet, brand, fmt: str) -> None:
    known = topics(builder.env)
    parts = []
    for docname, _ in packet.topics:
        topic = known[docname]
        builder.current_docname, builder.imgpath = docname, ""  # as write_doc sets them
        builder.secnumbers = builder.env.toc_secnumbers.get(docname, {})
        builder.fignumbers = builder.env.toc_fignumbers.get(docname, {})
        tree = builder.env.get_and_resolve_doctree(docname, builder)
        tree.settings = builder.docsettings
        for_print(tree, fmt, brand, builder.site_of(brand))
        body = _unique_ids(_one_level_down(builder.html_of(tree)), docname)
        t = layouts.Labels(builder.lang)  # noqa: the footer's words, in the packet's language
        parts.append({"id": f"packet-{docname}", "title": topic.title, "summary": topic.summary,
                      "body": Markup(body), "review_lines": layouts.review_lines(topic, builder.lang),
                      "review": f"{topic.title}: {t.review_dates(topic)}"})
    cover = _cover_topic(packet, [known[d] for d, _ in packet.topics])
    job = builder._job(packet.id, None, brand, fmt, (), variant=PACKET)
    double = builder.config.carepress_packet_double_sided if packet.double_sided is None \
        else packet.double_sided
    css = "\n".join(p.read_text(encoding="utf-8") for p in stylesheets() if p.suffix == ".css")
    if double:
        css += "\nsection.packet-topic { break-before: right; }\n"
    html = layouts.print_html(
        fmt=fmt, topic=cover, brand=brand, body=_body(parts), lang=builder.lang,
        tag=builder.tag, base_url=Path(builder.srcdir).resolve().as_uri() + "/",
        settings=job.settings + f"; packet={packet.text!r}", template="packet/packet.html",
        extra_css=css, parts=parts)
    builder._add_job(job, brand, html)


def stylesheets() -> list[Path]:
    return [layouts.HERE / "packet" / "packet.css", layouts.HERE / "packet" / "packet.html"]


def _cover_topic(packet, members):
    """What the page template asks of a topic, for the packet as a whole: its dates are
    its topics' (so the same sources give the same PDF)."""
    first = members[0]
    return dataclasses.replace(
        first, docname=packet.id, title=packet.title,
        summary=" · ".join(m.title for m in members),
        reviewed=max(m.reviewed for m in members),
        next_review=min(m.next_review for m in members), translation=None)


def _body(parts) -> str:
    out = []
    for part in parts:
        lines = "".join(f'<p class="review">{Markup.escape(line)}</p>' for line in part["review_lines"])
        out.append(f'<section class="packet-topic" id="{part["id"]}" '
                   f'data-review="{Markup.escape(part["review"])}">\n'
                   f'<h2 class="packet-topic-title">{Markup.escape(part["title"])}</h2>\n'
                   f'<p class="summary">{Markup.escape(part["summary"])}</p>\n'
                   f'{part["body"]}\n{lines}\n</section>')
    return "\n".join(out)


def _one_level_down(html: str) -> str:
    """The topic's headings under its title in the packet: h2 becomes h3, and so on."""
    return _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)


def _unique_ids(html: str, docname: str) -> str:
    """Each topic's ids (sections, footnotes) prefixed with its name, and its links to
    them, so two topics' "sources" sections do not clash."""
    def prefix(m: re.Match) -> str:
        attr, hash_, name = m[1], m[2], m[3]
        if attr == "href" and not hash_:
            return m[0]  # a link elsewhere, not to an id of this topic
        return f'{attr}="{hash_}{docname}-{name}"'
    return _ID.sub(prefix, html)

