"""Does a brochure fit? A trifold has a fixed number of panels; a handout may have a
page budget. Checked on WeasyPrint's layout, before any PDF is written, so a brochure
that does not fit keeps its previous PDF.

Where each part of a folded brochure starts is read from the anchors the print template
puts there (``BODY`` on ``<main>``, ``BACK`` on the contact footer): the cover is what
comes before the body, the back panel what comes from the footer on.
"""

from __future__ import annotations

import re

from ... import compat
from .impose import BODY_PANELS

BODY, BACK = "cp-body", "cp-back"  # ids in layouts/page.html


def _first_page(pages, anchor: str, default: int) -> int:
    return next((i for i, page in enumerate(pages) if anchor in page.anchors), default)


def _about(over, body, html: str) -> str:
    """How many words the pages in ``over`` hold, of the ``body`` pages (over included)."""
    counts = [compat.page_words(page) for page in over]
    if None in counts:  # no box tree: share the body's words out evenly over its pages
        main = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
        words = len(re.sub(r"<[^>]+>", " ", main[1] if main else "").split())
        counts = [words / max(len(body), 1)] * len(over)
    return f"about {max(10, round(sum(counts), -1))} words too many"


def check(job, pages) -> str:
    """The writer's message when the laid-out ``pages`` do not fit, else ""."""
    topic, fmt = job.docname, job.fmt
    if job.sheet is not None:
        body_at = _first_page(pages, BODY, 1)
        back_at = _first_page(pages, BACK, len(pages) - 1)
        for part, panels in (("cover", body_at), ("back", len(pages) - back_at)):
            if panels > 1:
                return (f"the {part} panel of {topic} does not fit the {fmt}: it needs "
                        f"{panels} panels. Shorten the title and summary in the front "
                        "matter, or the brand's address.")
        body = pages[body_at:back_at]
        if len(body) > len(BODY_PANELS):
            html = job.html.read_text(encoding="utf-8")
            return (f"{topic} does not fit the {fmt}: it needs {len(body)} panels and the fold "
                    f"has {len(BODY_PANELS)} ({_about(body[len(BODY_PANELS):], body, html)}). "
                    f"Shorten it, or mark long parts with :::{{not-in}} {fmt}.")
    elif job.page_budget and len(pages) > job.page_budget:
        html = job.html.read_text(encoding="utf-8")
        return (f"{topic} does not fit its page budget: the {fmt} needs {len(pages)} pages and "
                f"page_budget is {job.page_budget} "
                f"({_about(pages[job.page_budget:], pages, html)}). "
                "Shorten it, or raise page_budget in its front matter.")
    return ""
