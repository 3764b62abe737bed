"""The ``bilingual`` format: a handout with the clinic's default language and one other
side by side, block by block.

It prints in the other language's brochure build, from both languages' doctrees of the
topic: its own, and the default language's as that language's build saved it
(``_build/doctrees/<topic>.doctree``). A translation is per paragraph, so both have the
same blocks in the same order: each heading, paragraph, list and box is paired with its
translation, one row of a two-column table per pair (tables, not flex: WeasyPrint lays
them out fast and splits rows across pages). Each cell carries its language (``lang``;
pdf_tags.py puts it on the cell's structure element), so a screen reader switches voice.
Two doctrees that do not pair up are an error naming the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from markupsafe import Markup, escape

from .. import compat, languages, outputs
from ..errors import report
from ..sources.topic import FRONT_MATTER, parse
from . import layouts
from .prepare import for_print


def column_tags(config) -> tuple[str, str]:
    """The language tags of the two columns: the default language, then this one."""
    return (languages.tag(config, languages.default(config)),
            languages.tag(config, languages.current(config)))


@dataclass
class Side:
    """One language of the handout, for the template."""
    lang: str
    tag: str
    topic: object
    t: layouts.Labels
    review_lines: list[str]


def blocks(doctree) -> list[tuple[str, int, nodes.Node]]:
    """The printed blocks of a prepared doctree in reading order: ("heading", level,
    title) for each section, ("block", level, node) for everything else."""
    out: list[tuple[str, int, nodes.Node]] = []
    top = next(iter(doctree.findall(nodes.section)), None)

    def walk(section, level: int) -> None:
        for child in section.children:
            if isinstance(child, nodes.section):
                if len(child) and isinstance(child[0], nodes.title):
                    out.append(("heading", level + 1, child[0]))
                walk(child, level + 1)
            elif not isinstance(child, (nodes.title, nodes.target, nodes.comment)):
                out.append(("block", level, child))
    if top is not None:
        walk(top, 1)
    return out


class Pair:
    """The default language's and this language's doctrees of one topic, paired."""

    def __init__(self, builder, docname: str, mine, theirs, topic, their_topic):
        self.builder, self.docname = builder, docname
        self.mine, self.theirs = mine, theirs
        self.topic, self.their_topic = topic, their_topic
        self.ok = True

    @classmethod
    def read(cls, builder, docname: str, doctree, topic) -> "Pair | None":
        """None (with the error reported) when the default language's read is missing."""
        config = builder.config
        default_dir = outputs.doctree_dir(Path(builder.doctreedir).parent)
        theirs = compat.read_doctree(default_dir, docname, builder.env)
        if theirs is None:
            report(f"the bilingual handout needs the {languages.name(languages.default(config), 'en')} "
                   f"read of this topic ({default_dir}); run `carepress build`, which reads "
                   "every language. The previous PDF, if any, is kept.", location=docname)
            return None
        builder.env.resolve_references(theirs, docname, builder)
        text = Path(builder.env.doc2path(docname)).read_text(encoding="utf-8")
        their_topic, _ = parse(docname, text, config) if FRONT_MATTER.match(text) else (topic, 0)
        return cls(builder, docname, doctree, theirs, topic, their_topic)

    def print_html(self, brand, options: dict) -> str:
        config = self.builder.config
        fmt = layouts.content_format(layouts.BILINGUAL)
        trees = []
        for tree in (self.theirs, self.mine):
            tree = tree.deepcopy()
            tree.settings = self.builder.docsettings
            for_print(tree, fmt, brand, self.builder.page_url(self.docname, brand))
            trees.append(tree)
        rows = self._rows(*trees)
        if rows is None:
            self.ok = False
            return ""
        default, lang = languages.default(config), languages.current(config)
        tags = column_tags(config)
        sides = [Side(default, tags[0], self.their_topic, layouts.Labels(default),
                      layouts.review_lines(self.their_topic, default)),
                 Side(lang, tags[1], self.topic, layouts.Labels(lang),
                      layouts.review_lines(self.topic, lang))]
        body = Markup('<table class="bilingual">\n') + Markup("\n").join(rows) + \
            Markup("\n</table>")
        options = dict(options, title=f"{self.their_topic.title} / {self.topic.title}")
        return layouts.print_html(body=str(body), second=sides[1], first=sides[0], **options)

    def _rows(self, theirs, mine) -> list[Markup] | None:
        left, right = blocks(theirs), blocks(mine)
        problem = ""
        if len(left) != len(right):
            problem = (f"it has {len(right)} blocks (headings, paragraphs, lists, boxes) "
                       f"where the English has {len(left)}")
        else:
            for (kind_a, _, a), (kind_b, _, b) in zip(left, right):
                if kind_a != kind_b or type(a) is not type(b):
                    problem = (f"its block at line {b.line or '?'} is a {type(b).__name__} "
                               f"where the English (line {a.line or '?'}) has a "
                               f"{type(a).__name__}")
                    break
        if problem:
            t = self.topic.translation
            where = t.catalogue if t is not None else self.docname
            report(f"the bilingual handout cannot pair this translation with the English: "
                   f"{problem}. Translate each message of the catalogue on its own, keeping "
                   "lists, boxes and headings as in the English. The previous PDF, if any, "
                   "is kept.", location=f"{where}:1")
            return None
        tags = column_tags(self.builder.config)
        rows = []
        for (kind, level, a), (_, _, b) in zip(left, right):
            cells = []
            for tree, node, tag in ((theirs, a, tags[0]), (mine, b, tags[1])):
                if kind == "heading":
                    inline = "".join(self.builder.html_of(tree, child) for child in node.children)
                    html = f"<h{min(level, 6)}>{inline}</h{min(level, 6)}>"
                else:
                    html = self.builder.html_of(tree, node)
                cells.append(Markup(f'<td lang="{escape(tag)}">{html}</td>'))
            css = ' class="pair-heading"' if kind == "heading" else ""
            rows.append(Markup(f"<tr{css}>") + cells[0] + cells[1] + Markup("</tr>"))
        return rows
