"""Does a brochure fit? A trifold has a fixed number of panels; a handout may have a
page budget. Checked on WeasyPrint's layout, before any PDF is written, so a brochure
that does not fit keeps its previous PDF."""

from __future__ import annotations

from weasyprint.formatting_structure import boxes

from .impose import BODY_PANELS

FIXED = ("cover", "back")  # the named pages of a folded format that must be one panel each


def _words(page) -> int:
    """Words laid out on a page, running headers and footers left out."""
    count, stack = 0, [page._page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.MarginBox):
            continue
        if isinstance(box, boxes.TextBox):
            count += len(box.text.split())
        stack.extend(getattr(box, "children", ()))
    return count


def _about(words: int) -> str:
    return f"about {max(10, round(words, -1))} words too many"


def check(job, pages) -> str:
    """The writer's message when the laid-out ``pages`` do not fit, else ""."""
    topic, fmt = job.docname, job.fmt
    if job.sheet is not None:
        names = [page._page_box.page_type.name for page in pages]
        for part in FIXED:
            if names.count(part) > 1:
                return (f"the {part} panel of {topic} does not fit the {fmt}: it needs "
                        f"{names.count(part)} panels. Shorten the title and summary in the front "
                        "matter, or the brand's address.")
        body = [page for page, name in zip(pages, names) if name not in FIXED]
        if len(body) > len(BODY_PANELS):
            return (f"{topic} does not fit the {fmt}: it needs {len(body)} panels and the fold has "
                    f"{len(BODY_PANELS)} ({_about(sum(map(_words, body[len(BODY_PANELS):])))}). "
                    f"Shorten it, or mark long parts with :::{{not-in}} {fmt}.")
    elif job.page_budget and len(pages) > job.page_budget:
        return (f"{topic} does not fit its page budget: the {fmt} needs {len(pages)} pages and "
                f"page_budget is {job.page_budget} "
                f"({_about(sum(map(_words, pages[job.page_budget:])))}). "
                "Shorten it, or raise page_budget in its front matter.")
    return ""
