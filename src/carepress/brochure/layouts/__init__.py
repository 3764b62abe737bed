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

from .. import fallback

HERE = Path(__file__).parent
FORMATS = ("handout", "large-print", "trifold")
FOLDED = ("trifold",)  # formats that impose.py places on folded sheets

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                          keep_trailing_newline=True)


def css_string(value: str) -> str:
    """A CSS string literal (for content: in margin boxes)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def numbered_from_start(body: str) -> str:
    """WeasyPrint ignores ``<ol start="3">``: the list's counter is set to start there."""
    return _OL_START.sub(lambda m: f'<ol{m[1]} start="{m[2]}" '
                         f'style="counter-reset: list-item {int(m[2]) - 1}"', body)


_OL_START = re.compile(r'<ol([^>]*?) start="(-?\d+)"')
_env.filters["css_string"] = css_string
_env.filters["long_date"] = long_date


def _template(fmt: str) -> str:
    own = f"{fmt}/{fmt}.html"
    return own if (HERE / own).is_file() else "page.html"


def stylesheets(fmt: str) -> list[Path]:
    """The files whose change must re-render a brochure of this format."""
    return list(dict.fromkeys([HERE / "page.html", HERE / _template(fmt), HERE / "print.css",
                               HERE / fmt / f"{fmt}.css"]))


def print_html(*, fmt: str, topic, brand, body: str, lang: str, base_url: str,
               qr=None, bleed: float = 0.0, settings: str = "") -> str:
    """The print HTML of one brochure; ``qr`` is a :class:`carepress.qr.QRCode` or None."""
    from ..worker.impose import Sheet

    css = "\n".join(p.read_text(encoding="utf-8") for p in stylesheets(fmt) if p.suffix == ".css")
    width, height = Sheet(brand.paper).panel
    fonts = fallback.font_stack(brand.font_family)
    text = " ".join((body, topic.title, topic.summary, brand.name, *brand.address))
    return _env.get_template(_template(fmt)).render(
        fmt=fmt, topic=topic, brand=brand, body=numbered_from_start(body), lang=lang,
        base_url=base_url,
        css=css, brand_css=brand.css_variables(), qr=qr, bleed=round(bleed, 3), settings=settings,
        panel={"width": round(width, 3), "height": round(height, 3)}, fonts=fonts,
        fallback_faces=fallback.faces_for(text),
        footer_style=(f"font-family: {fonts}; font-size: 9pt; "
                      f"color: {brand.colors['text']}; vertical-align: top; padding-top: 6pt;"),
        paper={"letter": "letter", "a4": "A4"}[brand.paper],
    )
