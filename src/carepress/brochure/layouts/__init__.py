"""Print formats: each folder holds the stylesheet of one format; ``page.html`` is shared.

A format whose structure differs (the trifold's cover and back panels) extends
``page.html`` with ``<fmt>/<fmt>.html``, overriding only the blocks it changes.

The print HTML is carepress's own, never the web theme's: a small template and
plain print CSS (``@page``, margin boxes, blocks rather than flex) keep
WeasyPrint fast and the layout predictable.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ... import languages
from .. import fallback

HERE = Path(__file__).parent
BILINGUAL = "bilingual"  # the default language and another side by side (bilingual.py)
FORMATS = ("handout", "large-print", "trifold", BILINGUAL)
FOLDED = ("trifold",)  # formats that impose.py places on folded sheets
CONTENT_OF = {BILINGUAL: "handout"}  # a format that prints another's content ({only-in})
BLOCK_FORMATS = tuple(f for f in FORMATS if f not in CONTENT_OF)  # what {only-in} may name
# Each format's name, as carepress's catalogue has it (languages.py).
FORMAT_NAMES = {"handout": "Handout", "large-print": "Large print", "trifold": "Trifold",
                BILINGUAL: "Bilingual"}


def content_format(fmt: str) -> str:
    return CONTENT_OF.get(fmt, fmt)


def formats_in(topic, config) -> list[str]:
    """The formats a topic prints in the language being built: a bilingual handout
    belongs to each language other than the default (it holds the default beside it)."""
    if BILINGUAL not in topic.formats:  # (most topics: asked for every topic, several times)
        return list(topic.formats)
    default = languages.is_default(config)
    return [f for f in topic.formats if not (default and f == BILINGUAL)]


site_formats = formats_in


def format_label(fmt: str, config) -> str:
    lang = languages.current(config)
    _ = languages.gettext(lang)
    label = _(FORMAT_NAMES.get(fmt, fmt))
    if fmt == BILINGUAL:
        default = languages.default(config)
        label += f" ({languages.name(default, lang)} / {languages.name(lang, lang)})"
    return label


class Labels:
    """carepress's own words in one language, for a template: ``t("Page {page} of
    {pages}", page=...)`` is escaped HTML (values may be Markup); ``t.text(...)`` is
    plain text (for CSS strings)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.gettext = languages.gettext(lang)

    def text(self, message: str, **values) -> str:
        return self.gettext(message).format(**values)

    def __call__(self, message: str, **values) -> Markup:
        parts = re.split(r"\{(\w+)\}", self.gettext(message))
        return Markup("".join(escape(values[p]) if i % 2 else escape(p)
                              for i, p in enumerate(parts)))

    def page_of(self) -> str:
        """"Page N of M" as a CSS ``content`` value: words as strings, then counters."""
        parts = re.split(r"\{(\w+)\}", self.gettext("Page {page} of {pages}"))
        return " ".join(f"counter({p})" if i % 2 else css_string(p)
                        for i, p in enumerate(parts) if i % 2 or p)

    def review_dates(self, topic) -> str:
        """The footer's review dates."""
        return " · ".join([self.text("Last reviewed {date}", date=self.date(topic.reviewed)),
                           self.text("Next review {date}", date=self.date(topic.next_review))])

    def date(self, day: dt.date) -> str:
        return languages.long_date(day, self.lang)


def review_lines(topic, lang: str) -> list[str]:
    """The review line of an edition, and of its translation outside the default
    language: who reviewed what, and when."""
    t = Labels(lang)
    lines = [" · ".join([t.text("Last reviewed {date} by {reviewer}",
                                date=t.date(topic.reviewed), reviewer=topic.reviewer),
                         t.text("Version {version}", version=topic.version),
                         t.text("Next review {date}", date=t.date(topic.next_review))])]
    tr = topic.translation
    if tr is not None:
        version = tr.source_version or "?"
        if tr.reviewed and tr.reviewer:
            lines.append(t.text("Translation reviewed {date} by {reviewer}, for English "
                                "version {version}", date=t.date(tr.reviewed),
                                reviewer=tr.reviewer, version=version))
        else:
            lines.append(t.text("Translation not yet reviewed (to be reviewed by: {reviewer})",
                                reviewer=tr.reviewer or "?"))
    return lines

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                          keep_trailing_newline=True)


def keep_compiled(folder: Path) -> None:
    """Keep the layouts' compiled templates in ``folder`` between builds (Jinja's
    bytecode cache, keyed by each template's source: a changed one is compiled again).
    Compiling them was a tenth of an edit's print HTML."""
    folder.mkdir(parents=True, exist_ok=True)
    _env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def css_string(value: str) -> str:
    """A CSS string literal (for content: in margin boxes)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def numbered_from_start(body: str) -> str:
    """WeasyPrint ignores ``<ol start="3">``: the list's counter is set to start there."""
    return _OL_START.sub(lambda m: f'<ol{m[1]} start="{m[2]}" '
                         f'style="counter-reset: list-item {int(m[2]) - 1}"', body)


_OL_START = re.compile(r'<ol([^>]*?) start="(-?\d+)"')
_env.filters["css_string"] = css_string


def _template(fmt: str) -> str:
    own = f"{fmt}/{fmt}.html"
    return own if (HERE / own).is_file() else "page.html"


def stylesheets(fmt: str) -> list[Path]:
    """The files whose change must re-render a brochure of this format."""
    return list(dict.fromkeys([HERE / "page.html", HERE / _template(fmt), HERE / "print.css",
                               HERE / fmt / f"{fmt}.css"]))


def print_html(*, fmt: str, topic, brand, body: str, lang: str, base_url: str,
               qr=None, bleed: float = 0.0, settings: str = "", tag: str = "",
               first=None, second=None, title: str = "", template: str = "",
               extra_css: str = "", **more) -> str:
    """The print HTML of one brochure; ``qr`` is a :class:`carepress.qr.QRCode` or None.
    ``lang`` is the language of its words, ``tag`` its language tag (``es-US``); a
    bilingual handout has its two languages as ``first`` and ``second``
    (bilingual.Side) and a ``title`` in both."""
    from ..worker.impose import Sheet

    css = "\n".join(p.read_text(encoding="utf-8") for p in stylesheets(fmt) if p.suffix == ".css")
    css += extra_css  # a packet's or the print-shop edition's rules, after the format's
    width, height = Sheet(brand.paper).panel
    fonts = fallback.font_stack(brand.font_family)
    text = " ".join((body, topic.title, topic.summary, brand.name, *brand.address))
    if second is not None:
        text += " " + second.topic.title + " " + second.topic.summary
    return _env.get_template(template or _template(fmt)).render(
        fmt=fmt, topic=topic, brand=brand, body=numbered_from_start(body), lang=tag or lang,
        base_url=base_url,
        t=Labels(lang), review_lines=review_lines(topic, lang), first=first, second=second,
        title=title or topic.title,
        css=css, brand_css=brand.css_variables(), qr=qr, bleed=round(bleed, 3), settings=settings,
        panel={"width": round(width, 3), "height": round(height, 3)}, fonts=fonts,
        fallback_faces=fallback.faces_for(text),
        footer_style=(f"font-family: {fonts}; font-size: 9pt; "
                      f"color: {brand.colors['text']}; vertical-align: top; padding-top: 6pt;"),
        paper={"letter": "letter", "a4": "A4"}[brand.paper], **more,
    )
