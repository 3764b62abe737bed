"""A topic's front matter: read, checked and kept in the build environment.

A topic starts with a YAML block between ``---`` lines. carepress reads it before
MyST does and replaces it with the title heading, then the summary and reviewer as
paragraphs of a ``{carepress-front-matter}`` block (each on its key's line where it
fits), padded with blank lines, so every line number MyST reports still matches the
writer's file. Being text of the page, title, summary and reviewer are translated by
Sphinx's Locale transform like any paragraph; :func:`lift_front_matter` takes them back
out of the read (and translated) doctree into the language's :class:`Topic`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any

import yaml
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx.locale import get_translation

from ..errors import report
from ..languages import CATALOGUE

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.S)

FIELDS = {
    "title": "the topic's name, as patients say it",
    "summary": "one line saying what the patient learns",
    "reviewed": "the date a clinician last reviewed the topic (YYYY-MM-DD)",
    "next_review": "the date of the next review (YYYY-MM-DD)",
    "reviewer": 'who reviewed it, a role such as "Clinical lead, dermatology" will do',
    "version": 'the topic\'s version, such as "1.0"',
    "sources": "a list of sources, each with title, publisher and url",
    "formats": "print formats for this topic, such as [handout]",
    "page_budget": "the most pages the handout may take, such as 4",
    "category": 'the catalogue\'s group for this topic, such as "Skin procedures"',
    "tags": "a list of words a patient might search for",
    "codes": "diagnosis and procedure codes an EHR can find this topic by (sources/codes.py)",
}
REQUIRED = ("title", "summary", "reviewed", "reviewer", "version", "sources")
SOURCE_FIELDS = ("title", "publisher", "url")


@dataclass
class Source:
    title: str
    publisher: str
    url: str


@dataclass
class Topic:
    docname: str
    title: str
    summary: str
    reviewed: dt.date
    next_review: dt.date
    reviewer: str
    version: str
    sources: list[Source] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    page_budget: int = 0  # the most pages the handout may take; 0: no limit
    category: str = ""  # the catalogue's group (site/catalogue.py)
    tags: list[str] = field(default_factory=list)
    codes: list = field(default_factory=list)  # sources.codes.Code, for the EHR (site/fhir.py)
    english_title: str = ""  # the title in the source language (for the language links)
    translation: Any = None  # sources.translations.Translation, outside the default language


class FrontMatterError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def is_topic(app, docname: str) -> bool:
    if docname == app.config.root_doc:
        return False
    return not any(fnmatch(docname, pattern) for pattern in app.config.carepress_non_topics)


def key_lines(block: str) -> dict[str, int]:
    """Line number (in the file) of each top-level key of the front matter."""
    lines = {}
    for i, text in enumerate(block.splitlines(), start=2):
        m = re.match(r"([A-Za-z_][\w-]*)\s*:", text)
        if m:
            lines.setdefault(m.group(1), i)
    return lines


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def parse(docname: str, text: str, config) -> tuple[Topic, int]:
    """Read and check the front matter; return the topic and its length in lines."""
    m = FRONT_MATTER.match(text)
    if not m:
        raise FrontMatterError(
            "this topic has no front matter. Start the file with a block between two "
            "'---' lines giving title, summary, reviewed, reviewer, version and sources.", 1)
    block = m.group(1) or ""
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(
            f"the front matter is not valid YAML ({problem}). Check the colons, "
            "indentation and quotes on this line; put text that contains ': ' in quotes.",
            line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("the front matter must be a list of 'key: value' lines.", 2)
    lines = key_lines(block)

    for key in data:
        if key not in FIELDS:
            near = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f" Did you mean '{near[0]}'?" if near else ""
            raise FrontMatterError(
                f"unknown front-matter key '{key}'.{hint} Known keys: {', '.join(FIELDS)}.",
                lines.get(key))
    for key in REQUIRED:
        if data.get(key) in (None, "", []):
            raise FrontMatterError(
                f"the front matter has no '{key}': add {FIELDS[key]}.", 2)

    def text_field(key):
        value = data[key]
        if isinstance(value, (dict, list)):
            raise FrontMatterError(f"'{key}' should be one line of text.", lines.get(key))
        return str(value).strip()

    def date_field(key):
        value = data[key]
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if not isinstance(value, dt.date):
            raise FrontMatterError(
                f"'{key}: {value}' is not a date. Write it as YYYY-MM-DD, "
                "for example 2026-11-01.", lines.get(key))
        return value

    reviewed = date_field("reviewed")
    if data.get("next_review") is not None:
        next_review = date_field("next_review")
    else:
        next_review = _add_months(reviewed, config.carepress_review_interval_months)
    if next_review <= reviewed:
        raise FrontMatterError("'next_review' must come after 'reviewed'.",
                               lines.get("next_review"))

    sources = []
    raw_sources = data["sources"]
    if not isinstance(raw_sources, list):
        raise FrontMatterError("'sources' should be a list; start each source with '- title:'.",
                               lines.get("sources"))
    for n, item in enumerate(raw_sources, start=1):
        missing = [k for k in SOURCE_FIELDS if not isinstance(item, dict) or not item.get(k)]
        extra = [k for k in item if k not in SOURCE_FIELDS] if isinstance(item, dict) else []
        if missing or extra:
            what = (f"needs {', '.join(missing)}" if missing
                    else f"has unknown key {', '.join(map(str, extra))}")
            raise FrontMatterError(
                f"source {n} {what}: each source has title, publisher and url.",
                lines.get("sources"))
        url = str(item["url"]).strip()
        if not re.match(r"https?://\S+$", url):
            raise FrontMatterError(f"source {n} has url '{url}', which is not a web address "
                                   "starting with https://.", lines.get("sources"))
        sources.append(Source(str(item["title"]).strip(), str(item["publisher"]).strip(), url))

    formats = data.get("formats") or list(config.carepress_formats)
    if isinstance(formats, str):
        formats = [formats]
    from ..brochure.layouts import BILINGUAL, FORMATS
    for f in formats:
        if f not in FORMATS:
            raise FrontMatterError(f"unknown format '{f}' in 'formats'. Known formats: "
                                   f"{', '.join(FORMATS)}.", lines.get("formats"))
    if BILINGUAL in formats and len(config.carepress_languages or ()) < 2:
        raise FrontMatterError(
            f"'formats' asks for '{BILINGUAL}', a handout in two languages, but conf.py "
            "lists one language. Add the other to carepress_languages (such as "
            '["en", "es"]) with its translations, or remove bilingual.', lines.get("formats"))

    budget = data.get("page_budget", 0)
    if "page_budget" in data and (isinstance(budget, bool) or not isinstance(budget, int)
                                  or budget < 1):
        raise FrontMatterError(f"'page_budget: {budget}' is not a number of pages. Write it as "
                               "a whole number, for example page_budget: 4.",
                               lines.get("page_budget"))

    from .codes import CodeError, parse_codes
    try:
        codes = parse_codes(data.get("codes"))
    except CodeError as error:
        raise FrontMatterError(str(error), lines.get("codes")) from None
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) for t in tags):
        raise FrontMatterError("'tags' should be a list of words, such as [scars, acne].",
                               lines.get("tags"))

    topic = Topic(docname=docname, title=text_field("title"), summary=text_field("summary"),
                  reviewed=reviewed, next_review=next_review, reviewer=text_field("reviewer"),
                  version=text_field("version"), sources=sources, formats=list(formats),
                  page_budget=budget,
                  category=text_field("category") if data.get("category") else "",
                  tags=[str(t).strip() for t in tags], codes=codes)
    topic.english_title = topic.title
    return topic, m.group(0).count("\n")


# The front matter's text fields that are text of the page (and so translated), in the
# order their paragraphs stand in the {carepress-front-matter} block.
PAGE_FIELDS = ("summary", "reviewer")


def _front_lines(topic: Topic, title: str, nlines: int, lines: dict[str, int]) -> list[str]:
    """The ``nlines`` lines that stand in for the front matter: the title heading on line
    1, then the block with each of PAGE_FIELDS on its key's line if the keys come in
    order with room between them, else packed under the title."""
    texts = [" ".join(getattr(topic, f).split()) for f in PAGE_FIELDS]
    wanted = [lines.get(f, 0) for f in PAGE_FIELDS]
    if not (wanted[0] >= 3 and all(b - a >= 2 for a, b in zip(wanted, wanted[1:]))
            and wanted[-1] + 1 <= nlines):
        wanted = [4 + 2 * i for i in range(len(PAGE_FIELDS))]
    out = [""] * max(nlines, wanted[-1] + 2)
    out[0] = f"# {title}"
    out[wanted[0] - 2] = ":::{carepress-front-matter}"
    for line, text in zip(wanted, texts):
        out[line - 1] = text
    out[wanted[-1]] = ":::"
    return out


def on_source_read(app, docname: str, source: list[str]) -> None:
    if not is_topic(app, docname):
        return
    env = app.env
    text = source[0]
    try:
        topic, nlines = parse(docname, text, app.config)
    except FrontMatterError as exc:
        env.carepress_topics.pop(docname, None)
        env.reread_always.add(docname)  # keep reporting it until it is fixed
        report(f"{exc} (What to do: fix the front matter at the top of the file.)",
               location=(docname, exc.line))
        if not FRONT_MATTER.match(text):
            return
        title, nlines = docname, FRONT_MATTER.match(text).group(0).count("\n")
    else:
        env.carepress_topics[docname] = topic
        title = topic.title.replace("\n", " ")
        # Title, summary and reviewer become text of the page (translatable); blank lines
        # keep MyST's line numbers true.
        block = FRONT_MATTER.match(text).group(1) or ""
        front = _front_lines(topic, title, nlines, key_lines(block))
        source[0] = "\n".join(front) + "\n" + text[len(FRONT_MATTER.match(text).group(0)):]
        return
    # The title becomes the page heading; blank lines keep MyST's line numbers true.
    body = text[len(FRONT_MATTER.match(text).group(0)):]
    source[0] = f"# {title}" + "\n" * max(nlines, 1) + body


class front_matter(nodes.General, nodes.Element):
    """The front matter's page text (summary, reviewer): lifted out after reading."""


class FrontMatterDirective(SphinxDirective):
    has_content = True

    def run(self):
        node = front_matter()
        self.set_source_info(node)
        node += self.parse_content_to_nodes()
        return [node]


def lift_front_matter(app, doctree) -> None:
    """Title, summary and reviewer of the topic as read (translated, outside the default
    language) go into its Topic; the block leaves the doctree, except for Sphinx's
    gettext builder, which collects its messages for the translators."""
    topic = topics(app.env).get(app.env.docname)
    for block in list(doctree.findall(front_matter)):
        paragraphs = [p.astext().strip() for p in block.findall(nodes.paragraph)]
        if topic is not None and len(paragraphs) == len(PAGE_FIELDS):
            for name, value in zip(PAGE_FIELDS, paragraphs):
                setattr(topic, name, value)
        if app.builder.name != "gettext":
            block.parent.remove(block)
    section = next(iter(doctree.findall(nodes.section)), None)
    if topic is not None and section is not None and isinstance(section[0], nodes.title):
        topic.title = section[0].astext()


def add_front_matter_directive(app) -> None:
    app.add_node(front_matter)
    app.add_directive("carepress-front-matter", FrontMatterDirective)


def on_env_before_read_docs(app, env, docnames) -> None:
    if not hasattr(env, "carepress_topics"):
        env.carepress_topics = {}


def on_env_purge_doc(app, env, docname) -> None:
    getattr(env, "carepress_topics", {}).pop(docname, None)


def on_env_merge_info(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in other.carepress_topics:
            env.carepress_topics[docname] = other.carepress_topics[docname]


def add_sources_section(app, doctree) -> None:
    """The front matter's sources, listed at the end of the topic in every output."""
    topic = topics(app.env).get(app.env.docname)
    top = next(iter(doctree.findall(nodes.section)), None)
    if topic is None or top is None:
        return
    section = nodes.section(ids=["sources"], names=["sources"])
    section += nodes.title(text=get_translation(CATALOGUE)("Sources"))
    items = nodes.bullet_list()
    for source in topic.sources:
        para = nodes.paragraph()
        para += nodes.Text(f"{source.publisher}. ")
        para += nodes.reference("", source.title, refuri=source.url)
        items += nodes.list_item("", para)
    section += items
    # Footnotes (and the line above them) sit after the topic's section: keep them before
    # the Sources, at the end of the body.
    for node in doctree.children[doctree.index(top) + 1:]:
        if not isinstance(node, nodes.section):
            doctree.remove(node)
            top += node
    top += section


def topics(env) -> dict[str, Topic]:
    return getattr(env, "carepress_topics", {})
