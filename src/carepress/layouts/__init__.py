"""Print formats: each folder holds the stylesheet of one format; ``page.html`` is shared.

The print HTML is carepress's own, never the web theme's: a small template and
plain print CSS (``@page``, margin boxes, blocks rather than flex) keep
WeasyPrint fast and the layout predictable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from .. import fallback

HERE = Path(__file__).parent
FORMATS = ("handout",)

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                          keep_trailing_newline=True)


def css_string(value: str) -> str:
    """A CSS string literal (for content: in margin boxes)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


_env.filters["css_string"] = css_string
_env.filters["long_date"] = long_date


def stylesheets(fmt: str) -> list[Path]:
    """The files whose change must re-render a brochure of this format."""
    return [HERE / "page.html", HERE / "print.css", HERE / fmt / f"{fmt}.css"]


def print_html(*, fmt: str, topic, brand, body: str, lang: str, base_url: str) -> str:
    css = "\n".join(p.read_text(encoding="utf-8") for p in stylesheets(fmt)[1:])
    fonts = fallback.font_stack(brand.font_family)
    text = " ".join((body, topic.title, topic.summary, brand.name, *brand.address))
    return _env.get_template("page.html").render(
        fmt=fmt, topic=topic, brand=brand, body=body, lang=lang, base_url=base_url,
        css=css, brand_css=brand.css_variables(), fonts=fonts,
        fallback_faces=fallback.faces_for(text),
        footer_style=(f"font-family: {fonts}; font-size: 9pt; "
                      f"color: {brand.colors['text']}; vertical-align: top; padding-top: 6pt;"),
        paper={"letter": "letter", "a4": "A4"}[brand.paper],
    )
